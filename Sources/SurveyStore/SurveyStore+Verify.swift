import GRDB
import SurveyCore

/// The key of one rollup row. `staffID` and `itemID` are nil for `rollup_window_day`; in
/// `rollup_detail_day` 0 stands for "none recorded", as in the table. `localDay` is nil
/// only for responses stored without one, which is itself damage.
public struct RollupKey: Sendable, Hashable, CustomStringConvertible {
    public var localDay: Int64?
    public var departmentID: Int64
    public var windowID: Int64
    public var staffID: Int64?
    public var itemID: Int64?

    public init(localDay: Int64?, departmentID: Int64, windowID: Int64, staffID: Int64? = nil, itemID: Int64? = nil) {
        self.localDay = localDay
        self.departmentID = departmentID
        self.windowID = windowID
        self.staffID = staffID
        self.itemID = itemID
    }

    public var description: String {
        var text = localDay.map { "\(LocalDay(daysSinceEpoch: $0))" } ?? "no local day"
        text += " department \(departmentID) window \(windowID)"
        if let staffID { text += " staff \(staffID)" }
        if let itemID { text += " item \(itemID)" }
        return text
    }
}

/// One rollup row that does not match the responses it should sum.
public struct RollupDifference: Sendable, Hashable, CustomStringConvertible {
    /// The rollup tables.
    public enum Table: String, Sendable {
        case windowDay = "rollup_window_day"
        case detailDay = "rollup_detail_day"
    }

    public var table: Table
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
    /// Rows read from `rollup_window_day` and `rollup_detail_day`.
    public var windowDayRows: Int
    public var detailDayRows: Int
    /// Responses (of any status) whose stored local day is not the local day of their
    /// `created_at` in the store's zone.
    public var wrongLocalDays: Int64
    /// How many rollup rows differ, in both tables.
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
            var storedWindows = try Self.storedRollups(
                sql: "SELECT local_day, department_id, window_id, \(Rollups.countColumns.joined(separator: ", ")) FROM rollup_window_day",
                detail: false, in: db
            )
            var storedDetails = try Self.storedRollups(
                sql: """
                    SELECT local_day, department_id, window_id, staff_id, item_id, \(Rollups.countColumns.joined(separator: ", "))
                    FROM rollup_detail_day
                    """,
                detail: true, in: db
            )
            let windowDayRows = storedWindows.count
            let detailDayRows = storedDetails.count

            var differences: [RollupDifference] = []
            var differenceCount = 0
            func note(_ table: RollupDifference.Table, _ key: RollupKey, stored: RollupCounts, recomputed: RollupCounts) {
                guard stored != recomputed else { return }
                differenceCount += 1
                if differences.count < limit {
                    differences.append(RollupDifference(table: table, key: key, stored: stored, recomputed: recomputed))
                }
            }

            // The finest grouping once; window rows are its sums.
            var recomputedWindows: [RollupKey: RollupCounts] = [:]
            var validResponses: Int64 = 0
            var wrongLocalDays: Int64 = 0
            let rows = try Row.fetchCursor(db, sql: """
                SELECT local_day, department_id, window_id, coalesce(staff_id, 0), coalesce(service_item_id, 0),
                       \(Rollups.rawSummedColumns), sum(local_day IS NOT pingjia_local_day(created_at))
                FROM response WHERE status = 'valid'
                GROUP BY department_id, local_day, window_id, coalesce(staff_id, 0), coalesce(service_item_id, 0)
                """)
            while let row = try rows.next() {
                let key = RollupKey(localDay: row[0], departmentID: row[1], windowID: row[2], staffID: row[3], itemID: row[4])
                let counts = Rollups.counts(from: row, at: 5)
                validResponses += counts.responses
                wrongLocalDays += row[5 + Rollups.countColumns.count] as Int64
                note(.detailDay, key, stored: storedDetails.removeValue(forKey: key) ?? .zero, recomputed: counts)
                let windowKey = RollupKey(localDay: key.localDay, departmentID: key.departmentID, windowID: key.windowID)
                recomputedWindows[windowKey, default: .zero] += counts
            }
            for (key, stored) in storedDetails {
                note(.detailDay, key, stored: stored, recomputed: .zero)
            }
            for (key, recomputed) in recomputedWindows {
                note(.windowDay, key, stored: storedWindows.removeValue(forKey: key) ?? .zero, recomputed: recomputed)
            }
            for (key, stored) in storedWindows {
                note(.windowDay, key, stored: stored, recomputed: .zero)
            }
            wrongLocalDays += try Int64.fetchOne(db, sql: """
                SELECT count(*) FROM response
                WHERE status <> 'valid' AND local_day IS NOT pingjia_local_day(created_at)
                """) ?? 0

            return VerificationReport(
                timeZoneIdentifier: zone, validResponses: validResponses,
                windowDayRows: windowDayRows, detailDayRows: detailDayRows, wrongLocalDays: wrongLocalDays,
                differenceCount: differenceCount, differences: differences
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

    private static func storedRollups(sql: String, detail: Bool, in db: Database) throws -> [RollupKey: RollupCounts] {
        var result: [RollupKey: RollupCounts] = [:]
        let rows = try Row.fetchCursor(db, sql: sql)
        let first = detail ? 5 : 3
        while let row = try rows.next() {
            let key = RollupKey(
                localDay: row[0], departmentID: row[1], windowID: row[2],
                staffID: detail ? row[3] : nil, itemID: detail ? row[4] : nil
            )
            result[key] = Rollups.counts(from: row, at: first)
        }
        return result
    }
}
