import Foundation
import GRDB
import SurveyCore
@testable import SurveyStore
import Testing

/// Case actions and status changes in the general audit log: one row per change, written
/// in the change's own transaction (a refused action leaves no row, a failing audit row
/// undoes the change), with the record before and after.
@Suite struct CaseAuditTests {
    static let head = Principal(kind: .staff(username: "head1", role: .head), departments: .only(["SPK"]))
    static let admin = Principal(kind: .staff(username: "admin1", role: .admin), departments: .all)

    static func json(_ text: String?) throws -> [String: Any] {
        let data = Data(try #require(text).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everyCaseActionIsAuditedWithTheCaseBeforeAndAfter() throws {
        let center = try StoreFixture(timeZone: StoreFixture.shanghai)
        let response = try center.record(center.w1, (5, 2, 5), at: "2026-11-27 16:30:00")
        let caseID = try #require(try center.store.case(responseID: response.id, scope: .all)).file.id
        let before = try center.store.auditEntries(limit: 1000).count
        try center.store.perform(.start(note: "核实属实"), on: caseID, by: Self.head)
        try center.store.perform(.note("电话未接通", callbackAttempt: true), on: caseID, by: Self.head)
        try center.store.perform(.rectify(callback: .satisfied, note: "已整改并回访"), on: caseID, by: Self.head)
        let entries = try center.store.auditEntries(limit: 1000)
        #expect(entries.count == before + 3)
        #expect(entries.prefix(3).map(\.action) == ["case.rectify", "case.note", "case.start"])
        #expect(entries.prefix(3).allSatisfy { $0.actor == "head1" && $0.subjectType == "case" && $0.subjectID == String(caseID) })
        let rectify = entries[0]
        let old = try Self.json(rectify.beforeJSON), new = try Self.json(rectify.afterJSON)
        #expect(old["state"] as? String == "in_progress" && old["callback_attempts"] as? Int == 1)
        #expect(new["state"] as? String == "rectified" && new["callback_result"] as? String == "satisfied")
        #expect(new["note"] as? String == "已整改并回访")
        // The audit row and the case's own history agree on when.
        let history = try #require(try center.store.case(id: caseID, scope: .all)).history
        #expect(history.last?.atMillis == rectify.atMillis)
    }

    @Test func aRefusedActionChangesNothingAndIsNotAudited() throws {
        let center = try StoreFixture(timeZone: StoreFixture.shanghai)
        let response = try center.record(center.w1, (1, 1, 1), at: "2026-11-27 09:00:00")
        let caseID = try #require(try center.store.case(responseID: response.id, scope: .all)).file.id
        let before = try center.store.auditEntries(limit: 1000)
        #expect(throws: CaseActionError.self) { try center.store.perform(.close(note: nil), on: caseID, by: Self.head) }
        let outsider = Principal(kind: .staff(username: "head2", role: .head), departments: .only(["OTHER"]))
        #expect(throws: CaseStoreError.caseNotFound(id: caseID)) { try center.store.perform(.start(note: nil), on: caseID, by: outsider) }
        #expect(try center.store.auditEntries(limit: 1000) == before)
        #expect(try center.store.case(id: caseID, scope: .all)?.history.isEmpty == true)
    }

    @Test func anAuditRowThatCannotBeWrittenUndoesTheAction() throws {
        let center = try StoreFixture(timeZone: StoreFixture.shanghai)
        let response = try center.record(center.w1, (2, 5, 5), at: "2026-11-27 09:00:00")
        let caseID = try #require(try center.store.case(responseID: response.id, scope: .all)).file.id
        try DatabaseQueue(path: center.path).write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_case_audit BEFORE INSERT ON audit_log WHEN NEW.action LIKE 'case.%'
                BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;
                """)
        }
        #expect(throws: (any Error).self) { try center.store.perform(.start(note: nil), on: caseID, by: Self.head) }
        let detail = try #require(try center.store.case(id: caseID, scope: .all))
        #expect(detail.file.state == .new(pending: nil) && detail.history.isEmpty)
    }

    @Test func flagsAndRestoresAreAuditedAndAnUpheldAppealToo() throws {
        let center = try StoreFixture(timeZone: StoreFixture.shanghai)
        let response = try center.record(center.w1, (1, 3, 3), at: "2026-11-27 09:00:00")
        try center.store.setStatus(responseID: response.id, status: .test, reason: "安装测试", by: "head1")
        try center.store.setStatus(responseID: response.id, status: .test, reason: "again", by: "head1")  // no change, no row
        try center.store.setStatus(responseID: response.id, status: .valid, reason: "误标", by: "admin1")
        let rows = try center.store.auditEntries(limit: 1000).filter { $0.action == "response.status" }
        #expect(rows.map(\.actor) == ["admin1", "head1"])
        #expect(try Self.json(rows[1].beforeJSON)["status"] as? String == "valid")
        #expect(try Self.json(rows[1].afterJSON)["status"] as? String == "test")
        #expect(try Self.json(rows[1].afterJSON)["reason"] as? String == "安装测试")

        let caseID = try #require(try center.store.case(responseID: response.id, scope: .all)).file.id
        try center.store.perform(.appeal(ruling: .malicious, reason: "同一号码反复差评"), on: caseID, by: Self.head)
        try center.store.perform(.approveAppeal(note: nil), on: caseID, by: Self.admin)
        let latest = try center.store.auditEntries(limit: 2)
        #expect(Set(latest.map(\.action)) == ["case.approve_appeal", "response.status"])
        #expect(latest.allSatisfy { $0.actor == "admin1" })
        #expect(try center.store.status(responseID: response.id) == .misuse)
    }
}
