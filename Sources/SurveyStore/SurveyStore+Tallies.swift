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
    /// Only responses whose provenance is in `provenances` are counted: every provenance
    /// unless told otherwise; reports pass their policy's `countedProvenances`. Responses
    /// flagged misuse, invalid, test or suspect are left out (see `setStatus`). Whole
    /// months are read from month sums and the days of a partial month from day sums, so
    /// the cost grows with months × windows (or × staff and items for `.staff`/`.item`),
    /// not with the number of responses. Throws `RollupError.inconsistentRollup` when the sums are
    /// impossible, which only damaged rollups produce.
    public func tallies(
        _ period: Period, by grouping: TallyGrouping, counting provenances: Set<Provenance> = Set(Provenance.allCases)
    ) throws -> [TallyGroup: ResponseTally] {
        try snapshot { try $0.tallies(period, by: grouping, counting: provenances) }
    }

    /// The tallies of `tallies(_:by:)` split by provenance: every stored valid response,
    /// counted by the indicator or not. Reports take from it the tally of the provenances
    /// their policy counts and the count of each provenance.
    public func provenanceTallies(_ period: Period, by grouping: TallyGrouping) throws -> [TallyGroup: ProvenanceTally] {
        try snapshot { try $0.provenanceTallies(period, by: grouping) }
    }

    /// The tally of the whole center for `period`; `.zero` when nothing was counted.
    public func centerTally(_ period: Period, counting provenances: Set<Provenance> = Set(Provenance.allCases)) throws -> ResponseTally {
        try tallies(period, by: .center, counting: provenances)[.center] ?? .zero
    }

    /// `tallies(_:by:)` for each of `periods`, in the same order, read in one transaction
    /// so the periods agree with each other. For trends: `tallies(period.trend(count: 12), …)`.
    public func trendTallies(_ periods: [Period], by grouping: TallyGrouping) throws -> [[TallyGroup: ResponseTally]] {
        try snapshot { try $0.trendTallies(periods, by: grouping) }
    }

    /// The same as `tallies(_:by:)`, recomputed from the raw responses given (`rated_at`,
    /// or `created_at` for rows older than it) within the period's instants in the store's zone. It reads neither the
    /// rollups nor the stored local days, so it is the truth they are checked against;
    /// it is slow on large periods (every response is read).
    ///
    /// With `storedAtOrBefore`, only responses stored at or before that instant (UTC
    /// milliseconds) count: what a publication made at that instant could have seen. A
    /// rating given in the period but stored after its publication is late.
    public func recomputedTallies(
        _ period: Period, by grouping: TallyGrouping, storedAtOrBefore cutoff: Int64? = nil,
        counting provenances: Set<Provenance> = Set(Provenance.allCases)
    ) throws -> [TallyGroup: ResponseTally] {
        try snapshot { try $0.recomputedTallies(period, by: grouping, storedAtOrBefore: cutoff, counting: provenances) }
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
    ) throws -> [TallyGroup: ProvenanceTally] {
        var sums: [Int64: [Provenance: RollupCounts]] = [:]
        for (sql, arguments) in queries(period, by: grouping, from: source, timeZone: timeZone) {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
            while let row = try rows.next() {
                let provenance = Provenance(rawValue: row[1]) ?? .unverified
                sums[row[0], default: [:]][provenance, default: .zero] += Rollups.counts(from: row, at: 2)
            }
        }
        var result: [TallyGroup: ProvenanceTally] = [:]
        for (key, byProvenance) in sums {
            let group = group(of: grouping, key: key)
            var tally = ProvenanceTally.zero
            for (provenance, counts) in byProvenance where counts.responses != 0 {
                do {
                    tally.add(try counts.tally(), as: provenance)
                } catch {
                    throw RollupError.inconsistentRollup(period: period.description, group: group)
                }
            }
            if !tally.byProvenance.isEmpty { result[group] = tally }
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

    /// A stretch of a period read from one rollup table: whole months from a month table,
    /// or single days from a day table, `first...last` on that table's day column.
    struct RollupSpan: Equatable {
        var months: Bool
        var first: Int64
        var last: Int64
    }

    /// The period as at most three spans: the days before its first whole month, its
    /// whole months, and the days after its last whole month. A month, quarter, half or
    /// year is one span of months; a range within one month is one span of days.
    static func spans(of period: Period) -> [RollupSpan] {
        let first = period.firstDay.daysSinceEpoch
        let last = period.lastDay.daysSinceEpoch
        let monthsFrom = Rollups.monthStart(first) == first ? first : Rollups.nextMonthStart(first)
        let monthsUntil = Rollups.monthStart(last + 1) == last + 1 ? last + 1 : Rollups.monthStart(last)
        guard monthsFrom < monthsUntil else { return [RollupSpan(months: false, first: first, last: last)] }
        var spans: [RollupSpan] = []
        if first < monthsFrom { spans.append(RollupSpan(months: false, first: first, last: monthsFrom - 1)) }
        spans.append(RollupSpan(months: true, first: monthsFrom, last: monthsUntil - 1))
        if monthsUntil <= last { spans.append(RollupSpan(months: false, first: monthsUntil, last: last)) }
        return spans
    }

    /// The SQL and arguments of the queries whose rows, added up by key, are the tallies.
    /// Each rollup query selects a range on a key that starts with the day or month
    /// (window tables) or with `department_id` and then the day or month (detail tables),
    /// so it reads only the period's rows: a year is 12 rows per window.
    private static func queries(
        _ period: Period, by grouping: TallyGrouping, from source: TallySource, timeZone: TimeZone
    ) -> [(String, StatementArguments)] {
        var key: String
        var scope: Int64?
        var detail = false
        switch grouping {
        case .center: key = "0"
        case .department: key = "department_id"
        case .window(let departmentID): key = "window_id"; scope = departmentID
        case .staff(let departmentID): key = "staff_id"; scope = departmentID; detail = true
        case .item(let departmentID): key = "item_id"; scope = departmentID; detail = true
        }
        let scopeFilter = scope == nil ? "" : "department_id = ? AND "
        let scopeArguments: StatementArguments = scope.map { [$0] } ?? []

        switch source {
        case .responses(let cutoff):
            if case .staff = grouping { key = "coalesce(staff_id, 0)" }
            if case .item = grouping { key = "coalesce(service_item_id, 0)" }
            var sql = "SELECT \(key), provenance, \(Rollups.rawSummedColumns) FROM response "
                + "WHERE \(scopeFilter)status = 'valid' AND coalesce(rated_at, created_at) >= ? "
                + "AND coalesce(rated_at, created_at) < ?"
            var arguments = scopeArguments + [period.startMillis(in: timeZone), period.endMillis(in: timeZone)]
            if let cutoff {
                sql += " AND created_at <= ?"
                arguments += [cutoff]
            }
            sql += grouping == .center ? " GROUP BY provenance" : " GROUP BY \(key), provenance"
            return [(sql, arguments)]
        case .rollups:
            let groupBy = grouping == .center ? " GROUP BY provenance" : " GROUP BY \(key), provenance"
            return spans(of: period).map { span in
                let table = (detail ? "rollup_detail_" : "rollup_window_") + (span.months ? "month" : "day")
                let column = span.months ? "month_start" : "local_day"
                let sql = "SELECT \(key), provenance, \(Rollups.summedColumns) FROM \(table) "
                    + "WHERE \(scopeFilter)\(column) BETWEEN ? AND ?\(groupBy)"
                return (sql, scopeArguments + [span.first, span.last])
            }
        }
    }
}
