import Foundation
import SurveyCore
import Testing

@testable import SurveyStore

@Suite struct BackupTests {
    @Test func aSecondHolderOfTheLockIsRefusedUntilTheFirstReleasesIt() throws {
        let path = StoreFixture.temporaryPath()
        let first = try DatabaseLock(forDatabaseAt: path)
        #expect(throws: StoreError.self) { try DatabaseLock(forDatabaseAt: path) }
        first.release()
        let second = try DatabaseLock(forDatabaseAt: path)
        second.release()
    }

    @Test func restoreIsRefusedWhileTheDatabaseIsLockedAndChangesNothing() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        _ = try fixture.store.record(fixture.submission(fixture.w1, 5, 5, 5))
        let copy = StoreFixture.temporaryPath()
        try SurveyStore.backup(databaseAt: fixture.path, to: copy)

        let target = StoreFixture.temporaryPath()
        let lock = try DatabaseLock(forDatabaseAt: target)
        #expect(throws: StoreError.self) { try SurveyStore.restore(copyAt: copy, toDatabaseAt: target, timeZone: fixture.store.timeZone) }
        #expect(!FileManager.default.fileExists(atPath: target))
        lock.release()

        let outcome = try SurveyStore.restore(copyAt: copy, toDatabaseAt: target, timeZone: fixture.store.timeZone)
        #expect(outcome.responses == 1)
        #expect(outcome.verification.isConsistent)
        #expect(outcome.keptAside == nil)
        let restored = try SurveyStore(path: target, timeZone: StoreFixture.shanghai)
        #expect(try restored.responseCount() == 1)
        try restored.close()
    }

    @Test func theCopyIsConsistentAndPrivate() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        for _ in 0..<20 { _ = try fixture.store.record(fixture.submission(fixture.w2, 4, 3, 5)) }
        let copy = StoreFixture.temporaryPath()
        let summary = try SurveyStore.backup(databaseAt: fixture.path, to: copy)
        #expect(summary.responses == 20)
        #expect(try SurveyStore.integrityProblems(databaseAt: copy).isEmpty)
        let mode = try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
    }
}
