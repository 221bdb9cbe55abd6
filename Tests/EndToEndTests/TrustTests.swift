import Foundation
import PingjiaTesting
@testable import SurveyApp
import SurveyCore
import SurveyStore
@testable import SurveyWeb
import Testing

/// Ratings that can be trusted, through the real server: provenance, the indicator that
/// counts only verified ones, cross-site form posts, rate limits that flag instead of
/// refusing, the hard limit of anonymous API callers, and trusted proxies.
@Suite struct TrustTests {
    /// Today's month in the center's zone: what the ratings posted now fall in.
    static var thisMonth: String {
        String(LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: TestCenter.shanghai).description.prefix(7))
    }

    static func rating(_ window: String, _ levels: (Int, Int, Int), clientID: String = UUID().uuidString.lowercased()) -> String {
        let reasons = [levels.0, levels.1, levels.2].contains { $0 <= 2 } ? #", "reasons": ["态度不好"]"# : ""
        return #"{"window": "\#(window)", "attitude": \#(levels.0), "efficiency": \#(levels.1), "result": \#(levels.2), "client_id": "\#(clientID)"\#(reasons)}"#
    }

    static func post(_ center: TestCenter, _ body: String, key: String? = nil, headers: [(String, String)] = []) throws -> TestResponse {
        try center.client.postJSON("/api/v1/responses", body, headers: (key.map { [("Authorization", "Bearer \($0)")] } ?? []) + headers)
    }

    static func department(_ center: TestCenter, _ key: String, _ code: String) throws -> [String: Any] {
        let report = try center.client.get("/api/v1/indicators?period=\(thisMonth)", headers: [("Authorization", "Bearer \(key)")])
        #expect(report.status == 200)
        return try #require((report.json["departments"] as? [[String: Any]])?.first { $0["code"] as? String == code })
    }

    /// The probe that moved a grade: 300 anonymous 非常不满意 over one connection. Run once
    /// anonymously (the department's indicator does not move) and once with an
    /// integration's key (it moves exactly as the counts say).
    @Test func anonymousFloodLeavesTheIndicatorAndKeyedRatingsMoveIt() throws {
        let center = try TestCenter { configuration in
            configuration.web.submissionLimits.address = RateLimit(ratings: 100, seconds: 3600)
        }
        let integration = try center.store.createAPIKey(name: "queue", scopes: ["responses:write"]).plaintextKey
        let assessor = try center.store.createAPIKey(name: "assessment", scopes: ["indicators:read"]).plaintextKey
        for index in 0..<40 {
            let levels = index < 30 ? (5, 5, 5) : (4, 4, 3)
            #expect(try Self.post(center, Self.rating("W01", levels), key: integration).status == 201)
        }
        let before = try Self.department(center, assessor, "SCJG")
        #expect(before["n"] as? Int == 40)
        #expect(before["indicator"] as? Double == 91.67)

        let connection = try RawHTTPConnection(port: center.application.port)
        for _ in 0..<300 {
            let body = Array(Self.rating("W01", (1, 1, 1)).utf8)
            try connection.write(Array("POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            #expect(try connection.readResponse().status == 201)
        }
        let after = try Self.department(center, assessor, "SCJG")
        #expect(after["n"] as? Int == 40)
        #expect(after["indicator"] as? Double == 91.67)
        // Kept and visible: 100 unverified within the address limit, 200 past it suspect.
        let provenance = try #require(after["provenance"] as? [String: Int])
        #expect(provenance == ["visit": 0, "device": 0, "window_qr": 0, "api": 40, "unverified": 100, "legacy": 0])
        #expect(try center.store.responseCount() == 340)

        for _ in 0..<30 {
            #expect(try Self.post(center, Self.rating("W01", (1, 1, 1)), key: integration).status == 201)
        }
        let moved = try Self.department(center, assessor, "SCJG")
        #expect(moved["n"] as? Int == 70)
        // 25 · (150 + 150 + 140) / (3 · 70) = 52.38: the thirty keyed 非常不满意 count in full.
        #expect(moved["indicator"] as? Double == 52.38)

        let csv = try center.client.get("/api/v1/indicators?period=\(Self.thisMonth)&format=csv", headers: [("Authorization", "Bearer \(assessor)")]).text
        let lines = csv.dropFirst().components(separatedBy: "\r\n")
        let header = lines[0].components(separatedBy: ",")
        let row = try #require(lines.first { $0.contains(",department,SCJG,") || $0.contains(",SCJG,市场监管科,") }).components(separatedBy: ",")
        let column = try #require(header.firstIndex(of: "provenance_unverified"))
        #expect(row[column] == "100")
        #expect(row[try #require(header.firstIndex(of: "provenance_api"))] == "70")
    }

    @Test func countingUnverifiedIsTheOperatorsChoice() throws {
        let center = try TestCenter { configuration in
            configuration.web.indicatorPolicy = try! IndicatorPolicy(countedProvenances: Provenance.countedByDefault.union([.unverified]))
        }
        let assessor = try center.store.createAPIKey(name: "assessment", scopes: ["indicators:read"]).plaintextKey
        #expect(try Self.post(center, Self.rating("W01", (5, 5, 5))).status == 201)
        let entry = try Self.department(center, assessor, "SCJG")
        #expect(entry["n"] as? Int == 1)
        #expect((entry["provenance"] as? [String: Int])?["unverified"] == 1)
    }

    @Test func aWrongOrRevokedKeyIsRefusedNotTakenAsAnonymous() throws {
        let center = try TestCenter()
        let key = try center.store.createAPIKey(name: "queue", scopes: ["responses:write"]).plaintextKey
        let reader = try center.store.createAPIKey(name: "reader", scopes: ["indicators:read"]).plaintextKey
        let stored = try Self.post(center, Self.rating("W01", (5, 5, 5)), key: key)
        #expect(stored.status == 201)
        #expect(stored.json["provenance"] as? String == "api")
        #expect(try Self.post(center, Self.rating("W01", (5, 5, 5))).json["provenance"] as? String == "unverified")
        #expect(try Self.post(center, Self.rating("W01", (5, 5, 5)), key: "pj_wrong_key").status == 401)
        #expect(try Self.post(center, Self.rating("W01", (5, 5, 5)), key: reader).status == 403)
        try center.store.revokeAPIKey(name: "queue")
        #expect(try Self.post(center, Self.rating("W01", (5, 5, 5)), key: key).status == 401)
        #expect(try center.store.responseCount() == 2)
    }

    // MARK: Cross-site form posts

    static func form(_ center: TestCenter, _ path: String) throws -> [(String, String)] {
        let id = try WindowLinkTests.clientID(center.client.get(path).text)
        return [("client_id", id), ("attitude", "1"), ("efficiency", "1"), ("result", "1"), ("reasons", "态度不好")]
    }

    /// The thank-you page's comment form is a form post too: another site cannot add a
    /// comment to a stored rating through a citizen's browser.
    @Test(arguments: ["/kiosk/W01", "/r/W01"])
    func aCrossSiteCommentIsRefusedAndChangesNothing(path: String) throws {
        let center = try TestCenter()
        let (status, clientID) = try WindowLinkTests.rate(center, path)
        #expect(status == 303)
        let comment = [("client_id", clientID), ("comment", "由别的网站代填")]
        for header in [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")] {
            let answer = try center.client.postForm("\(path)/comment", comment, headers: [header, ("Accept-Language", "en")])
            #expect(answer.status == 403, "\(header)")
            #expect(answer.text.contains("another website"))
        }
        #expect(try center.store.response(clientID: clientID)?.comment == nil)
        // From the page itself it is added.
        #expect(try center.client.postForm("\(path)/comment", comment, headers: [("Sec-Fetch-Site", "same-origin")]).status == 200)
        #expect(try center.store.response(clientID: clientID)?.comment == "由别的网站代填")
    }

    @Test(arguments: ["/kiosk/W01", "/r/W01"])
    func aCrossSitePostIsRefusedAndStoresNothing(path: String) throws {
        let center = try TestCenter()
        let fields = try Self.form(center, path)
        for header in [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "same-site")] {
            let answer = try center.client.postForm(path, fields, headers: [header, ("Accept-Language", "en")])
            #expect(answer.status == 403, "\(header)")
            #expect(answer.text.contains("another website"))
        }
        // Refused before anything else is read: even a body that is not a form.
        let garbage = try center.client.request("POST", path, headers: [("Sec-Fetch-Site", "cross-site")], body: Array("%zz".utf8))
        #expect(garbage.status == 403)
        #expect(try center.store.responseCount() == 0)

        // The site's own page, a browser that says nothing, and an old one with Origin: null.
        #expect(try center.client.postForm(path, fields, headers: [("Sec-Fetch-Site", "same-origin")]).status == 303)
        #expect(try center.client.postForm(path, try Self.form(center, path)).status == 303)
        #expect(try center.client.postForm(path, try Self.form(center, path), headers: [("Origin", "null")]).status == 303)
        let host = "127.0.0.1:\(center.application.port)"
        #expect(try center.client.postForm(path, try Self.form(center, path), headers: [("Origin", "http://\(host)")]).status == 303)
        #expect(try center.store.responseCount() == 4)
        // A forged client id is still not stored; the form comes back.
        var forged = try Self.form(center, path)
        forged[0].1 = UUID().uuidString.lowercased() + ".000000000000000000000000"
        #expect(try center.client.postForm(path, forged).status == 422)
        #expect(try center.store.responseCount() == 4)
    }

    // MARK: Limits

    @Test func pastTheLinkLimitARatingIsSuspectAndTheCitizenIsThanked() throws {
        let center = try TestCenter { configuration in
            configuration.web.submissionLimits.linkClient = RateLimit(ratings: 2, seconds: 3600)
        }
        let token = center.application.web.windowLinks.token(forWindow: "W01")
        let path = "/r/W01?t=\(token)"
        let page = try center.client.get(path)
        let cookie = try #require(page.headers["set-cookie"]?.components(separatedBy: ";").first)
        #expect(cookie.hasPrefix("pingjia_client="))
        var ids: [String] = []
        for _ in 0..<3 {
            let fields = try Self.form(center, path)
            ids.append(fields[0].1)
            #expect(try center.client.postForm(path, fields, headers: [("Cookie", cookie)]).status == 303)
        }
        let last = try #require(try center.store.response(clientID: ids[2]))
        #expect(last.provenance == .windowQR)
        #expect(last.flagRule == .linkClientRate)
        #expect(try center.store.status(responseID: last.id) == .suspect)
        #expect(try center.store.response(clientID: ids[0])?.flagRule == nil)
        // Another browser on the same link has an allowance of its own.
        #expect(try center.client.postForm(path, try Self.form(center, path), headers: [("Cookie", "pingjia_client=other")]).status == 303)
        #expect(try center.store.feedback(FeedbackFilter(), scope: .all).entries.filter { $0.status == .suspect }.count == 1)

        // The review API shows it, and staff restore it through the status change.
        let reviewer = try center.store.createAPIKey(name: "review", scopes: ["feedback:read", "feedback:write"]).plaintextKey
        let detail = try center.client.get("/api/v1/feedback/\(last.id)", headers: [("Authorization", "Bearer \(reviewer)")])
        #expect(detail.json["status"] as? String == "suspect")
        #expect(detail.json["flag_rule"] as? String == "link_client_rate")
        #expect(detail.json["provenance"] as? String == "window_qr")
        let restored = try center.client.postJSON(
            "/api/v1/feedback/\(last.id)/status", #"{"status": "valid", "reason": "复核：同一家人"}"#,
            headers: [("Authorization", "Bearer \(reviewer)")]
        )
        #expect(restored.status == 200)
        #expect(try center.store.status(responseID: last.id) == .valid)
    }

    @Test func theHoneypotFlagsAPhoneRating() throws {
        let center = try TestCenter()
        let page = try center.client.get("/r/W01").text
        #expect(page.contains(#"name="website""#))
        #expect(!(try center.client.get("/kiosk/W01").text.contains(#"name="website""#)))
        let fields = try Self.form(center, "/r/W01") + [("website", "http://spam.example")]
        #expect(try center.client.postForm("/r/W01", fields).status == 303)
        let stored = try #require(try center.store.response(clientID: fields[0].1))
        #expect(stored.flagRule == .honeypot)
        #expect(try center.store.status(responseID: stored.id) == .suspect)
    }

    @Test func anonymousAPICallersGet429PastTheHardLimitAndKeysAreExempt() throws {
        let center = try TestCenter { configuration in
            configuration.web.submissionLimits.address = RateLimit(ratings: 2, seconds: 3600)
            configuration.web.submissionLimits.anonymousAPIRefused = RateLimit(ratings: 4, seconds: 3600)
        }
        let key = try center.store.createAPIKey(name: "queue", scopes: ["responses:write"]).plaintextKey
        var ids: [String] = []
        for _ in 0..<4 {
            let id = UUID().uuidString.lowercased()
            ids.append(id)
            #expect(try Self.post(center, Self.rating("W01", (5, 5, 5), clientID: id)).status == 201)
        }
        let refused = try Self.post(center, Self.rating("W01", (5, 5, 5)), headers: [("Accept-Language", "en")])
        #expect(refused.status == 429)
        #expect(refused.json["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "too_many_ratings")
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(try center.store.responseCount() == 4)
        #expect(try center.store.response(clientID: ids[1])?.flagRule == nil)
        #expect(try center.store.response(clientID: ids[2])?.flagRule == .addressRate)
        for _ in 0..<5 {
            let keyed = try Self.post(center, Self.rating("W01", (5, 5, 5)), key: key)
            #expect(keyed.status == 201)
        }
        #expect(try center.store.feedback(FeedbackFilter(), scope: .all).entries.filter { $0.status == .suspect }.count == 2)
    }

    /// A kiosk shares the center's one address with every other kiosk and phone: its
    /// ratings are held to its own allowance, never flagged or refused by the address's.
    @Test func aPairedKioskIsHeldToItsOwnAllowanceNotTheAddresss() throws {
        let center = try TestCenter { configuration in
            configuration.web.submissionLimits.address = RateLimit(ratings: 2, seconds: 3600)
            configuration.web.submissionLimits.anonymousAPIRefused = RateLimit(ratings: 3, seconds: 3600)
        }
        let admin = Principal(kind: .staff(username: "admin1", role: .admin), departments: .all)
        let code = try center.application.web.newPairingCode(windowCode: "W01", name: nil, principal: admin, language: .zh).code
        let paired = try center.client.postForm("/kiosk/pair", [("code", code)])
        let cookie = try #require(paired.headers["set-cookie"])
        let token = String(try #require(cookie.split(separator: ";").first?.split(separator: "=").last))
        for _ in 0..<5 {
            let id = UUID().uuidString.lowercased()
            let posted = try Self.post(center, Self.rating("W01", (1, 5, 5), clientID: id), headers: [(KioskDevices.header, token)])
            #expect(posted.status == 201)
            let stored = try #require(try center.store.response(clientID: id))
            #expect(stored.provenance == .device && stored.flagRule == nil)
        }
        // Anonymous posts from the same address are still held to the address's limits.
        for _ in 0..<3 { _ = try Self.post(center, Self.rating("W01", (5, 5, 5))) }
        #expect(try Self.post(center, Self.rating("W01", (5, 5, 5))).status == 429)
    }

    @Test func forwardedAddressesAreBelievedOnlyFromTrustedProxies() throws {
        for trusted in [true, false] {
            let center = try TestCenter { configuration in
                configuration.web.submissionLimits.address = RateLimit(ratings: 2, seconds: 3600)
                configuration.web.trustedProxies = trusted ? .loopback : try! TrustedProxies([])
            }
            var ids: [String] = []
            for index in 0..<4 {
                let id = UUID().uuidString.lowercased()
                ids.append(id)
                // A client's own claim first, then the address the proxy appended.
                let forwarded = "198.51.100.1, 203.0.113.\(index + 1)"
                #expect(try Self.post(center, Self.rating("W01", (5, 5, 5), clientID: id), headers: [("X-Forwarded-For", forwarded)]).status == 201)
            }
            let flagged = try ids.filter { try center.store.response(clientID: $0)?.flagRule == .addressRate }.count
            #expect(flagged == (trusted ? 0 : 2), "trusted: \(trusted)")
        }
    }
}
