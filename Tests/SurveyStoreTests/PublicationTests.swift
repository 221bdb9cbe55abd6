import Foundation
import GRDB
import SurveyCore
import SurveyStore
import Testing

/// A publication (公示) is stored once, byte for byte with its hash, and never changes.
@Suite struct PublicationTests {
    static let document = Data(#"{"period":"2026-Q3","departments":[{"code":"SPK","composite":"90.00"}]}"#.utf8)

    @Test func aPublishedDocumentComesBackWithItsHash() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        let published = try store.publish(period: period("2026-Q3"), content: Self.document, atMillis: 1_790_000_000_000)
        #expect(published.contentHash.count == 64)
        #expect(published.isIntact)
        let stored = try #require(try store.publication(period: period("2026-Q3")))
        #expect(stored == published)
        #expect(stored.content == Self.document)
        #expect(try store.publication(period: period("2026-Q4")) == nil)
    }

    @Test func theHashIsTheSHA256OfTheExactBytes() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        let published = try store.publish(period: period("2026"), content: Data("{}".utf8))
        // printf '{}' | sha256sum
        #expect(published.contentHash == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
    }

    @Test func aSecondPublicationOfThePeriodIsRefusedAndTheFirstKept() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        try store.publish(period: period("2026-Q3"), content: Self.document, atMillis: 1000)
        #expect(throws: PublicationError.alreadyPublished(period: "2026-Q3", publishedAtMillis: 1000)) {
            try store.publish(period: period("2026-q3"), content: Data(#"{"changed":true}"#.utf8), atMillis: 2000)
        }
        #expect(try store.publication(period: period("2026-Q3"))?.content == Self.document)
        try store.publish(period: period("2026-Q4"), content: Self.document, atMillis: 3000)
        #expect(try store.publications().map(\.period.description) == ["2026-Q3", "2026-Q4"])
    }

    @Test func theDatabaseItselfRefusesToChangeAPublication() throws {
        let path = StoreFixture.temporaryPath()
        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        try store.publish(period: period("2026-Q3"), content: Self.document)
        let queue = try DatabaseQueue(path: path)
        for sql in [
            "UPDATE publication SET content = '{}'",
            "DELETE FROM publication",
            "INSERT OR REPLACE INTO publication VALUES ('2026-Q3', 1, 'x', '{}')",
            "INSERT INTO publication VALUES ('2026-Q3', 1, 'x', '{}') ON CONFLICT (period) DO UPDATE SET content = excluded.content",
        ] {
            #expect(throws: DatabaseError.self, "\(sql)") { try queue.write { db in try db.execute(sql: sql) } }
        }
        try queue.close()
        let stored = try #require(try store.publication(period: period("2026-Q3")))
        #expect(stored.content == Self.document && stored.isIntact)
    }

    @Test func contentThatIsNotJSONIsRefused() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        #expect(throws: PublicationError.contentNotJSON) { try store.publish(period: period("2026"), content: Data("not json".utf8)) }
        #expect(try store.publications().isEmpty)
    }
}
