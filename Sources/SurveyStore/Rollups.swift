import Foundation
import GRDB
import SurveyCore

/// The per-day and per-month sums behind every indicator query, and the SQL that keeps them.
///
/// Four tables hold, for each key, the number of valid responses, the number of 差评 and
/// the count at each level of each dimension: `rollup_detail_day` (department, day,
/// window, staff, item), `rollup_window_day`, `rollup_window_month` and
/// `rollup_detail_month` (department, month, staff, item). The store writes only the
/// detail-day table; the v6 triggers add every change to the three coarser ones in the
/// same statement, so they are always its exact sums.
///
/// The detail-day row changes in the same transaction as the response it sums: new
/// responses through `RollupBatch` (summed per transaction, written before the commit),
/// `count` after a restore to valid, `uncount` before a response is excluded; the last
/// two read the response row itself.
enum Rollups {
    /// The store setting holding the zone `local_day` and the rollups were computed in.
    static let timeZoneSettingKey = "rollup_time_zone"

    /// `pingjia_local_day(millis)`: the `LocalDay` number of an instant in `timeZone`, or
    /// NULL for NULL. SQLite has no zone rules, so this runs in Swift; it is registered on
    /// every connection of a store, for migrations, rebuilds and `verify`. The insert path
    /// computes the same number in Swift (`RollupBatch.localDay`).
    static func localDayFunction(_ timeZone: TimeZone) -> DatabaseFunction {
        DatabaseFunction("pingjia_local_day", argumentCount: 1, pure: true) { values in
            guard let millis = Int64.fromDatabaseValue(values[0]) else { return nil }
            return LocalDay(instantMillis: millis, in: timeZone).daysSinceEpoch
        }
    }

    /// The local day number of the 1st of the month of `localDay`, a day-number
    /// expression, as the triggers compute it. Day numbers are civil days, so SQLite's
    /// UTC calendar is the right one here.
    static func monthStartSQL(_ localDay: String) -> String {
        "CAST(strftime('%s', \(localDay) * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400"
    }

    /// The first day of the month of `day`, as `monthStartSQL` computes it.
    static func monthStart(_ day: Int64) -> Int64 {
        let (year, month, _) = CivilDate.fromDaysSinceEpoch(day)
        return CivilDate.daysSinceEpoch(year: year, month: month, day: 1)
    }

    /// The first day of the month after the month of `day`.
    static func nextMonthStart(_ day: Int64) -> Int64 {
        let (year, month, _) = CivilDate.fromDaysSinceEpoch(day)
        return month == 12
            ? CivilDate.daysSinceEpoch(year: year + 1, month: 1, day: 1)
            : CivilDate.daysSinceEpoch(year: year, month: month + 1, day: 1)
    }

    /// The level columns, in table order: a1…a5, e1…e5, r1…r5.
    static let levelColumns: [String] = ["a", "e", "r"].flatMap { prefix in (1...5).map { "\(prefix)\($0)" } }

    /// The count columns, in table order.
    static let countColumns = ["n", "negative"] + levelColumns

    /// The response columns each level column counts, in `levelColumns` order.
    private static let levelSources: [String] = ["attitude", "efficiency", "result"].flatMap { column in
        (1...5).map { "(\(column) = \($0))" }
    }

    static let detailDayKey = ["department_id", "local_day", "window_id", "staff_id", "item_id"]
    /// How a response row gives the detail-day key.
    static let detailDaySources = [
        "department_id", "local_day", "window_id", "coalesce(staff_id, 0)", "coalesce(service_item_id, 0)",
    ]

    // MARK: Keeping the rollups

    /// Adds (`?2` = 1) or removes (`?2` = -1) response `?1`, if it is valid.
    private static let applySQL: String = {
        let counted = (["?2", "?2 * is_negative"] + levelSources.map { "?2 * \($0)" }).joined(separator: ", ")
        let updates = countColumns.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO rollup_detail_day (\((detailDayKey + countColumns).joined(separator: ", ")))
            SELECT \(detailDaySources.joined(separator: ", ")), \(counted)
            FROM response WHERE id = ?1 AND status = 'valid'
            ON CONFLICT (\(detailDayKey.joined(separator: ", "))) DO UPDATE SET \(updates)
            """
    }()

    /// Rows left at zero by an exclusion are dropped, so a rollup row exists exactly when
    /// some valid response is counted in it (what `verify` recomputes).
    private static let dropEmptySQL: [String] = {
        let month = monthStartSQL("local_day")
        return [
            """
            DELETE FROM rollup_detail_day WHERE n = 0 AND (department_id, local_day, window_id, staff_id, item_id) IN (
                SELECT \(detailDaySources.joined(separator: ", ")) FROM response WHERE id = ?)
            """,
            """
            DELETE FROM rollup_window_day WHERE n = 0 AND (local_day, window_id, department_id) IN (
                SELECT local_day, window_id, department_id FROM response WHERE id = ?)
            """,
            """
            DELETE FROM rollup_detail_month WHERE n = 0 AND (department_id, month_start, staff_id, item_id) IN (
                SELECT department_id, \(month), coalesce(staff_id, 0), coalesce(service_item_id, 0) FROM response WHERE id = ?)
            """,
            """
            DELETE FROM rollup_window_month WHERE n = 0 AND (month_start, window_id, department_id) IN (
                SELECT \(month), window_id, department_id FROM response WHERE id = ?)
            """,
        ]
    }()

    /// Adds response `id` to the rollups if its status is valid; nothing otherwise.
    /// Call it in the transaction that inserted the row or made it valid.
    static func count(responseID id: Int64, in db: Database) throws {
        try db.cachedStatement(sql: applySQL).execute(arguments: [id, 1])
    }

    /// Removes response `id` from the rollups if its status is valid; nothing otherwise.
    /// Call it in the transaction that changes the status, before the change.
    static func uncount(responseID id: Int64, in db: Database) throws {
        try db.cachedStatement(sql: applySQL).execute(arguments: [id, -1])
        for sql in dropEmptySQL {
            try db.cachedStatement(sql: sql).execute(arguments: [id])
        }
    }

    // MARK: Rebuilding

    /// Recomputes every response's local day in the connection's zone, then the rollups
    /// from the valid responses, and records `timeZone` as the rollups' zone. The raw rows
    /// are grouped once, into the detail-day table; the triggers fill the other three.
    static func rebuild(timeZone: TimeZone, in db: Database) throws {
        try db.execute(sql: """
            UPDATE response SET local_day = pingjia_local_day(coalesce(rated_at, created_at))
            WHERE local_day IS NOT pingjia_local_day(coalesce(rated_at, created_at));
            DELETE FROM rollup_window_month;
            DELETE FROM rollup_detail_month;
            DELETE FROM rollup_window_day;
            DELETE FROM rollup_detail_day;
            """)
        let key = detailDaySources.joined(separator: ", ")
        try db.execute(sql: """
            INSERT INTO rollup_detail_day (\((detailDayKey + countColumns).joined(separator: ", ")))
            SELECT \(key), \(rawSummedColumns)
            FROM response WHERE status = 'valid'
            GROUP BY \(key)
            """)
        try setTimeZone(timeZone, in: db)
    }

    // MARK: The rollups' zone

    /// The identifier of the zone the rollups were built for, if recorded.
    static func builtTimeZoneIdentifier(in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM store_setting WHERE key = ?", arguments: [timeZoneSettingKey])
    }

    static func setTimeZone(_ timeZone: TimeZone, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO store_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [timeZoneSettingKey, timeZone.identifier]
        )
    }

    // MARK: Reading sums

    /// `sum(n), sum(negative), sum(a1) … sum(r5)`, the columns `counts(from:at:)` reads.
    static let summedColumns = countColumns.map { "sum(\($0))" }.joined(separator: ", ")

    /// The same sums over raw `response` rows, for recomputation.
    static let rawSummedColumns = (["count(*)", "sum(is_negative)"] + levelSources.map { "sum\($0)" }).joined(separator: ", ")

    /// The 17 counts starting at column `index`: n, negative, a1…a5, e1…e5, r1…r5.
    static func counts(from row: Row, at index: Int) -> RollupCounts {
        func value(_ offset: Int) -> Int64 { row[index + offset] ?? 0 }
        func levels(_ first: Int) -> LevelCounts {
            LevelCounts(
                verySatisfied: value(first + 4), satisfied: value(first + 3), neutral: value(first + 2),
                dissatisfied: value(first + 1), veryDissatisfied: value(first)
            )
        }
        return RollupCounts(responses: value(0), negative: value(1), attitude: levels(2), efficiency: levels(7), result: levels(12))
    }
}

/// The counts one rollup row holds, or a recomputation of them, as they are, unchecked.
/// `ResponseTally` is the checked form the indicator uses; this one can also describe a
/// damaged row, which `verify` has to report.
public struct RollupCounts: Sendable, Hashable, CustomStringConvertible {
    /// `n`: responses counted.
    public var responses: Int64
    /// `negative`: of them, 差评.
    public var negative: Int64
    /// `a1`…`a5`, `e1`…`e5`, `r1`…`r5`: the level counts of each dimension.
    public var attitude: LevelCounts
    public var efficiency: LevelCounts
    public var result: LevelCounts

    /// Counts as given, unchecked.
    public init(responses: Int64, negative: Int64, attitude: LevelCounts, efficiency: LevelCounts, result: LevelCounts) {
        self.responses = responses
        self.negative = negative
        self.attitude = attitude
        self.efficiency = efficiency
        self.result = result
    }

    /// Nothing counted.
    public static let zero = RollupCounts(responses: 0, negative: 0, attitude: .zero, efficiency: .zero, result: .zero)

    /// The counts of a tally.
    public init(_ tally: ResponseTally) {
        self.init(
            responses: tally.responses, negative: tally.negative,
            attitude: tally.attitude, efficiency: tally.efficiency, result: tally.result
        )
    }

    /// The checked tally, or `IndicatorError.inconsistentTally` when no set of responses
    /// could have these counts.
    public func tally() throws(IndicatorError) -> ResponseTally {
        try ResponseTally(attitude: attitude, efficiency: efficiency, result: result, responses: responses, negative: negative)
    }

    /// Column by column sums, as SQL's `sum` adds rows.
    public static func + (lhs: RollupCounts, rhs: RollupCounts) -> RollupCounts {
        RollupCounts(
            responses: lhs.responses + rhs.responses, negative: lhs.negative + rhs.negative,
            attitude: lhs.attitude + rhs.attitude, efficiency: lhs.efficiency + rhs.efficiency, result: lhs.result + rhs.result
        )
    }

    /// Adds `rhs` into `lhs`.
    public static func += (lhs: inout RollupCounts, rhs: RollupCounts) {
        lhs = lhs + rhs
    }

    /// The columns in table order with their names, `n`, `negative`, `a1` … `r5`.
    public var columns: [(name: String, value: Int64)] {
        let levels = [attitude, efficiency, result].flatMap { counts in Level.allCases.map { counts[$0] } }
        return zip(Rollups.countColumns, [responses, negative] + levels).map { ($0, $1) }
    }

    /// `n=12 negative=1 a=[0,1,2,4,5] e=[…] r=[…]`, levels from 1 (非常不满意) to 5.
    public var description: String {
        func levels(_ counts: LevelCounts) -> String { "[" + Level.allCases.map { "\(counts[$0])" }.joined(separator: ",") + "]" }
        return "n=\(responses) negative=\(negative) a=\(levels(attitude)) e=\(levels(efficiency)) r=\(levels(result))"
    }
}
