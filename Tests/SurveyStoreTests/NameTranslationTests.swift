import Foundation
import GRDB
import SurveyCore
import Testing
@testable import SurveyStore

/// English names of departments, windows and service items: the migration that adds them
/// to an older database, and their way through administration, audit and import.
@Suite struct NameTranslationTests {
    let actor = "admin"

    @Test func aVersion14DatabaseKeepsItsNamesAndHasNoEnglishNames() throws {
        let (path, queue) = try MigrationTests.olderDatabase(upTo: "v14-rated-at")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO department (id, code, name) VALUES (1, 'SPK', '审批科');
                INSERT INTO service_window (id, code, name, department_id) VALUES (1, 'W1', '1号窗口', 1);
                INSERT INTO service_item (id, code, name, department_id) VALUES (1, 'I1', '营业执照办理', 1);
                INSERT INTO staff (id, code, name, department_id) VALUES (1, 'S1', '张一', 1);
                """)
        }
        try queue.close()

        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        #expect(store.migrationsApplied == ["v15-name-translations"])
        let directory = try store.directory()
        #expect(directory.departments.map(\.name) == ["审批科"] && directory.windows.map(\.name) == ["1号窗口"])
        #expect(directory.items.map(\.name) == ["营业执照办理"] && directory.staff.map(\.name) == ["张一"])
        #expect(directory.departments.allSatisfy { $0.englishName == nil })
        #expect(directory.windows.allSatisfy { $0.englishName == nil } && directory.items.allSatisfy { $0.englishName == nil })
        // An English page shows the Chinese name until one is given.
        let window = try #require(directory.window(code: "W1"))
        #expect(window.displayName(english: true) == "1号窗口" && window.isChineseOnEnglishPage(english: true))

        try store.editDirectoryEntry(.window, code: "W1", DirectoryEdit(englishName: "Window 1"), actor: actor)
        let translated = try #require(try store.directory().window(code: "W1"))
        #expect(translated.name == "1号窗口" && translated.englishName == "Window 1")
        #expect(translated.displayName(english: true) == "Window 1" && translated.displayName(english: false) == "1号窗口")
        #expect(!translated.isChineseOnEnglishPage(english: true))
    }

    @Test func anEnglishNameIsAddedChangedAndClearedWithAuditAndVersion() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let store = fixture.store
        let added = try store.addDirectoryEntry(
            DirectoryEntry(kind: .department, code: "GAJ", name: "公安局", englishName: "  Public\u{200B} Security  "), actor: actor
        )
        #expect(added.englishName == "Public Security", "trimmed and cleaned like the name")
        #expect(try store.auditEntries(limit: 1).first?.afterJSON == #"{"active":true,"code":"GAJ","name":"公安局","name_en":"Public Security"}"#)
        #expect(try store.directory().department(code: "GAJ")?.englishName == "Public Security")

        let version = try store.directoryVersion()
        let change = try #require(try store.editDirectoryEntry(.item, code: "I1", DirectoryEdit(englishName: "Business licence"), actor: actor))
        #expect(change.effects == ["translated"])
        #expect(change.summary == "item I1: translated (– → Business licence)")
        #expect(try store.directoryVersion() == version + 1)
        let audit = try #require(try store.auditEntries(limit: 1).first)
        #expect(audit.action == "item.edit")
        #expect(audit.beforeJSON?.contains(#""name_en":null"#) == true)
        #expect(audit.afterJSON?.contains(#""name_en":"Business licence""#) == true)

        // An empty text clears it, as `.some(nil)` does.
        let cleared = try #require(try store.editDirectoryEntry(.item, code: "I1", DirectoryEdit(englishName: .some("  ")), actor: actor))
        #expect(cleared.after.englishName == nil && cleared.effects == ["translated"])
        #expect(try store.directory().item(code: "I1")?.englishName == nil)
        #expect(try store.editDirectoryEntry(.item, code: "I1", DirectoryEdit(englishName: .some(nil)), actor: actor) == nil)
    }

    @Test func aTooLongEnglishNameIsRefusedAndChangesNothing() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let before = try fixture.store.directory()
        let long = String(repeating: "x", count: DirectoryRules.maxNameLength + 1)
        #expect(throws: DirectoryError.englishNameTooLong(.window, limit: 64)) {
            try fixture.store.editDirectoryEntry(.window, code: "W1", DirectoryEdit(englishName: long), actor: actor)
        }
        #expect(throws: DirectoryError.englishNameTooLong(.department, limit: 64)) {
            try fixture.store.addDirectoryEntry(DirectoryEntry(kind: .department, code: "X", name: "某科", englishName: long), actor: actor)
        }
        #expect(DirectoryError.englishNameTooLong(.window, limit: 64).field == "name_en")
        let after = try fixture.store.directory()
        #expect(after.entries == before.entries && after.version == before.version)
        #expect(try fixture.store.auditEntries(limit: 10).isEmpty)
    }

    @Test func staffHaveNoEnglishName() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let added = try fixture.store.addDirectoryEntry(
            DirectoryEntry(kind: .staff, code: "S9", name: "陈九", englishName: "Chen Jiu", department: "SPK"), actor: actor
        )
        #expect(added.englishName == nil)
        #expect(try fixture.store.editDirectoryEntry(.staff, code: "S9", DirectoryEdit(englishName: "Chen"), actor: actor) == nil)
    }

    @Test func anImportWithoutEnglishNamesKeepsThemAndOneWithThemSetsThem() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let store = fixture.store
        try store.editDirectoryEntry(.window, code: "W1", DirectoryEdit(englishName: "Window 1"), actor: actor)
        try store.editDirectoryEntry(.department, code: "SPK", DirectoryEdit(englishName: "Permits"), actor: actor)
        let exported = try store.directory().entries

        // A file from before English names: the CSV has no name_en column.
        let old = "kind,code,name,department,window,active\n" + exported.map { entry in
            [entry.kind.rawValue, entry.code, entry.name, entry.department ?? "", entry.window ?? "", entry.active ? "true" : "false"]
                .joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let oldContents = try DirectoryFile.read(Array(old.utf8), as: .csv).get()
        #expect(oldContents.keepingEnglishName.count == exported.count)
        let unchanged = try store.importDirectory(
            oldContents.entries, keepingEnglishName: oldContents.keepingEnglishName, actor: actor, dryRun: false
        )
        #expect(unchanged.changes.isEmpty)
        #expect(try store.directory().window(code: "W1")?.englishName == "Window 1")

        // The same records with the column: an empty cell clears, a text sets.
        var wanted = exported
        for index in wanted.indices where wanted[index].kind == .window {
            wanted[index].englishName = wanted[index].code == "W1" ? nil : "Window \(wanted[index].code.dropFirst())"
        }
        let contents = try DirectoryFile.read(Array(DirectoryFile.encode(wanted, as: .csv).utf8), as: .csv).get()
        #expect(contents.keepingEnglishName.isEmpty)
        let outcome = try store.importDirectory(contents.entries, keepingEnglishName: contents.keepingEnglishName, actor: actor, dryRun: false)
        #expect(outcome.changes.map(\.after.code).sorted() == ["W1", "W2", "W3"])
        #expect(outcome.changes.allSatisfy { $0.effects == ["translated"] })
        let directory = try store.directory()
        #expect(directory.window(code: "W1")?.englishName == nil && directory.window(code: "W3")?.englishName == "Window 3")
        #expect(directory.department(code: "SPK")?.englishName == "Permits")
    }
}
