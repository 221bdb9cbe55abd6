import Foundation
import GRDB
import SurveyCore
@testable import SurveyStore
import Testing

/// Provenance as a key of every rollup, suspect ratings, and the v12 migration of a
/// database that already holds responses.
@Suite struct ProvenanceTests {
    static let october = try! Period(parsing: "2026-10")

    /// Records `submission` as arrived by `provenance`, flagged by `flag` if given.
    @discardableResult
    static func record(
        _ fixture: StoreFixture, _ window: ServiceWindow, _ levels: (Int, Int, Int), at beijing: String,
        _ provenance: Provenance, flag: FlagRule? = nil, staff: StaffMember? = nil
    ) throws -> StoredResponse {
        var submission = fixture.submission(window, levels.0, levels.1, levels.2, staff: staff)
        submission.provenance = provenance
        submission.flagRule = flag
        return try fixture.store.record(submission, atMillis: StoreFixture.millis(beijing: beijing)).response
    }

    @Test func tallyCountsOnlyTheProvenancesAskedForAndTheRollupsStayExact() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        try Self.record(fixture, fixture.w1, (5, 5, 5), at: "2026-10-02 10:00:00", .api, staff: fixture.s1)
        try Self.record(fixture, fixture.w1, (4, 4, 4), at: "2026-10-02 11:00:00", .windowQR)
        for minute in 0..<5 {
            try Self.record(fixture, fixture.w1, (1, 1, 1), at: "2026-10-02 12:0\(minute):00", .unverified)
        }
        try Self.record(fixture, fixture.w3, (3, 3, 3), at: "2026-10-31 23:59:59", .device)

        let counted = try fixture.store.tallies(Self.october, by: .department, counting: Provenance.countedByDefault)
        #expect(counted[.department(id: fixture.permits.id)]?.responses == 2)
        #expect(counted[.department(id: fixture.permits.id)]?.negative == 0)
        #expect(counted[.department(id: fixture.tax.id)]?.responses == 1)
        let all = try fixture.store.tallies(Self.october, by: .department)
        #expect(all[.department(id: fixture.permits.id)]?.responses == 7)

        let split = try fixture.store.provenanceTallies(Self.october, by: .department)
        let permits = try #require(split[.department(id: fixture.permits.id)])
        #expect(permits.counts == [.visit: 0, .device: 0, .windowQR: 1, .api: 1, .unverified: 5, .legacy: 0])
        // Day spans read the day tables, whole months the month tables: both carry provenance.
        let days = try fixture.store.provenanceTallies(try Period(parsing: "2026-10-02..2026-10-02"), by: .window())
        #expect(days[.window(id: fixture.w1.id)]?.counts[.unverified] == 5)
        let staff = try fixture.store.provenanceTallies(Self.october, by: .staff(departmentID: fixture.permits.id))
        #expect(staff[.staff(id: fixture.s1.id)]?.counts[.api] == 1)

        // The raw rows give the same split, and verify and a rebuild agree with the rollups.
        let recomputed = try fixture.store.recomputedTallies(Self.october, by: .department, counting: Provenance.countedByDefault)
        #expect(recomputed == counted)
        #expect(try fixture.store.verify().isConsistent)
        try fixture.store.rebuildRollups()
        #expect(try fixture.store.verify().isConsistent)
        #expect(try fixture.store.provenanceTallies(Self.october, by: .department) == split)
    }

    @Test func aSuspectRatingIsKeptButCountsNowhereUntilStaffRestoreIt() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        try Self.record(fixture, fixture.w1, (5, 5, 5), at: "2026-10-02 10:00:00", .windowQR)
        let suspect = try Self.record(fixture, fixture.w1, (1, 1, 1), at: "2026-10-02 10:01:00", .windowQR, flag: .linkClientRate)
        #expect(suspect.flagRule == .linkClientRate)
        #expect(try fixture.store.status(responseID: suspect.id) == .suspect)
        #expect(try fixture.store.provenanceTallies(Self.october, by: .center)[.center]?.counts[.windowQR] == 1)
        // A suspect 差评 opens no case: a flood of them must not flood the case list.
        #expect(try fixture.store.case(responseID: suspect.id, scope: .all) == nil)
        #expect(try fixture.store.verify().isConsistent)

        try fixture.store.setStatus(responseID: suspect.id, status: .valid, reason: "复核：真实评价", by: "head")
        #expect(try fixture.store.provenanceTallies(Self.october, by: .center)[.center]?.counts[.windowQR] == 2)
        #expect(try fixture.store.case(responseID: suspect.id, scope: .all) != nil)
        #expect(try fixture.store.response(id: suspect.id)?.flagRule == .linkClientRate)
        #expect(try fixture.store.statusChanges(responseID: suspect.id).map(\.from) == [.suspect])
        #expect(try fixture.store.verify().isConsistent)

        let other = try Self.record(fixture, fixture.w1, (1, 1, 1), at: "2026-10-02 10:02:00", .unverified, flag: .honeypot)
        try fixture.store.setStatus(responseID: other.id, status: .misuse, reason: "确认：机器提交", by: "head")
        #expect(try fixture.store.status(responseID: other.id) == .misuse)
        #expect(try fixture.store.verify().isConsistent)
    }

    /// A database as v9 left it, with responses, rollups and a status change: after v12
    /// every response is `legacy`, every rollup row holds the same counts under `legacy`,
    /// the figures counted by default are unchanged, and `suspect` is a status.
    @Test func theMigrationKeepsEveryPastFigureAsLegacy() throws {
        let path = try MigrationTests.version1Database()
        var configuration = Configuration()
        let localDay = Rollups.localDayFunction(StoreFixture.shanghai)
        configuration.prepareDatabase { db in db.add(function: localDay) }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try Migrations.migrator(timeZone: StoreFixture.shanghai).migrate(queue, upTo: "v9-feedback-review")
        let tables = ["rollup_detail_day", "rollup_window_day", "rollup_window_month", "rollup_detail_month"]
        /// The rows of `table` without their provenance, in key order.
        func rows(_ table: String, in queue: DatabaseQueue, where condition: String = "1") throws -> [[DatabaseValue]] {
            try queue.read { db in
                let columns = try db.columns(in: table).map(\.name).filter { $0 != "provenance" }
                return try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(condition) ORDER BY 1, 2, 3, 4")
                    .map { Array($0.databaseValues) }
            }
        }
        var before: [String: [[DatabaseValue]]] = [:]
        for table in tables { before[table] = try rows(table, in: queue) }
        #expect(before["rollup_detail_day"]?.count == 4)
        try queue.close()

        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        #expect(store.migrationsApplied == ["v10-directory-admin", "v11-center-settings", "v12-provenance", "v13-devices-visits", "v14-rated-at", "v15-name-translations"])
        try store.close()
        let after = try DatabaseQueue(path: path, configuration: configuration)
        for table in tables {
            let migrated = try rows(table, in: after, where: "provenance = 'legacy'")
            #expect(migrated == before[table], "\(table)")
            #expect(try after.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE provenance <> 'legacy'") } == 0)
        }
        #expect(try after.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT provenance FROM response") } == ["legacy"])
        // Ids, indexes and triggers came through the rebuild; the client id is still unique.
        #expect(try after.read { db in try Int.fetchOne(db, sql: "SELECT max(id) FROM response") } == 5)
        #expect(try after.read { db in try db.indexes(on: "response").map(\.name).contains("response_by_department_time") })
        try after.close()

        let reopened = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        #expect(try reopened.verify().isConsistent)
        let year = try Period(parsing: "2026")
        #expect(try reopened.tallies(year, by: .department, counting: Provenance.countedByDefault)
            == (try reopened.tallies(year, by: .department)))
        #expect(try reopened.centerTally(year, counting: Provenance.countedByDefault).responses == 4)
        // The statuses' CHECK now takes `suspect`, in the responses and their audit alike.
        let first = try #require(try reopened.response(clientID: "v1-client-0001"))
        try reopened.setStatus(responseID: first.id, status: .suspect, reason: "test", by: "head")
        try reopened.setStatus(responseID: first.id, status: .valid, reason: "test", by: "head")
        #expect(try reopened.verify().isConsistent)
        #expect(try reopened.centerTally(year, counting: Provenance.countedByDefault).responses == 4)
    }
}
