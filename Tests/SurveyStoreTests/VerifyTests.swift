import Foundation
import GRDB
import SurveyCore
import SurveyStore
import Testing

/// `verify` finds every rollup row that does not match the responses, and nothing on a
/// good database; `rebuildRollups` repairs what it finds.
@Suite struct VerifyTests {
    /// Writes to the store's file behind its back, as a damaged disk or a hand edit would.
    static func tamper(_ f: StoreFixture, _ sql: String) throws {
        let queue = try DatabaseQueue(path: f.path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    @Test func aGoodDatabaseHasNoDifferences() throws {
        let f = try TallyTests.center()
        let report = try f.store.verify()
        #expect(report.isConsistent)
        #expect(report.differenceCount == 0 && report.differences.isEmpty)
        #expect(report.validResponses == 8)          // 7 in Q4, 1 in Q3; the misuse is not counted
        #expect(report.windowDayRows == 7)
        #expect(report.detailDayRows == 8)
        #expect(report.windowMonthRows == 6)    // W1: Sep, Oct, Nov; W2: Dec; W3: Oct, Dec
        #expect(report.detailMonthRows == 7)
        #expect(report.timeZoneIdentifier == "Asia/Shanghai")
    }

    @Test func anEmptyDatabaseIsConsistent() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        let report = try store.verify()
        #expect(report.isConsistent && report.validResponses == 0 && report.windowDayRows == 0)
    }

    @Test func aTamperedWindowRowIsReportedWithTheColumnsThatDiffer() throws {
        let f = try TallyTests.center()
        try Self.tamper(f, "UPDATE rollup_window_day SET n = n + 1, a5 = a5 + 1 WHERE window_id = \(f.w3.id) AND local_day = 20734")
        let report = try f.store.verify()
        #expect(!report.isConsistent)
        // The edit reached the month table through its trigger, so both are wrong.
        #expect(report.differenceCount == 2)
        let day = try #require(report.differences.first { $0.table == .windowDay })
        #expect(day.key == RollupKey(localDay: 20734, departmentID: f.tax.id, windowID: f.w3.id, provenance: "unverified"))
        #expect(day.stored.responses == day.recomputed.responses + 1)
        #expect(day.description == "rollup_window_day 2026-10-08 department \(f.tax.id) window \(f.w3.id) unverified: n 2 ≠ 1, a5 1 ≠ 0")
        let month = try #require(report.differences.first { $0.table == .windowMonth })
        #expect(month.description == "rollup_window_month 2026-10-01 department \(f.tax.id) window \(f.w3.id) unverified: n 3 ≠ 2, a5 1 ≠ 0")
        // The damaged sums are impossible, so the tally refuses them rather than grade them.
        #expect(throws: RollupError.self) { try f.store.tallies(period("2026-Q4"), by: .department) }
        #expect(throws: RollupError.self) { try f.store.tallies(period("2026-10-08"), by: .department) }

        try f.store.rebuildRollups()
        #expect(try f.store.verify().isConsistent)
        #expect(try f.store.centerTally(period("2026-Q4")).responses == 7)
    }

    @Test func aRollupRowCannotBeMovedToAnotherKey() throws {
        let f = try TallyTests.center()
        #expect(throws: DatabaseError.self) { try Self.tamper(f, "UPDATE rollup_detail_day SET local_day = local_day + 1") }
        #expect(throws: DatabaseError.self) { try Self.tamper(f, "UPDATE rollup_window_day SET window_id = 99") }
        #expect(try f.store.verify().isConsistent)
    }

    @Test func missingAndExtraDetailRowsAndWrongLocalDaysAreReported() throws {
        let f = try TallyTests.center()
        try Self.tamper(f, """
            DELETE FROM rollup_detail_day WHERE staff_id = \(f.s2.id);
            INSERT INTO rollup_detail_day VALUES (\(f.tax.id), 20800, \(f.w3.id), 0, 0, 'unverified', 1, 0, 0,0,0,0,1, 0,0,0,0,1, 0,0,0,0,1);
            UPDATE response SET local_day = local_day + 1 WHERE id = 1;
            """)
        let report = try f.store.verify()
        #expect(report.wrongLocalDays == 1)
        // The deleted detail row (deletes do not cascade); the invented one and the three
        // rows its triggers added it to; the moved response's old and new day in the
        // detail and window tables (its month is the same).
        #expect(report.differenceCount == 9)
        #expect(report.differences.filter { $0.table == .detailMonth }.count == 1)
        #expect(report.differences.filter { $0.table == .windowMonth }.count == 1)
        #expect(report.differences.contains { $0.table == .detailDay && $0.key.staffID == f.s2.id && $0.stored == .zero })
        #expect(report.differences.contains { $0.key.localDay == 20_800 && $0.recomputed == .zero })
        #expect(try f.store.verify(limit: 2).differences.count == 2)

        try f.store.rebuildRollups()
        let repaired = try f.store.verify()
        #expect(repaired.isConsistent && repaired.wrongLocalDays == 0)
    }
}
