import GRDB
import SurveyCore

/// The key of one rollup row. `localDay` is the day, or for the month tables the first
/// day of the month; it is nil only for responses stored without a local day, which is
/// itself damage. `windowID` is nil for `rollup_detail_month`; `staffID` and `itemID` are
/// nil for the window tables, and 0 in the detail tables stands for "none recorded".
public struct RollupKey: Sendable, Hashable, CustomStringConvertible {
    public var localDay: Int64?
    public var departmentID: Int64
    public var windowID: Int64?
    public var staffID: Int64?
    public var itemID: Int64?
    /// The provenance of the responses the row sums, as stored (every table has it).
    public var provenance: String

    /// A key as it is stored; see the type's notes for which parts each table has.
    public init(
        localDay: Int64?, departmentID: Int64, windowID: Int64?, staffID: Int64? = nil, itemID: Int64? = nil,
        provenance: String = Provenance.legacy.rawValue
    ) {
        self.localDay = localDay
        self.departmentID = departmentID
        self.windowID = windowID
        self.staffID = staffID
        self.itemID = itemID
        self.provenance = provenance
    }

    public var description: String {
        var text = localDay.map { "\(LocalDay(daysSinceEpoch: $0))" } ?? "no local day"
        text += " department \(departmentID)"
        if let windowID { text += " window \(windowID)" }
        if let staffID { text += " staff \(staffID)" }
        if let itemID { text += " item \(itemID)" }
        return text + " \(provenance)"
    }
}

/// One rollup row that does not match the responses it should sum.
public struct RollupDifference: Sendable, Hashable, CustomStringConvertible {
    /// The rollup tables.
    public enum Table: String, Sendable, CaseIterable {
        case detailDay = "rollup_detail_day"
        case windowDay = "rollup_window_day"
        case windowMonth = "rollup_window_month"
        case detailMonth = "rollup_detail_month"
    }

    /// The table holding (or missing) the row.
    public var table: Table
    /// The row's key.
    public var key: RollupKey
    /// What the table holds; `.zero` when the row is missing.
    public var stored: RollupCounts
    /// What the valid responses add up to; `.zero` when there are none.
    public var recomputed: RollupCounts

    /// `rollup_window_day 2026-10-01 department 1 window 3: n 12 ≠ 11, a5 7 ≠ 6`, stored first.
    public var description: String {
        let columns = zip(stored.columns, recomputed.columns)
            .filter { $0.value != $1.value }
            .map { "\($0.name) \($0.value) ≠ \($1.value)" }
        return "\(table.rawValue) \(key): " + columns.joined(separator: ", ")
    }
}

/// What `verify()` found: every rollup row compared with a recomputation from the raw
/// responses, and every response's stored local day compared with its `created_at`.
public struct VerificationReport: Sendable {
    /// The zone the rollups are recorded as built for.
    public var timeZoneIdentifier: String
    /// Valid responses recomputed.
    public var validResponses: Int64
    /// Rows read from each rollup table.
    public var windowDayRows: Int
    public var detailDayRows: Int
    public var windowMonthRows: Int
    public var detailMonthRows: Int
    /// Responses (of any status) whose stored local day is not the local day of their
    /// `created_at` in the store's zone.
    public var wrongLocalDays: Int64
    /// How many rollup rows differ, in all four tables.
    public var differenceCount: Int
    /// The first differences found, at most the `limit` given to `verify`.
    public var differences: [RollupDifference]

    /// True when nothing differs: the rollups are exactly the sums of the valid responses.
    public var isConsistent: Bool {
        differenceCount == 0 && wrongLocalDays == 0
    }
}

extension SurveyStore {
    /// Compares every rollup row with a recomputation from the raw responses, in one read
    /// transaction, and reports each difference (up to `limit` of them in detail). Reads
    /// every response once; run it from the CLI, not on a request path.
    public func verify(limit: Int = 1000) throws -> VerificationReport {
        try pool.read { db in
            let zone = try Rollups.builtTimeZoneIdentifier(in: db) ?? ""
            var stored: [RollupDifference.Table: [RollupKey: RollupCounts]] = [:]
            for table in RollupDifference.Table.allCases {
                stored[table] = try Self.storedRollups(table, in: db)
            }
            let rowCounts = stored.mapValues(\.count)

            var differences: [RollupDifference] = []
            var differenceCount = 0
            func note(_ table: RollupDifference.Table, _ key: RollupKey, stored: RollupCounts, recomputed: RollupCounts) {
                guard stored != recomputed else { return }
                differenceCount += 1
                if differences.count < limit {
                    differences.append(RollupDifference(table: table, key: key, stored: stored, recomputed: recomputed))
                }
            }
            /// Compares the recomputed rows of `table` with the stored ones; stored rows
            /// left over have no responses behind them.
            func compare(_ table: RollupDifference.Table, _ recomputed: [RollupKey: RollupCounts]) {
                for (key, counts) in recomputed {
                    note(table, key, stored: stored[table]?.removeValue(forKey: key) ?? .zero, recomputed: counts)
                }
                for (key, counts) in stored[table] ?? [:] {
                    note(table, key, stored: counts, recomputed: .zero)
                }
            }

            // The raw rows are grouped once, by the finest key, and each group is compared
            // with its detail-day row on the spot; the other tables are sums of the groups.
            var windowDays: [RollupKey: RollupCounts] = [:]
            var windowMonths: [RollupKey: RollupCounts] = [:]
            var detailMonths: [RollupKey: RollupCounts] = [:]
            var validResponses: Int64 = 0
            var wrongLocalDays: Int64 = 0
            let rows = try Row.fetchCursor(db, sql: """
                SELECT local_day, department_id, window_id, coalesce(staff_id, 0), coalesce(service_item_id, 0), provenance,
                       \(Rollups.rawSummedColumns), sum(local_day IS NOT pingjia_local_day(coalesce(rated_at, created_at)))
                FROM response WHERE status = 'valid'
                GROUP BY department_id, local_day, window_id, coalesce(staff_id, 0), coalesce(service_item_id, 0), provenance
                """)
            while let row = try rows.next() {
                let day: Int64? = row[0]
                let department: Int64 = row[1], window: Int64 = row[2], staff: Int64 = row[3], item: Int64 = row[4]
                let provenance: String = row[5]
                let counts = Rollups.counts(from: row, at: 6)
                validResponses += counts.responses
                wrongLocalDays += row[6 + Rollups.countColumns.count] as Int64
                let month = day.map(Rollups.monthStart)
                let key = RollupKey(localDay: day, departmentID: department, windowID: window, staffID: staff, itemID: item, provenance: provenance)
                note(.detailDay, key, stored: stored[.detailDay]?.removeValue(forKey: key) ?? .zero, recomputed: counts)
                windowDays[RollupKey(localDay: day, departmentID: department, windowID: window, provenance: provenance), default: .zero] += counts
                windowMonths[RollupKey(localDay: month, departmentID: department, windowID: window, provenance: provenance), default: .zero] += counts
                detailMonths[RollupKey(
                    localDay: month, departmentID: department, windowID: nil, staffID: staff, itemID: item, provenance: provenance
                ), default: .zero] += counts
            }
            compare(.detailDay, [:])
            compare(.windowDay, windowDays)
            compare(.windowMonth, windowMonths)
            compare(.detailMonth, detailMonths)
            wrongLocalDays += try Int64.fetchOne(db, sql: """
                SELECT count(*) FROM response
                WHERE status <> 'valid' AND local_day IS NOT pingjia_local_day(coalesce(rated_at, created_at))
                """) ?? 0

            return VerificationReport(
                timeZoneIdentifier: zone, validResponses: validResponses,
                windowDayRows: rowCounts[.windowDay] ?? 0, detailDayRows: rowCounts[.detailDay] ?? 0,
                windowMonthRows: rowCounts[.windowMonth] ?? 0, detailMonthRows: rowCounts[.detailMonth] ?? 0,
                wrongLocalDays: wrongLocalDays, differenceCount: differenceCount, differences: differences
            )
        }
    }

    /// Recomputes every local day in the store's zone and both rollup tables from the
    /// valid responses, in one transaction; what `pingjia verify --rebuild` runs after a
    /// damaged `verify` or a change of zone.
    public func rebuildRollups() throws {
        try pool.write { db in try Rollups.rebuild(timeZone: timeZone, in: db) }
    }

    /// The zone the rollups are recorded as built for.
    public func rollupTimeZoneIdentifier() throws -> String? {
        try pool.read { db in try Rollups.builtTimeZoneIdentifier(in: db) }
    }

    /// Applies `policy` when the rollups were built for another zone than `timeZone`.
    func checkTimeZone(ifChanged policy: TimeZoneChangePolicy) throws {
        let built = try rollupTimeZoneIdentifier()
        guard built != timeZone.identifier else { return }
        switch policy {
        case .refuse:
            throw RollupError.timeZoneChanged(builtFor: built ?? "(none recorded)", openedWith: timeZone.identifier)
        case .rebuild:
            try rebuildRollups()
        }
    }

    private static func storedRollups(_ table: RollupDifference.Table, in db: Database) throws -> [RollupKey: RollupCounts] {
        let keyColumns: [String] = switch table {
        case .detailDay: ["local_day", "department_id", "window_id", "staff_id", "item_id", "provenance"]
        case .windowDay: ["local_day", "department_id", "window_id", "provenance"]
        case .windowMonth: ["month_start", "department_id", "window_id", "provenance"]
        case .detailMonth: ["month_start", "department_id", "staff_id", "item_id", "provenance"]
        }
        let sql = "SELECT \((keyColumns + Rollups.countColumns).joined(separator: ", ")) FROM \(table.rawValue)"
        var result: [RollupKey: RollupCounts] = [:]
        let rows = try Row.fetchCursor(db, sql: sql)
        while let row = try rows.next() {
            let key = switch table {
            case .detailDay:
                RollupKey(localDay: row[0], departmentID: row[1], windowID: row[2], staffID: row[3], itemID: row[4], provenance: row[5])
            case .windowDay, .windowMonth: RollupKey(localDay: row[0], departmentID: row[1], windowID: row[2], provenance: row[3])
            case .detailMonth:
                RollupKey(localDay: row[0], departmentID: row[1], windowID: nil, staffID: row[2], itemID: row[3], provenance: row[4])
            }
            result[key] = Rollups.counts(from: row, at: keyColumns.count)
        }
        return result
    }
}
