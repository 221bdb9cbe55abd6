import Foundation
import PingjiaTesting
import SurveyApp
import SurveyCore
import SurveyStore
@testable import SurveyWeb
import Testing

/// A publication is checked against its hash and its own counts, never against how this
/// server would print the document today.
@Suite struct PublishedPeriodTests {
    static let q3 = try! Period(parsing: "2026-Q3")

    /// The figures a reader of the published period sees: center and departments.
    static func publishedFigures(_ json: [String: Any]) -> NSArray {
        [json["center"] ?? NSNull(), json["departments"] ?? NSNull()] as NSArray
    }

    @Test func aPublishedPeriodStillAnswersAfterARebuildInAnotherZone() throws {
        let fixture = try IndicatorsAPITests.fixture()
        let center = fixture.center
        #expect(center.store.timeZone.identifier == "Asia/Shanghai")
        _ = try center.application.web.reports.publish(Self.q3)
        let before = try IndicatorsAPITests.get(fixture, "/api/v1/indicators?period=2026-Q3")
        #expect(before.status == 200)
        center.application.shutdown()

        // `pingjia verify --rebuild` in the new zone, then the server in that zone.
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let rebuilt = try SurveyStore(path: center.databasePath, timeZone: newYork, ifTimeZoneChanged: .rebuild)
        try rebuilt.close()
        var configuration = PingjiaConfiguration()
        configuration.databasePath = center.databasePath
        configuration.timeZone = newYork
        configuration.server.port = 0
        configuration.web.staticRoot = TestCenter.repositoryRoot.appendingPathComponent("Public").path
        let application = try buildApplication(configuration)
        defer { application.shutdown() }

        let after = try HTTPTestClient(port: application.port)
            .get("/api/v1/indicators?period=2026-Q3", headers: [("Authorization", "Bearer \(fixture.key)")])
        #expect(after.status == 200)
        #expect((after.json["source"] as? [String: Any])?["kind"] as? String == "published")
        #expect(Self.publishedFigures(after.json) == Self.publishedFigures(before.json))
    }

    @Test func numbersPrintedAnotherWayStillReadAsTheSameFigures() throws {
        let fixture = try IndicatorsAPITests.fixture()
        let reports = fixture.center.application.web.reports
        let live = try IndicatorsAPITests.get(fixture, "/api/v1/indicators?period=2026-Q3").json
        let computed = try reports.compute(IndicatorQuery(period: Self.q3))
        let canonical = reports.publicationDocument(Self.q3, center: computed.center, departments: computed.departments).text
        // Every fraction with a trailing zero (93.75 → 93.750): the same numbers, other bytes,
        // as another JSON writer (or another version of this one) might print them.
        let fraction = try Regex(#"[:,\[]\d+\.\d+"#)
        let reprinted = canonical.replacing(fraction) { match in canonical[match.range] + "0" }
        #expect(reprinted != canonical)
        try fixture.center.store.publish(period: Self.q3, content: Data(reprinted.utf8))

        let published = try IndicatorsAPITests.get(fixture, "/api/v1/indicators?period=2026-Q3")
        #expect(published.status == 200)
        #expect((published.json["source"] as? [String: Any])?["kind"] as? String == "published")
        #expect(Self.publishedFigures(published.json) == Self.publishedFigures(live))
    }

    @Test func aPublicationWhoseFiguresDisagreeWithItsCountsIsRefused() throws {
        let fixture = try IndicatorsAPITests.fixture()
        let reports = fixture.center.application.web.reports
        let computed = try reports.compute(IndicatorQuery(period: Self.q3))
        let canonical = reports.publicationDocument(Self.q3, center: computed.center, departments: computed.departments).text
        // SCJG's published indicator is 91.67; a document that says 99.67 with the same counts
        // (and a hash of its own) is not what those counts give.
        let forged = canonical.replacingOccurrences(of: "\"indicator\":91.67", with: "\"indicator\":99.67")
        #expect(forged != canonical)
        try fixture.center.store.publish(period: Self.q3, content: Data(forged.utf8))
        #expect(try IndicatorsAPITests.get(fixture, "/api/v1/indicators?period=2026-Q3").status == 500)
    }
}
