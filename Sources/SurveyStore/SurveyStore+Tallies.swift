import Foundation
import GRDB
import SurveyCore

/// How to split a period's responses into tallies.
public enum TallyGrouping: Sendable, Hashable {
    /// One tally for the whole center.
    case center
    /// One tally per department.
    case department
    /// One tally per window; only the windows of one department when `departmentID` is set.
    case window(departmentID: Int64? = nil)
    /// One tally per member of staff named in a department's responses, plus one for the
    /// responses that named nobody.
    case staff(departmentID: Int64)
    /// One tally per service item named in a department's responses, plus one for the
    /// responses that named no item.
    case item(departmentID: Int64)
}

/// The group a tally belongs to; the key of the dictionaries `tallies` returns.
public enum TallyGroup: Sendable, Hashable, CustomStringConvertible {
    case center
    case department(id: Int64)
    case window(id: Int64)
    /// A member of staff, or nil for responses that named no member of staff.
    case staff(id: Int64?)
    /// A service item, or nil for responses that named no service item.
    case item(id: Int64?)

    public var description: String {
        switch self {
        case .center: "center"
        case .department(let id): "department \(id)"
        case .window(let id): "window \(id)"
        case .staff(let id): id.map { "staff \($0)" } ?? "no staff"
        case .item(let id): id.map { "item \($0)" } ?? "no item"
        }
    }
}

extension SurveyStore {
    /// The tallies of the valid responses whose local day is in `period`, split by
    /// `grouping`, read from the rollups. Only groups with at least one counted response
    /// are present; look up a missing one as `.zero`.
    ///
    /// Responses flagged misuse, invalid or test are left out (see `setStatus`). Cost
    /// grows with days × windows (or × staff and items for `.staff`/`.item`), not with
    /// the number of responses. Throws `RollupError.inconsistentRollup` when the sums are
    /// impossible, which only damaged rollups produce.
    public func tallies(_ period: Period, by grouping: TallyGrouping) throws -> [TallyGroup: ResponseTally] {
        try pool.read { db in try Self.tallies(period, by: grouping, from: .rollups, timeZone: timeZone, in: db) }
    }

    /// The tally of the whole center for `period`; `.zero` when nothing was counted.
    public func centerTally(_ period: Period) throws -> ResponseTally {
        try tallies(period, by: .center)[.center] ?? .zero
    }

    /// `tallies(_:by:)` for each of `periods`, in the same order, read in one transaction
    /// so the periods agree with each other. For trends: `tallies(period.trend(count: 12), …)`.
    public func trendTallies(_ periods: [Period], by grouping: TallyGrouping) throws -> [[TallyGroup: ResponseTally]] {
        try pool.read { db in
            try periods.map { try Self.tallies($0, by: grouping, from: .rollups, timeZone: timeZone, in: db) }
        }
    }

    /// The same as `tallies(_:by:)`, recomputed from the raw responses whose `created_at`
    /// falls within the period's instants in the store's zone. It reads neither the
    /// rollups nor the stored local days, so it is the truth they are checked against;
    /// it is slow on large periods (every response is read).
    ///
    /// With `storedAtOrBefore`, only responses stored at or before that instant (UTC
    /// milliseconds) count: what a publication made at that instant could have seen.
    public func recomputedTallies(
        _ period: Period, by grouping: TallyGrouping, storedAtOrBefore cutoff: Int64? = nil
    ) throws -> [TallyGroup: ResponseTally] {
        try pool.read { db in
            try Self.tallies(period, by: grouping, from: .responses(storedAtOrBefore: cutoff), timeZone: timeZone, in: db)
        }
    }

    // Room for 主动评价率: visits (queue tickets called) are not recorded yet. When they are,
    // a `visit_day(local_day, window_id, department_id, visits)` table keyed like
    // `rollup_window_day` lets the same groupings return visits next to each tally.

    enum TallySource: Equatable {
        case rollups
        case responses(storedAtOrBefore: Int64?)
    }

    static func tallies(
        _ period: Period, by grouping: TallyGrouping, from source: TallySource, timeZone: TimeZone, in db: Database
    ) throws -> [TallyGroup: ResponseTally] {
        let (sql, arguments) = query(period, by: grouping, from: source, timeZone: timeZone)
        var result: [TallyGroup: ResponseTally] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() {
            let counts = Rollups.counts(from: row, at: 1)
            guard counts.responses != 0 else { continue }
            let group = group(of: grouping, key: row[0])
            do {
                result[group] = try counts.tally()
            } catch {
                throw RollupError.inconsistentRollup(period: period.description, group: group)
            }
        }
        return result
    }

    private static func group(of grouping: TallyGrouping, key: Int64) -> TallyGroup {
        switch grouping {
        case .center: .center
        case .department: .department(id: key)
        case .window: .window(id: key)
        case .staff: .staff(id: key == 0 ? nil : key)
        case .item: .item(id: key == 0 ? nil : key)
        }
    }

    /// The SQL and arguments of one tally query. The rollup queries select a range of
    /// local days on a key that starts with `local_day` (window table) or with
    /// `department_id, local_day` (detail table), so they read only the period's rows.
    private static func query(
        _ period: Period, by grouping: TallyGrouping, from source: TallySource, timeZone: TimeZone
    ) -> (String, StatementArguments) {
        let key: String
        var filter: String
        var arguments: StatementArguments
        let table: String
        let sums: String
        switch source {
        case .rollups:
            sums = Rollups.summedColumns
            filter = "local_day BETWEEN ? AND ?"
            arguments = [period.firstDay.daysSinceEpoch, period.lastDay.daysSinceEpoch]
            switch grouping {
            case .center, .department, .window: table = "rollup_window_day"
            case .staff, .item: table = "rollup_detail_day"
            }
        case .responses(let cutoff):
            sums = Rollups.rawSummedColumns
            table = "response"
            filter = "status = 'valid' AND created_at >= ? AND created_at < ?"
            arguments = [period.startMillis(in: timeZone), period.endMillis(in: timeZone)]
            if let cutoff {
                filter += " AND created_at <= ?"
                arguments += [cutoff]
            }
        }
        switch grouping {
        case .center:
            key = "0"
        case .department:
            key = "department_id"
        case .window(let departmentID):
            key = "window_id"
            if let departmentID {
                filter = "department_id = ? AND " + filter
                arguments = [departmentID] + arguments
            }
        case .staff(let departmentID):
            key = source == .rollups ? "staff_id" : "coalesce(staff_id, 0)"
            filter = "department_id = ? AND " + filter
            arguments = [departmentID] + arguments
        case .item(let departmentID):
            key = source == .rollups ? "item_id" : "coalesce(service_item_id, 0)"
            filter = "department_id = ? AND " + filter
            arguments = [departmentID] + arguments
        }
        let groupBy = grouping == .center ? "" : " GROUP BY \(key)"
        return ("SELECT \(key), \(sums) FROM \(table) WHERE \(filter)\(groupBy)", arguments)
    }
}
