import Foundation
import PingjiaTesting
import SurveyCore
import SurveyStore
import Testing

/// The assessment API over HTTP on a hand-built fixture whose every figure is known.
@Suite struct IndicatorsAPITests {
    /// Shanghai is UTC+8: 2026-09-30 23:59:59 there is 2026-09-30T15:59:59Z.
    static let lastSecondOfQ3 = Int64(1_790_783_999_000)
    static let firstSecondOfQ4 = Int64(1_790_784_000_000)

    struct Fixture {
        let center: TestCenter
        let key: String
        let wrongScopeKey: String
    }

    /// SCJG (window W01) gets, in 2026-Q3: 30 responses rated 5/5/5 and 10 rated 4/4/3,
    /// one of them at the last second of the quarter; BDC (W02) gets 20 rated 2/3/3 with
    /// a reason. One more SCJG response lands at the first second of Q4, and one in Q3 is
    /// flagged as misuse.
    static func fixture() throws -> Fixture {
        let center = try TestCenter()
        let store = center.store
        let directory = try store.directory()
        let w01 = directory.window(code: "W01")!, w02 = directory.window(code: "W02")!
        let scjg = directory.department(id: w01.departmentID)!, bdc = directory.department(id: w02.departmentID)!
        func submission(_ id: String, _ window: ServiceWindow, _ department: Department, _ a: Level, _ e: Level, _ r: Level) -> ValidatedSubmission {
            let ratings = Ratings(attitude: a, efficiency: e, result: r)
            return ValidatedSubmission(
                window: window, department: department, ratings: ratings, comment: nil,
                reasons: ratings.isNegative ? ["等候时间长"] : [], channel: .kiosk, clientID: id, serviceItem: nil, staff: nil, provenance: .device
            )
        }
        let july = Int64(1_783_000_000_000) // 2026-07-02, inside Q3
        var rows: [(submission: ValidatedSubmission, atMillis: Int64)] = []
        for index in 0..<30 { rows.append((submission("scjg-5-\(index)", w01, scjg, .verySatisfied, .verySatisfied, .verySatisfied), july + Int64(index))) }
        for index in 0..<9 { rows.append((submission("scjg-4-\(index)", w01, scjg, .satisfied, .satisfied, .neutral), july + Int64(100 + index))) }
        rows.append((submission("scjg-4-last", w01, scjg, .satisfied, .satisfied, .neutral), lastSecondOfQ3))
        for index in 0..<20 { rows.append((submission("bdc-\(index)", w02, bdc, .dissatisfied, .neutral, .neutral), july + Int64(200 + index))) }
        rows.append((submission("scjg-q4", w01, scjg, .veryDissatisfied, .veryDissatisfied, .veryDissatisfied), firstSecondOfQ4))
        rows.append((submission("misuse-1", w01, scjg, .veryDissatisfied, .veryDissatisfied, .veryDissatisfied), july + 500))
        try store.importResponses(rows)
        let misuse = try #require(try store.response(clientID: "misuse-1"))
        try store.setStatus(responseID: misuse.id, status: .misuse, reason: "测试按键")
        let key = try store.createAPIKey(name: "assessment", scopes: ["indicators:read"]).plaintextKey
        let other = try store.createAPIKey(name: "reviews", scopes: ["reviews:read"]).plaintextKey
        return Fixture(center: center, key: key, wrongScopeKey: other)
    }

    static func get(_ fixture: Fixture, _ path: String, key: String? = nil, accept: String? = nil) throws -> TestResponse {
        var headers: [(String, String)] = []
        if let key = key ?? Optional(fixture.key) { headers.append(("Authorization", "Bearer \(key)")) }
        if let accept { headers.append(("Accept", accept)) }
        return try fixture.center.client.get(path, headers: headers)
    }

    static func department(_ json: [String: Any], _ code: String) -> [String: Any]? {
        (json["departments"] as? [[String: Any]])?.first { $0["code"] as? String == code }
    }

    @Test func withoutAKeyIs401AndWithTheWrongScopeIs403() throws {
        let fixture = try Self.fixture()
        let none = try fixture.center.client.get("/api/v1/indicators?period=2026-Q3")
        #expect(none.status == 401)
        #expect(none.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(try Self.get(fixture, "/api/v1/indicators?period=2026-Q3", key: "pj_notakeyatall").status == 401)
        #expect(try Self.get(fixture, "/api/v1/indicators?period=2026-Q3", key: fixture.wrongScopeKey).status == 403)
        try fixture.center.store.revokeAPIKey(name: "assessment")
        #expect(try Self.get(fixture, "/api/v1/indicators?period=2026-Q3").status == 401)
    }

    @Test func theQuarterHasTheHandComputedFigures() throws {
        let fixture = try Self.fixture()
        let response = try Self.get(fixture, "/api/v1/indicators?period=2026-Q3")
        #expect(response.status == 200)
        let json = response.json
        let period = try #require(json["period"] as? [String: Any])
        #expect(period["start"] as? String == "2026-06-30T16:00:00.000Z")
        #expect(period["end"] as? String == "2026-09-30T16:00:00.000Z")

        // SCJG: 40 responses (the Q4 one and the misuse one are out).
        let scjg = try #require(Self.department(json, "SCJG"))
        #expect(scjg["n"] as? Int == 40)
        #expect(scjg["rank"] as? Int == 1)
        let attitude = try #require(scjg["attitude"] as? [String: Any])
        #expect(attitude["counts"] as? [Int] == [0, 0, 0, 10, 30])
        #expect(attitude["mean"] as? Double == 4.75)          // (30·5 + 10·4) / 40
        #expect(attitude["score"] as? Double == 93.75)        // (4.75 − 1) / 4 · 100
        #expect(attitude["satisfied_share"] as? Double == 1.0)
        let result = try #require(scjg["result"] as? [String: Any])
        #expect(result["counts"] as? [Int] == [0, 0, 10, 0, 30])
        #expect(result["score"] as? Double == 87.5)           // (30·4 + 10·2) / 40 · 25
        #expect(result["satisfied_share"] as? Double == 0.75)
        // (93.75 + 93.75 + 87.5) / 3 = 91.666… → 91.67, 优秀
        #expect(scjg["indicator"] as? Double == 91.67)
        #expect((scjg["grade"] as? [String: Any])?["label"] as? String == "优秀")
        #expect(scjg["negative_rate"] as? Double == 0.0)

        // BDC: 20 responses of 2/3/3, all 差评, below the minimum sample of 30: shown, not graded.
        let bdc = try #require(Self.department(json, "BDC"))
        #expect(bdc["n"] as? Int == 20)
        #expect(bdc["indicator"] as? Double == 41.67)         // (25 + 50 + 50) / 3
        #expect(bdc["grade"] is NSNull)
        #expect(bdc["status"] as? String == "insufficient_sample")
        #expect(bdc["negative_rate"] as? Double == 1.0)

        let center = try #require(json["center"] as? [String: Any])
        #expect(center["n"] as? Int == 60)
    }

    @Test func theFirstSecondOfOctoberBelongsToQ4() throws {
        let fixture = try Self.fixture()
        let q4 = try Self.get(fixture, "/api/v1/indicators?period=2026-Q4&department=SCJG").json
        let scjg = try #require(Self.department(q4, "SCJG"))
        #expect(scjg["n"] as? Int == 1)
        #expect((scjg["attitude"] as? [String: Any])?["counts"] as? [Int] == [1, 0, 0, 0, 0])
        let september = try Self.get(fixture, "/api/v1/indicators?period=2026-09&department=SCJG").json
        #expect(Self.department(september, "SCJG")?["n"] as? Int == 1)  // the last second of Q3
    }

    @Test func breakdownsAndTrendArePresent() throws {
        let fixture = try Self.fixture()
        let json = try Self.get(fixture, "/api/v1/indicators?period=2026-Q3&department=SCJG&by=window&trend=3").json
        let breakdown = try #require(json["breakdown"] as? [String: Any])
        let entries = try #require(breakdown["entries"] as? [[String: Any]])
        #expect(entries.first?["code"] as? String == "W01")
        #expect(entries.first?["n"] as? Int == 40)
        let trend = try #require(json["trend"] as? [[String: Any]])
        #expect(trend.map { ($0["period"] as? [String: Any])?["code"] as? String } == ["2026-Q1", "2026-Q2", "2026-Q3"])
        #expect((trend.last?["entry"] as? [String: Any])?["n"] as? Int == 40)
        let staff = try Self.get(fixture, "/api/v1/indicators?period=2026-Q3&by=staff")
        #expect(staff.status == 400)
    }

    @Test(arguments: ["period=2026-Q5", "period=2026-13", "", "period=2026-Q3&by=desk", "period=2026-Q3&trend=0", "period=2026-Q3&department=NOPE"])
    func badQueriesGet400WithAMessage(query: String) throws {
        let fixture = try Self.fixture()
        let response = try Self.get(fixture, "/api/v1/indicators?\(query)")
        #expect(response.status == 400)
        #expect(((response.json["error"] as? [String: Any])?["message"] as? String)?.isEmpty == false)
    }

    @Test func csvAgreesWithJSONAndOpensInExcel() throws {
        let fixture = try Self.fixture()
        let json = try Self.get(fixture, "/api/v1/indicators?period=2026-Q3").json
        let csv = try Self.get(fixture, "/api/v1/indicators?period=2026-Q3", accept: "text/csv")
        #expect(csv.headers["content-type"] == "text/csv; charset=utf-8")
        #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = String(decoding: csv.body.dropFirst(3), as: UTF8.self).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let column = { (name: String) in header.firstIndex(of: name)! }
        for row in lines.dropFirst() where row[column("level")] == "department" {
            let entry = try #require(Self.department(json, row[column("code")]))
            #expect(Int(row[column("n")]) == entry["n"] as? Int)
            #expect(row[column("indicator")] == (entry["indicator"] as? Double).map { String(format: "%.2f", $0) })
        }
        #expect(try Self.get(fixture, "/api/v1/indicators?period=2026-Q3&format=csv").body == csv.body)
    }

    @Test func aPublishedPeriodStaysAsPublishedWhileResponsesArrive() throws {
        let fixture = try Self.fixture()
        let store = fixture.center.store
        let before = try Self.get(fixture, "/api/v1/indicators?period=2026-Q3").json
        let publication = try fixture.center.application.web.reports.publish(try Period(parsing: "2026-Q3"))
        let published = try Self.get(fixture, "/api/v1/indicators?period=2026-Q3").json
        #expect((published["source"] as? [String: Any])?["kind"] as? String == "published")
        #expect((published["source"] as? [String: Any])?["content_hash"] as? String == publication.contentHash)

        // A response restored into Q3 after publication changes the live count, not the published one.
        let misuse = try #require(try store.response(clientID: "misuse-1"))
        try store.setStatus(responseID: misuse.id, status: .valid, reason: "复核后恢复")
        let after = try Self.get(fixture, "/api/v1/indicators?period=2026-Q3").json
        #expect(Self.department(after, "SCJG")?["n"] as? Int == 40)
        #expect(Self.department(after, "SCJG")?["indicator"] as? Double == Self.department(before, "SCJG")?["indicator"] as? Double)
        let late = try #require(after["late"] as? [String: Any])
        #expect(late["responses"] as? Int == 1)
        #expect(((late["departments"] as? [[String: Any]])?.first)?["live_n"] as? Int == 41)

        // 复核 recomputes from what was stored at publication, with today's statuses.
        let recheck = try Self.get(fixture, "/api/v1/indicators/recheck?period=2026-Q3").json
        #expect(recheck["intact"] as? Bool == true)
        #expect(recheck["matches"] as? Bool == false)
        #expect(((recheck["differences"] as? [[String: Any]])?.map { $0["code"] as? String }) == ["center", "SCJG"])
        #expect(try Self.get(fixture, "/api/v1/indicators/recheck?period=2026-Q2").status == 404)
    }
}
