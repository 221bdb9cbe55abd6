import Foundation
import MicroHTTP
import PingjiaTesting
import SurveyCore
import SurveyStore
import SurveyWeb
import Testing

/// Staff sign-in, sessions, CSRF, throttling and the audit log, against the real server.
@Suite struct StaffSessionTests {
    static let password = "a long enough password"

    /// A center with a head of 市场监管科 (`head`) and an admin (`boss`).
    static func center(configure: (inout WebConfiguration) -> Void = { _ in }) throws -> TestCenter {
        let center = try TestCenter { configure(&$0.web) }
        try center.store.createStaffUser(username: "head", role: .head, password: password, departmentCodes: ["SCJG"], actor: "test")
        try center.store.createStaffUser(username: "boss", role: .admin, password: password, departmentCodes: [], actor: "test")
        return center
    }

    static func login(_ center: TestCenter, _ username: String, _ password: String = password, headers: [(String, String)] = []) throws -> TestResponse {
        try center.client.postJSON("/api/v1/session", #"{"username": "\#(username)", "password": "\#(password)"}"#, headers: headers)
    }

    /// The session token the response's `Set-Cookie` carries.
    static func token(_ response: TestResponse) throws -> String {
        let cookie = try #require(response.headers["set-cookie"])
        let value = try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        return String(value)
    }

    static func cookie(_ token: String) -> (String, String) { ("Cookie", "pingjia_session=\(token)") }

    @Test func signingInGivesTheUserTheirDepartmentsACSRFTokenAndAStrictCookie() throws {
        let center = try Self.center()
        let response = try Self.login(center, "HEAD")
        #expect(response.status == 200)
        let user = try #require(response.json["user"] as? [String: Any])
        #expect(user["username"] as? String == "head")
        #expect(user["role"] as? String == "head")
        #expect(user["departments"] as? [String] == ["SCJG"])
        #expect((response.json["csrf_token"] as? String)?.count == 64)
        let cookie = try #require(response.headers["set-cookie"])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        #expect(!cookie.contains("Secure"))
        let token = try Self.token(response)
        #expect(token.count == 64)

        let me = try center.client.get("/api/v1/session", headers: [Self.cookie(token)])
        #expect(me.status == 200)
        #expect((me.json["user"] as? [String: Any])?["username"] as? String == "head")
        let page = try center.client.get("/staff?lang=en", headers: [Self.cookie(token)])
        #expect(page.status == 200)
        #expect(page.text.contains("Signed in as head") && page.text.contains("Department head") && page.text.contains("市场监管科 (SCJG)"))
        #expect(!page.text.contains("<script>") && !page.text.contains("style="))
        #expect(try center.client.get("/staff").status == 303)
    }

    @Test func behindTheTLSProxyTheCookieIsSecure() throws {
        let center = try Self.center()
        let response = try Self.login(center, "head", headers: [("X-Forwarded-Proto", "https"), ("X-Real-IP", "203.0.113.4")])
        #expect(response.status == 200)
        #expect(response.headers["set-cookie"]?.contains("Secure") == true)
    }

    @Test func signingInIssuesANewSessionAndRetiresThePreviousOne() throws {
        let center = try Self.center()
        let first = try Self.token(try Self.login(center, "head"))
        let second = try Self.login(center, "head", headers: [Self.cookie(first)])
        let rotated = try Self.token(second)
        #expect(rotated != first)
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(first)]).status == 401)
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(rotated)]).status == 200)
        // A token the client made up before signing in is never adopted.
        let planted = String(repeating: "ab", count: 32)
        let fresh = try Self.token(try Self.login(center, "head", headers: [Self.cookie(planted)]))
        #expect(fresh != planted)
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(planted)]).status == 401)
    }

    @Test func anUnknownUserAndAWrongPasswordGetTheSameAnswer() throws {
        let center = try Self.center()
        let wrong = try Self.login(center, "head", "not the password at all")
        let unknown = try Self.login(center, "nobody", "not the password at all")
        #expect(wrong.status == 401 && unknown.status == 401)
        #expect(wrong.text == unknown.text)
        #expect(wrong.text.contains("login_failed"))
        try center.store.disableStaffUser(named: "boss", actor: "test")
        #expect(try Self.login(center, "boss").text == wrong.text)
        let form = try center.client.postForm("/staff/login", [("username", "nobody"), ("password", "x"), ("lang", "en")])
        #expect(form.status == 401)
        #expect(form.text.contains("The user name or password is wrong."))
    }

    @Test func aLockedOutAccountGets429WithRetryAfterEvenWithTheRightPassword() throws {
        let center = try Self.center { $0.loginThrottle = ThrottlePolicy(freeFailures: 2, firstDelaySeconds: 60, maxDelaySeconds: 600) }
        // Each attempt from another address: the account's own count locks it.
        for (index, address) in ["198.51.100.1", "198.51.100.2", "198.51.100.3"].enumerated() {
            let response = try Self.login(center, "head", "wrong password \(index)", headers: [("X-Real-IP", address)])
            #expect(response.status == 401)
        }
        let refused = try Self.login(center, "head", headers: [("X-Real-IP", "198.51.100.4")])
        #expect(refused.status == 429)
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 > 0)
        // The other account is not locked by it.
        #expect(try Self.login(center, "boss", headers: [("X-Real-IP", "198.51.100.5")]).status == 200)
        let page = try center.client.postForm("/staff/login", [("username", "head"), ("password", Self.password)], headers: [("X-Real-IP", "198.51.100.6")])
        #expect(page.status == 429)
        #expect(page.headers["retry-after"] != nil)
    }

    @Test func aClientTryingManyAccountsIsLockedOutForEveryAccount() throws {
        let center = try Self.center { $0.loginThrottle = ThrottlePolicy(freeFailures: 2, firstDelaySeconds: 60, maxDelaySeconds: 600) }
        let attacker = ("X-Real-IP", "203.0.113.66")
        for name in ["alice", "bob", "carol"] {
            #expect(try Self.login(center, name, "guess", headers: [attacker]).status == 401)
        }
        let refused = try Self.login(center, "head", headers: [attacker])
        #expect(refused.status == 429)
        #expect(refused.headers["retry-after"] != nil)
        #expect(try Self.login(center, "head", headers: [("X-Real-IP", "203.0.113.67")]).status == 200)
    }

    @Test func aSessionEndsAfterItsIdleTime() throws {
        let center = try Self.center { $0.staffSessionIdleSeconds = 2 }
        let token = try Self.token(try Self.login(center, "head"))
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(token)]).status == 200)
        Thread.sleep(forTimeInterval: 2.6)
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(token)]).status == 401)
        #expect(try center.store.sessionCount(ofUser: "head") == 0)
        // Sessions nobody comes back to are removed at the next sign-in of anyone.
        _ = try Self.login(center, "head")
        Thread.sleep(forTimeInterval: 2.6)
        _ = try Self.login(center, "boss")
        #expect(try center.store.sessionCount(ofUser: "head") == 0)
    }

    @Test func aSessionEndsAtItsAbsoluteLimitHoweverActive() throws {
        let center = try Self.center { $0.staffSessionMaxSeconds = 2 }
        let token = try Self.token(try Self.login(center, "head"))
        let deadline = Date().addingTimeInterval(2.5)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.4)
            _ = try center.client.get("/api/v1/session", headers: [Self.cookie(token)])
        }
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(token)]).status == 401)
    }

    @Test func aPasswordChangeEndsTheUsersSessions() throws {
        let center = try Self.center()
        let token = try Self.token(try Self.login(center, "head"))
        let other = try Self.token(try Self.login(center, "boss"))
        try center.store.setStaffPassword(named: "head", password: "another long password", actor: "test")
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(token)]).status == 401)
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(other)]).status == 200)
        #expect(try Self.login(center, "head").status == 401)
        #expect(try Self.login(center, "head", "another long password").status == 200)
    }

    @Test func signingOutNeedsTheCSRFTokenAndWithoutItNothingChanges() throws {
        let center = try Self.center()
        let response = try Self.login(center, "head")
        let token = try Self.token(response)
        let csrf = try #require(response.json["csrf_token"] as? String)
        let before = try center.store.auditEntries(limit: 100).count
        for headers in [[Self.cookie(token)], [Self.cookie(token), ("X-CSRF-Token", String(repeating: "0", count: 64))]] {
            let refused = try center.client.request("DELETE", "/api/v1/session", headers: headers)
            #expect(refused.status == 403)
            #expect(refused.text.contains("csrf_invalid"))
            #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(token)]).status == 200)
        }
        let form = try center.client.postForm("/staff/logout", [("csrf_token", "wrong")], headers: [Self.cookie(token)])
        #expect(form.status == 403)
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(token)]).status == 200)
        #expect(try center.store.auditEntries(limit: 100).count == before)

        let out = try center.client.request("DELETE", "/api/v1/session", headers: [Self.cookie(token), ("X-CSRF-Token", csrf)])
        #expect(out.status == 204)
        #expect(out.headers["set-cookie"]?.contains("Max-Age=0") == true)
        #expect(try center.client.get("/api/v1/session", headers: [Self.cookie(token)]).status == 401)
        #expect(try center.store.auditEntries(limit: 1).first?.action == "session.end")

        let again = try Self.login(center, "head")
        let page = try center.client.postForm(
            "/staff/logout", [("csrf_token", try #require(again.json["csrf_token"] as? String))], headers: [Self.cookie(try Self.token(again))]
        )
        #expect(page.status == 303 && page.headers["location"] == "/staff/login")
    }

    @Test func aSignInFromAnotherSiteIsRefused() throws {
        let center = try Self.center()
        let evil = try Self.login(center, "head", headers: [("Origin", "https://evil.example")])
        #expect(evil.status == 403)
        #expect(evil.headers["set-cookie"] == nil)
        #expect(try Self.login(center, "head", headers: [("Sec-Fetch-Site", "cross-site")]).status == 403)
        #expect(try Self.login(center, "head", headers: [("Sec-Fetch-Site", "same-site")]).status == 403)
        // A sandboxed frame elsewhere posts with an opaque origin.
        #expect(try Self.login(center, "head", headers: [("Origin", "null")]).status == 403)
        // Browsers send Origin: null on form posts from pages with Referrer-Policy: no-referrer.
        let fromOwnPage = try Self.login(center, "head", headers: [("Origin", "null"), ("Sec-Fetch-Site", "same-origin")])
        #expect(fromOwnPage.status == 200)
        let form = try center.client.postForm(
            "/staff/login", [("username", "head"), ("password", Self.password)], headers: [("Origin", "http://evil.example")]
        )
        #expect(form.status == 403)
        let same = try center.client.postForm(
            "/staff/login", [("username", "head"), ("password", Self.password)],
            headers: [("Origin", "http://127.0.0.1:\(center.application.port)"), ("Sec-Fetch-Site", "same-origin")]
        )
        #expect(same.status == 303 && same.headers["location"] == "/staff")
        #expect(same.headers["set-cookie"]?.contains("pingjia_session=") == true)
    }

    @Test func onlyAdminsReadTheAuditLog() throws {
        let center = try Self.center()
        #expect(try center.client.get("/api/v1/audit").status == 401)
        let head = try Self.token(try Self.login(center, "head"))
        #expect(try center.client.get("/api/v1/audit", headers: [Self.cookie(head)]).status == 403)
        #expect(try center.client.get("/staff/audit", headers: [Self.cookie(head)]).status == 403)
        let boss = try Self.token(try Self.login(center, "boss"))
        let audit = try center.client.get("/api/v1/audit?limit=10", headers: [Self.cookie(boss)])
        #expect(audit.status == 200)
        let entries = try #require(audit.json["entries"] as? [[String: Any]])
        #expect(entries.first?["action"] as? String == "session.start")
        #expect(entries.first?["actor"] as? String == "boss")
        #expect(entries.contains { $0["action"] as? String == "user.create" && $0["subject_id"] as? String == "head" })
        #expect(try center.client.get("/api/v1/audit?limit=0", headers: [Self.cookie(boss)]).status == 400)
        let page = try center.client.get("/staff/audit?lang=en", headers: [Self.cookie(boss)])
        #expect(page.status == 200)
        #expect(page.text.contains("Audit log") && page.text.contains("user.create"))
    }

    @Test func aPrincipalComesFromASessionOrFromAnAPIKeyWithTheScope() throws {
        let center = try Self.center()
        let web = center.application.web
        let token = try Self.token(try Self.login(center, "head"))
        let request = Request(method: "GET", path: "/api/v1/feedback", headers: Headers([("Cookie", "pingjia_session=\(token)")]), remoteAddress: "127.0.0.1")
        let principal = try web.principal(for: request, scope: WebApplication.feedbackReadScope)
        #expect(principal.kind == .staff(username: "head", role: .head))
        #expect(principal.departments == .only(["SCJG"]))
        #expect(!principal.departments.includes("BDC"))

        var change = request
        change.method = "POST"
        #expect(throws: HTTPError.self) { try web.principal(for: change, scope: WebApplication.casesWriteScope) }

        try center.store.createStaffUser(username: "office", role: .viewer, password: Self.password, departmentCodes: [], actor: "test")
        let viewer = try Self.login(center, "office")
        var viewerChange = Request(
            method: "POST", path: "/api/v1/cases/1/actions",
            headers: Headers([("Cookie", "pingjia_session=\(try Self.token(viewer))"), ("X-CSRF-Token", try #require(viewer.json["csrf_token"] as? String))]),
            remoteAddress: "127.0.0.1"
        )
        #expect(throws: HTTPError.self) { try web.principal(for: viewerChange, scope: WebApplication.casesWriteScope) }
        viewerChange.method = "GET"
        #expect(try web.principal(for: viewerChange, scope: WebApplication.feedbackReadScope).departments == .all)

        let (_, key) = try center.store.createAPIKey(name: "hotline", scopes: [WebApplication.feedbackReadScope])
        let keyed = Request(method: "GET", path: "/api/v1/feedback", headers: Headers([("Authorization", "Bearer \(key)")]), remoteAddress: "127.0.0.1")
        let integration = try web.principal(for: keyed, scope: WebApplication.feedbackReadScope)
        #expect(integration.auditName == "key:hotline")
        #expect(integration.departments == .all)
        #expect((try? web.principal(for: keyed, scope: WebApplication.casesWriteScope)) == nil)
        #expect((try? web.principal(for: Request(method: "GET", path: "/", remoteAddress: "127.0.0.1"), scope: "feedback:read")) == nil)
    }
}
