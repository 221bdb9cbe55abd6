import Foundation
import GRDB
import Hashing
import SurveyCore
import Testing
@testable import SurveyStore

/// Staff accounts, sessions and the audit log, on a real database file.
@Suite struct StaffAccountTests {
    @Test func anAccountIsStoredWithAnArgon2idHashItsDepartmentsAndAnAuditRow() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let user = try fixture.store.createStaffUser(
            username: "Wang.Fang", role: .head, password: "a long enough pass", departmentCodes: ["SPK"], actor: "cli:root"
        )
        #expect(user.username == "wang.fang")
        #expect(user.departmentCodes == ["SPK"])
        #expect(user.departmentScope == .only(["SPK"]))
        let credentials = try #require(try fixture.store.staffCredentials(named: "WANG.FANG"))
        #expect(credentials.passwordHash.hasPrefix("$argon2id$"))
        #expect(PasswordHash.verify("a long enough pass", against: credentials.passwordHash))
        let audit = try fixture.store.auditEntries(limit: 10)
        #expect(audit.map(\.action) == ["user.create"])
        #expect(audit[0].actor == "cli:root")
        #expect(audit[0].afterJSON?.contains("\"role\":\"head\"") == true)
        #expect(audit[0].afterJSON?.contains("argon2") == false)
    }

    @Test func weakPasswordsDuplicateNamesAndUnknownDepartmentsAreRefusedAndStoreNothing() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        #expect(throws: StaffAccountError.passwordTooShort(minimum: 10)) {
            try fixture.store.createStaffUser(username: "li", role: .viewer, password: "short", departmentCodes: [], actor: "t")
        }
        #expect(throws: StaffAccountError.passwordIsUsername) {
            try fixture.store.createStaffUser(username: "reviewer01", role: .viewer, password: "Reviewer01", departmentCodes: [], actor: "t")
        }
        #expect(throws: StaffAccountError.unknownDepartment("NOPE")) {
            try fixture.store.createStaffUser(username: "li", role: .head, password: "0123456789", departmentCodes: ["NOPE"], actor: "t")
        }
        #expect(try fixture.store.staffUsers().isEmpty)
        try fixture.store.createStaffUser(username: "li", role: .head, password: "0123456789", departmentCodes: [], actor: "t")
        #expect(throws: StaffAccountError.duplicateUsername("li")) {
            try fixture.store.createStaffUser(username: "LI", role: .head, password: "0123456789", departmentCodes: [], actor: "t")
        }
    }

    @Test func aPasswordChangeAndDisablingEndTheSessions() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let user = try fixture.store.createStaffUser(username: "zhao", role: .reviewer, password: "0123456789", departmentCodes: ["SWK"], actor: "t")
        let token = SHA256.hash(randomBytes(32))
        try fixture.store.startSession(tokenHash: token, csrfToken: "c", user: user, expiresAtMillis: .max)
        #expect(try fixture.store.session(forTokenHash: token)?.user.username == "zhao")
        try fixture.store.setStaffPassword(named: "zhao", password: "9876543210", actor: "t")
        #expect(try fixture.store.session(forTokenHash: token) == nil)
        try fixture.store.startSession(tokenHash: token, csrfToken: "c", user: user, expiresAtMillis: .max)
        try fixture.store.disableStaffUser(named: "zhao", actor: "t")
        #expect(try fixture.store.session(forTokenHash: token) == nil)
        #expect(try fixture.store.staffUser(named: "zhao")?.disabled == true)
        #expect(try fixture.store.auditEntries(limit: 10).map(\.action)
            == ["user.disable", "session.start", "user.password", "session.start", "user.create"])
    }

    @Test func auditRowsCannotBeChangedOrDeleted() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        try fixture.store.record(audit: AuditEntry(
            actor: "t", action: "test.action", subjectType: "thing", subjectID: "1", beforeJSON: nil, afterJSON: "{}"
        ))
        for statement in ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"] {
            #expect(throws: DatabaseError.self) { try fixture.store.pool.write { db in try db.execute(sql: statement) } }
        }
        let entries = try fixture.store.auditEntries(limit: 10)
        #expect(entries.count == 1 && entries[0].actor == "t")
    }
}
