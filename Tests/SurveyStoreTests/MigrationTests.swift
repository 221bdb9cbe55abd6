import Foundation
import GRDB
import SurveyCore
@testable import SurveyStore
import Testing

/// A database written by the v1 code, with responses, opens under the new code with every
/// local day and rollup backfilled.
@Suite struct MigrationTests {
    static let allMigrations = [
        "v1-collection", "v2-rollups", "v3-status-audit", "v4-api-keys", "v5-publications", "v6-month-rollups",
        "v7-staff-accounts", "v8-cases", "v9-feedback-review", "v10-directory-admin", "v11-center-settings", "v12-provenance", "v13-devices-visits",
        "v14-rated-at", "v15-name-translations",
    ]

    /// A v1 database: the center, and five responses as the v1 insert wrote them (no
    /// local day), one of them flagged misuse by hand.
    static func version1Database() throws -> String {
        let path = StoreFixture.temporaryPath()
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator(timeZone: LocalDay.centerTimeZone).migrate(queue, upTo: "v1-collection")
        let lastOfSeptember = StoreFixture.millis(beijing: "2026-09-30 23:59:59")
        let firstOfOctober = StoreFixture.millis(beijing: "2026-10-01 00:00:00")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO department (id, code, name) VALUES (1, 'SPK', '审批科'), (2, 'SWK', '税务科');
                INSERT INTO service_window (id, code, name, department_id) VALUES (1, 'W1', '1号窗口', 1), (2, 'W3', '3号窗口', 2);
                INSERT INTO staff (id, code, name, department_id) VALUES (1, 'S1', '张一', 1);
                INSERT INTO service_item (id, code, name, department_id) VALUES (1, 'I1', '营业执照办理', 1);
                """)
            let rows: [(String, Int, Int, Int?, Int?, (Int, Int, Int), Int64, String)] = [
                ("v1-client-0001", 1, 1, 1, 1, (5, 5, 5), lastOfSeptember, "valid"),
                ("v1-client-0002", 1, 1, 1, nil, (2, 4, 4), firstOfOctober, "valid"),
                ("v1-client-0003", 2, 2, nil, nil, (4, 4, 3), firstOfOctober + 3_600_000, "valid"),
                ("v1-client-0004", 2, 2, nil, nil, (1, 1, 1), firstOfOctober + 7_200_000, "misuse"),
                ("v1-client-0005", 1, 1, nil, 1, (3, 3, 3), StoreFixture.millis(beijing: "2026-12-31 23:00:00"), "valid"),
            ]
            for (client, window, department, staff, item, levels, millis, status) in rows {
                let negative = [levels.0, levels.1, levels.2].contains { $0 <= 2 }
                try db.execute(
                    sql: """
                        INSERT INTO response (client_id, window_id, department_id, staff_id, service_item_id, channel,
                                              attitude, efficiency, result, is_negative, created_at, status)
                        VALUES (?, ?, ?, ?, ?, 'kiosk', ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [client, window, department, staff, item, levels.0, levels.1, levels.2, negative, millis, status]
                )
            }
        }
        try queue.close()
        return path
    }

    /// A new database file with the migrations up to `last` only, as an older version
    /// left it, open for writing its rows.
    static func olderDatabase(upTo last: String) throws -> (path: String, queue: DatabaseQueue) {
        let path = StoreFixture.temporaryPath()
        var configuration = Configuration()
        let localDay = Rollups.localDayFunction(StoreFixture.shanghai)
        configuration.prepareDatabase { db in db.add(function: localDay) }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try Migrations.migrator(timeZone: StoreFixture.shanghai).migrate(queue, upTo: last)
        return (path, queue)
    }

    @Test func commentsStoredBeforeTheSearchIndexAreFoundAfterTheMigration() throws {
        let (path, queue) = try Self.olderDatabase(upTo: "v6-month-rollups")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO department (id, code, name) VALUES (1, 'SPK', '审批科');
                INSERT INTO service_window (id, code, name, department_id) VALUES (1, 'W1', '1号窗口', 1);
                INSERT INTO response (client_id, window_id, department_id, channel, attitude, efficiency, result,
                                      is_negative, comment, created_at, local_day)
                VALUES ('old-1', 1, 1, 'kiosk', 2, 3, 3, 1, '窗口工作人员态度冷淡', 1790000000000, 20717),
                       ('old-2', 1, 1, 'kiosk', 5, 5, 5, 0, NULL, 1790000001000, 20717);
                """)
        }
        try queue.close()
        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        #expect(store.migrationsApplied == ["v7-staff-accounts", "v8-cases", "v9-feedback-review", "v10-directory-admin", "v11-center-settings", "v12-provenance", "v13-devices-visits", "v14-rated-at", "v15-name-translations"])
        // v10: the existing directory is active, and its version starts at 1.
        let directory = try store.directory()
        #expect(directory.version == 1 && directory.departments.map(\.active) == [true] && directory.windows.map(\.active) == [true])
        var filter = FeedbackFilter()
        filter.search = "态度冷淡"
        #expect(try store.feedback(filter, scope: .all).entries.map(\.response.clientID) == ["old-1"])
        filter.search = "冷淡"
        #expect(try store.feedback(filter, scope: .all).entries.map(\.response.clientID) == ["old-1"])
    }

    @Test func aVersion1DatabaseIsBackfilledOnOpen() throws {
        let path = try Self.version1Database()
        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        #expect(try store.appliedMigrations() == Self.allMigrations)
        #expect(try store.responseCount() == 5)

        let report = try store.verify()
        #expect(report.isConsistent)
        #expect(report.wrongLocalDays == 0, "every local day was backfilled")
        #expect(report.validResponses == 4 && report.windowDayRows == 4)

        #expect(try store.centerTally(period("2026-Q3")).responses == 1)
        let q4 = try store.tallies(period("2026-Q4"), by: .department)
        #expect(q4.mapValues(\.responses) == [.department(id: 1): 2, .department(id: 2): 1])
        #expect(q4[.department(id: 1)]?.negative == 1)
        #expect(try store.tallies(period("2026-Q4"), by: .item(departmentID: 1)).mapValues(\.responses) == [.item(id: nil): 1, .item(id: 1): 1])

        // The backfilled store keeps counting new responses and the old misuse can be restored.
        try store.setStatus(responseID: 4, status: .valid, reason: "申诉复核：恢复")
        #expect(try store.tallies(period("2026-10-01"), by: .department)[.department(id: 2)]?.responses == 2)
        #expect(try store.verify().isConsistent)
    }

    @Test func aVersion1DatabaseIsBackfilledInTheZoneItIsOpenedWith() throws {
        let path = try Self.version1Database()
        let utc = TimeZone(identifier: "UTC")!
        let store = try SurveyStore(path: path, timeZone: utc)
        #expect(try store.rollupTimeZoneIdentifier() == utc.identifier)
        // In UTC the first three valid responses all fall on 30 September.
        #expect(try store.centerTally(period("2026-Q3")).responses == 3)
        #expect(try store.verify().isConsistent)
    }

    @Test func anEmptyFileGetsEveryMigrationAndRecordsItsZone() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        #expect(try store.appliedMigrations() == Self.allMigrations)
        #expect(try store.rollupTimeZoneIdentifier() == "Asia/Shanghai")
    }
}
