import Foundation
import SurveyCore
import Testing
@testable import SurveyStore

/// Administration of the directory on a real database file: every operation, its rules and
/// its audit rows, and that history stays where it was.
@Suite struct DirectoryAdminTests {
    let actor = "admin"

    @Test func addingEachKindIsAuditedAndBumpsTheVersion() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let store = fixture.store
        let version = try store.directoryVersion()
        try store.addDirectoryEntry(DirectoryEntry(kind: .department, code: "GAJ", name: "  公安局  "), actor: actor)
        try store.addDirectoryEntry(DirectoryEntry(kind: .window, code: "W9", name: "9号窗口", department: "GAJ"), actor: actor)
        try store.addDirectoryEntry(DirectoryEntry(kind: .item, code: "I9", name: "户籍办理", department: "GAJ"), actor: actor)
        let staff = try store.addDirectoryEntry(DirectoryEntry(kind: .staff, code: "S9", name: "陈九", department: "GAJ", window: "W9"), actor: actor)
        #expect(staff.window == "W9")
        #expect(try store.directoryVersion() == version + 4)

        let directory = try store.directory()
        #expect(directory.department(code: "GAJ")?.name == "公安局")
        let window = try #require(directory.window(code: "W9"))
        #expect(directory.department(id: window.departmentID)?.code == "GAJ")
        #expect(directory.staffMember(code: "S9")?.windowID == window.id)

        let audit = try store.auditEntries(limit: 10)
        #expect(audit.map(\.action) == ["staff.add", "item.add", "window.add", "department.add"])
        #expect(audit.allSatisfy { $0.actor == actor && $0.beforeJSON == nil })
        #expect(audit[0].subjectType == "staff" && audit[0].subjectID == "S9")
        #expect(audit[0].afterJSON == #"{"active":true,"code":"S9","department":"GAJ","name":"陈九","window":"W9"}"#)
    }

    @Test(arguments: [
        (DirectoryEntry(kind: .window, code: "W 1", name: "x", department: "SPK"), DirectoryError.invalidCode(.window, "W 1")),
        (DirectoryEntry(kind: .window, code: "-W", name: "x", department: "SPK"), .invalidCode(.window, "-W")),
        (DirectoryEntry(kind: .window, code: "W9", name: " \u{200B} ", department: "SPK"), .emptyName(.window)),
        (DirectoryEntry(kind: .window, code: "W9", name: String(repeating: "窗", count: 65), department: "SPK"), .nameTooLong(.window, limit: 64)),
        (DirectoryEntry(kind: .window, code: "w1", name: "x", department: "SPK"), .duplicateCode(.window, "w1")),
        (DirectoryEntry(kind: .window, code: "W9", name: "x", department: "NOPE"), .unknownDepartment("NOPE")),
        (DirectoryEntry(kind: .item, code: "I9", name: "x", department: ""), .unknownDepartment("")),
        (DirectoryEntry(kind: .staff, code: "S9", name: "x", department: "SPK", window: "W3"), .windowInOtherDepartment(window: "W3", department: "SPK")),
        (DirectoryEntry(kind: .staff, code: "S9", name: "x", department: "SPK", window: "W404"), .unknownWindow("W404")),
        (DirectoryEntry(kind: .department, code: "SPK", name: "x"), .duplicateCode(.department, "SPK")),
    ])
    func invalidAdditionsAreRefusedAndChangeNothing(entry: DirectoryEntry, error: DirectoryError) throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let before = try fixture.store.directory()
        #expect(throws: error) { try fixture.store.addDirectoryEntry(entry, actor: actor) }
        let after = try fixture.store.directory()
        #expect(after.entries == before.entries)
        #expect(after.version == before.version)
        #expect(try fixture.store.auditEntries(limit: 10).isEmpty)
    }

    @Test func renamingKeepsHistoryAndIsAuditedWithBeforeAndAfter() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let stored = try fixture.record(fixture.w1, (5, 5, 5), at: "2026-03-02 10:00:00")
        let change = try #require(try fixture.store.editDirectoryEntry(.window, code: "W1", DirectoryEdit(name: "综合受理窗口"), actor: actor))
        #expect(change.effects == ["renamed"])
        let entry = try #require(try fixture.store.feedback(FeedbackFilter(), scope: .all).entries.first)
        #expect(entry.response.id == stored.id && entry.response.windowCode == "W1")
        let audit = try #require(try fixture.store.auditEntries(limit: 1).first)
        #expect(audit.action == "window.edit")
        #expect(audit.beforeJSON?.contains("1号窗口") == true)
        #expect(audit.afterJSON?.contains("综合受理窗口") == true)
        // The same edit again changes nothing and writes no audit row.
        #expect(try fixture.store.editDirectoryEntry(.window, code: "W1", DirectoryEdit(name: "综合受理窗口"), actor: actor) == nil)
        #expect(try fixture.store.auditEntries(limit: 10).count == 1)
    }

    @Test func aCodeWithResponsesCannotChangeButAnUnusedOneCanAndTheOldOneIsThenFree() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        try fixture.record(fixture.w1, (4, 4, 4), at: "2026-03-02 10:00:00", staff: fixture.s1, item: fixture.i1)
        for (kind, code) in [(DirectoryKind.window, "W1"), (.department, "SPK"), (.staff, "S1"), (.item, "I1")] {
            #expect(throws: DirectoryError.codeInUse(kind, code)) {
                try fixture.store.editDirectoryEntry(kind, code: code, DirectoryEdit(code: code + "X"), actor: actor)
            }
        }
        let change = try #require(try fixture.store.editDirectoryEntry(.window, code: "W2", DirectoryEdit(code: "W20"), actor: actor))
        #expect(change.effects == ["recoded"])
        #expect(try fixture.store.directory().window(code: "W2") == nil)
        // Another window may take W2: no rating was ever given under it.
        try fixture.store.addDirectoryEntry(DirectoryEntry(kind: .window, code: "W2", name: "新2号", department: "SWK"), actor: actor)
        // A code in use can never be taken again, even once its record is deactivated.
        try fixture.store.deactivateDirectoryEntry(.window, code: "W1", actor: actor)
        #expect(throws: DirectoryError.duplicateCode(.window, "W1")) {
            try fixture.store.addDirectoryEntry(DirectoryEntry(kind: .window, code: "W1", name: "x", department: "SPK"), actor: actor)
        }
        #expect(throws: DirectoryError.duplicateCode(.window, "W3")) {
            try fixture.store.editDirectoryEntry(.window, code: "W20", DirectoryEdit(code: "W3"), actor: actor)
        }
    }

    @Test func aMovedWindowKeepsItsPastResponsesInItsOldDepartment() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        try fixture.record(fixture.w1, (5, 5, 5), at: "2026-03-02 10:00:00")
        try fixture.record(fixture.w1, (1, 1, 1), at: "2026-03-03 10:00:00")
        let change = try #require(try fixture.store.editDirectoryEntry(.window, code: "W1", DirectoryEdit(department: "SWK"), actor: actor))
        #expect(change.effects == ["moved"])
        // After the move, the window's new ratings go to 税务科.
        let directory = try fixture.store.directory()
        let moved = try #require(directory.window(code: "W1"))
        #expect(moved.departmentID == fixture.tax.id)
        let later = try Submission(windowCode: "W1", attitude: .number(5), efficiency: .number(5), result: .number(5), channel: "kiosk",
                                   clientID: UUID().uuidString)
            .validated(in: directory, policy: SurveyPolicy())
        #expect(later.department.code == "SWK")
        _ = try fixture.store.record(later, atMillis: StoreFixture.millis(beijing: "2026-03-04 10:00:00"))

        let march = period("2026-03")
        let byDepartment = try fixture.store.tallies(march, by: .department)
        #expect(byDepartment[.department(id: fixture.permits.id)]?.responses == 2)
        #expect(byDepartment[.department(id: fixture.tax.id)]?.responses == 1)
        let permitWindows = try fixture.store.tallies(march, by: .window(departmentID: fixture.permits.id))
        #expect(permitWindows[.window(id: fixture.w1.id)]?.responses == 2)

        var filter = FeedbackFilter()
        filter.departmentCode = "SPK"
        #expect(try fixture.store.feedback(filter, scope: .all).entries.map(\.response.departmentCode) == ["SPK", "SPK"])
        filter.departmentCode = "SWK"
        #expect(try fixture.store.feedback(filter, scope: .only(["SWK"])).entries.count == 1)
        #expect(try fixture.store.verify().isConsistent)
    }

    @Test func deactivatingKeepsTheRecordAndADepartmentMustBeEmptiedFirst() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        #expect(throws: DirectoryError.departmentInUse("SWK", active: 3)) {
            try fixture.store.deactivateDirectoryEntry(.department, code: "SWK", actor: actor)
        }
        for (kind, code) in [(DirectoryKind.window, "W3"), (.item, "I2"), (.staff, "S3")] {
            let change = try #require(try fixture.store.deactivateDirectoryEntry(kind, code: code, actor: actor))
            #expect(change.auditAction == "\(kind.rawValue).deactivate")
        }
        #expect(try fixture.store.deactivateDirectoryEntry(.window, code: "W3", actor: actor) == nil)
        try fixture.store.deactivateDirectoryEntry(.department, code: "SWK", actor: actor)
        let directory = try fixture.store.directory()
        #expect(directory.department(code: "SWK")?.active == false)
        #expect(directory.window(code: "W3")?.active == false)
        #expect(directory.entries.count == 10)
        #expect(throws: DirectoryError.inactiveDepartment("SWK")) {
            try fixture.store.addDirectoryEntry(DirectoryEntry(kind: .window, code: "W9", name: "x", department: "SWK"), actor: actor)
        }
        #expect(throws: DirectoryError.inactiveDepartment("SWK")) {
            try fixture.store.reactivateDirectoryEntry(.window, code: "W3", actor: actor)
        }
        // Ratings can no longer name a deactivated window, item or member of staff.
        let submission = Submission(windowCode: "W3", attitude: .number(5), efficiency: .number(5), result: .number(5), clientID: UUID().uuidString)
        #expect(throws: SubmissionError.unknownWindow("W3")) { try submission.validated(in: directory, policy: SurveyPolicy()) }
        #expect(throws: DirectoryError.notFound(.window, "W404")) {
            try fixture.store.deactivateDirectoryEntry(.window, code: "W404", actor: actor)
        }
        #expect(throws: DirectoryError.nothingToChange) {
            try fixture.store.editDirectoryEntry(.window, code: "W1", DirectoryEdit(), actor: actor)
        }
    }

    @Test func aStaffMembersUsualWindowMustBeInTheirDepartment() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        try fixture.store.editDirectoryEntry(.staff, code: "S1", DirectoryEdit(window: "W1"), actor: actor)
        #expect(try fixture.store.directory().entry(.staff, code: "S1")?.window == "W1")
        #expect(throws: DirectoryError.windowInOtherDepartment(window: "W1", department: "SWK")) {
            try fixture.store.editDirectoryEntry(.staff, code: "S1", DirectoryEdit(department: "SWK"), actor: actor)
        }
        let change = try #require(try fixture.store.editDirectoryEntry(.staff, code: "S1", DirectoryEdit(department: "SWK", window: "W3"), actor: actor))
        #expect(change.effects == ["moved", "window"])
        try fixture.store.editDirectoryEntry(.staff, code: "S1", DirectoryEdit(window: .some(nil)), actor: actor)
        #expect(try fixture.store.directory().entry(.staff, code: "S1")?.window == nil)
    }

    @Test func anImportIsPlannedValidatedAndAppliedAllOrNothing() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        var entries = try fixture.store.directory().entries
        entries = entries.filter { $0.code != "S2" }  // missing: deactivated
        entries[entries.firstIndex { $0.code == "W1" }!].name = "综合窗口"
        entries[entries.firstIndex { $0.code == "W2" }!].department = "SWK"
        entries.append(DirectoryEntry(kind: .department, code: "GAJ", name: "公安局"))
        entries.append(DirectoryEntry(kind: .window, code: "W9", name: "9号窗口", department: "GAJ"))

        let dry = try fixture.store.importDirectory(entries, actor: actor, dryRun: true)
        #expect(!dry.applied)
        #expect(dry.changes.map(\.summary) == [
            "department GAJ: added (公安局)",
            "window W1: renamed (1号窗口 → 综合窗口)",
            "window W2: moved (SPK → SWK)",
            "window W9: added (9号窗口; GAJ)",
            "staff S2: deactivated",
        ])
        #expect(try fixture.store.directory().window(code: "W9") == nil)
        #expect(try fixture.store.auditEntries(limit: 10).isEmpty)

        let done = try fixture.store.importDirectory(entries, actor: actor, dryRun: false)
        #expect(done.applied && done.changes == dry.changes)
        let directory = try fixture.store.directory()
        #expect(directory.window(code: "W9")?.active == true)
        #expect(directory.staffMember(code: "S2")?.active == false)
        #expect(try fixture.store.auditEntries(limit: 10).count == 5)
        #expect(try fixture.store.importDirectory(entries, actor: actor, dryRun: false).changes.isEmpty)

        // A change the stored directory refuses stops the whole import.
        var recoded = entries
        recoded.append(DirectoryEntry(kind: .window, code: "W10", name: "x", department: "GAJ"))
        recoded.removeAll { $0.kind == .department && $0.code == "SWK" }
        recoded.append(DirectoryEntry(kind: .department, code: "SWK", name: "税务科", active: false))
        #expect(throws: DirectoryFileProblems.self) { try fixture.store.importDirectory(recoded, actor: actor, dryRun: false) }
        #expect(try fixture.store.directory().window(code: "W10") == nil)
    }
}
