import Foundation
import MicroHTTP
import PingjiaTesting
import SurveyApp
import SurveyCore
import SurveyStore
import SurveyWeb
import Testing

/// The staff's daily pages against the real server: the dashboard, the live 差评 stream
/// and its polling fallback, and the feedback pages, each limited to the session's
/// departments (a head of 市场监管科 never sees 不动产登记科's responses).
@Suite struct StaffDashboardTests {
    static func center(configure: (inout PingjiaConfiguration) -> Void = { _ in }) throws -> (TestCenter, head: String, csrf: String) {
        let center = try TestCenter(configure: configure)
        try center.store.createStaffUser(
            username: "head", role: .head, password: StaffSessionTests.password, departmentCodes: ["SCJG"], actor: "test"
        )
        let login = try StaffSessionTests.login(center, "head")
        let csrf = try #require(login.json["csrf_token"] as? String)
        return (center, try StaffSessionTests.token(login), csrf)
    }

    /// Stores a 差评 at `window` (W01 is 市场监管科's, W02 不动产登记科's); its id.
    @discardableResult
    static func negative(_ center: TestCenter, window: String, comment: String = "态度冷淡") throws -> Int64 {
        let body = #"{"window":"\#(window)","attitude":1,"efficiency":3,"result":2,"reasons":["态度差"],"comment":"\#(comment)","client_id":"\#(UUID().uuidString)"}"#
        let stored = try center.client.postJSON("/api/v1/responses", body)
        #expect(stored.status == 201)
        return try #require((stored.json["id"] as? NSNumber)?.int64Value)
    }

    @Test func theDashboardShowsTheHeadsDepartmentOnlyWithItsTrendAndOpenCases() throws {
        let (center, head, _) = try Self.center()
        let mine = try Self.negative(center, window: "W01", comment: "本科室的意见")
        try Self.negative(center, window: "W02", comment: "别的科室的意见")
        let page = try center.client.get("/staff?lang=en", headers: [StaffSessionTests.cookie(head)])
        #expect(page.status == 200)
        #expect(page.text.contains("市场监管科 <span class=\"code\">(SCJG)</span>"))
        #expect(!page.text.contains("不动产登记科 <span"))
        #expect(page.text.contains("本科室的意见") && !page.text.contains("别的科室的意见"))
        #expect(page.text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend-chart\""))
        #expect(page.text.contains("<title id=\"trend-SCJG-title\">"))
        #expect(page.text.contains("1 open"))
        #expect(page.text.contains("href=\"/staff/feedback/\(mine)\""))
        #expect(page.text.contains("src=\"/static/js/staff.js\"") && !page.text.contains("style="))
        #expect(try center.client.get("/staff").status == 303)
    }

    @Test func anotherDepartmentsResponseIsNotFoundOnEveryPage() throws {
        let (center, head, csrf) = try Self.center()
        let mine = try Self.negative(center, window: "W01")
        let theirs = try Self.negative(center, window: "W02")
        let cookie = StaffSessionTests.cookie(head)
        #expect(try center.client.get("/staff/feedback/\(mine)", headers: [cookie]).status == 200)
        #expect(try center.client.get("/staff/feedback/\(theirs)", headers: [cookie]).status == 404)
        #expect(try center.client.get("/staff/feedback/99999", headers: [cookie]).status == 404)
        let flag = try center.client.postForm(
            "/staff/feedback/\(theirs)/status", [("csrf_token", csrf), ("status", "test"), ("reason", "猜的编号")], headers: [cookie]
        )
        #expect(flag.status == 404)
        #expect(try center.store.status(responseID: theirs) == .valid)
        let list = try center.client.get("/staff/feedback?department=BDC", headers: [cookie])
        #expect(list.status == 200 && !list.text.contains("/staff/feedback/\(theirs)\""))
        let csv = try center.client.get("/staff/feedback.csv", headers: [cookie])
        #expect(csv.status == 200)
        let ids = csv.text.split(whereSeparator: \.isNewline).dropFirst().compactMap { Int64($0.split(separator: ",").first ?? "") }
        #expect(ids == [mine])
    }

    @Test func flaggingNeedsTheCSRFTokenAndRestoringIsForAdmins() throws {
        let (center, head, csrf) = try Self.center()
        let mine = try Self.negative(center, window: "W01")
        let cookie = StaffSessionTests.cookie(head)
        let forged = try center.client.postForm("/staff/feedback/\(mine)/status", [("status", "test"), ("reason", "试")], headers: [cookie])
        #expect(forged.status == 403)
        #expect(try center.store.status(responseID: mine) == .valid)
        let noReason = try center.client.postForm(
            "/staff/feedback/\(mine)/status", [("csrf_token", csrf), ("status", "test"), ("reason", "  ")], headers: [cookie]
        )
        #expect(noReason.status == 422)
        #expect(try center.store.status(responseID: mine) == .valid)
        let flagged = try center.client.postForm(
            "/staff/feedback/\(mine)/status", [("csrf_token", csrf), ("status", "test"), ("reason", "演示数据")], headers: [cookie]
        )
        #expect(flagged.status == 303 && flagged.headers["location"] == "/staff/feedback/\(mine)")
        #expect(try center.store.status(responseID: mine) == .test)
        let restore = try center.client.postForm(
            "/staff/feedback/\(mine)/status", [("csrf_token", csrf), ("status", "valid"), ("reason", "误标")], headers: [cookie]
        )
        #expect(restore.status == 403)
        #expect(try center.store.status(responseID: mine) == .test)
    }

    @Test func pollingReturnsTheDepartmentsNewNegativesOnly() throws {
        let (center, head, _) = try Self.center()
        let cookie = StaffSessionTests.cookie(head)
        let start = try center.client.get("/staff/events", headers: [cookie, ("Accept", "application/json")])
        #expect(start.status == 200)
        let since = try #require((start.json["last_id"] as? NSNumber)?.int64Value)
        try Self.negative(center, window: "W02")
        let mine = try Self.negative(center, window: "W01")
        let poll = try center.client.get("/staff/events?since=\(since)", headers: [cookie])
        let events = try #require(poll.json["events"] as? [[String: Any]])
        #expect(events.compactMap { ($0["id"] as? NSNumber)?.int64Value } == [mine])
        #expect((poll.json["last_id"] as? NSNumber)?.int64Value == mine)
        #expect(try center.client.get("/staff/events?since=-1", headers: [cookie]).status == 400)
        #expect(try center.client.get("/staff/events").status == 401)
    }

    @Test func theStreamSendsTheDepartmentsNewNegativeOutlivingTheRequestDeadline() throws {
        // A request deadline of 1 s: the stream, an answer in progress, is not cut by it.
        let (center, head, _) = try Self.center { $0.server.requestTimeoutSeconds = 1 }
        let stream = try RawHTTPConnection(port: center.application.port)
        try stream.write(
            "GET /staff/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: pingjia_session=\(head)\r\n\r\n"
        )
        let headers = try stream.readHead()
        #expect(headers.status == 200)
        #expect(headers.headers["content-type"] == "text/event-stream; charset=utf-8")
        #expect(headers.headers["x-accel-buffering"] == "no")
        _ = try stream.readBody(through: "id: ")
        usleep(2_500_000)
        // Another department's 差评 first: had it leaked, it would be the first event.
        try Self.negative(center, window: "W02", comment: "别的科室")
        let mine = try Self.negative(center, window: "W01", comment: "本科室")
        let event = try stream.readBody(through: "\n\n\r\n")
        let text = try stream.readBody(through: "event: negative")
        let data = try stream.readBody(through: "\n\n")
        #expect(!(event + text).contains("别的科室"))
        #expect((event + text).contains("id: \(mine)\n"))
        #expect(data.contains("本科室") && data.contains("\"url\":\"/staff/feedback/\(mine)\""))
        // The shutdown (in the center's deinit) ends the open stream first.
    }

    @Test func aReconnectionGetsWhatItMissedAfterItsLastEventID() throws {
        let (center, head, _) = try Self.center()
        let before = try Self.negative(center, window: "W01")
        let missed = try Self.negative(center, window: "W01", comment: "断线期间")
        let stream = try RawHTTPConnection(port: center.application.port)
        try stream.write(
            "GET /staff/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nLast-Event-ID: \(before)\r\n"
            + "Cookie: pingjia_session=\(head)\r\n\r\n"
        )
        #expect(try stream.readHead().status == 200)
        let text = try stream.readBody(through: "断线期间")
        #expect(text.contains("id: \(missed)\nevent: negative\n"))
        #expect(!text.contains("id: \(before)\nevent"))
    }

    @Test func streamsBeyondTheLimitAreRefusedSoThePageFallsBackToPolling() throws {
        let (center, head, _) = try Self.center { $0.web.eventStreams = 1 }
        let request = "GET /staff/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: pingjia_session=\(head)\r\n\r\n"
        let first = try RawHTTPConnection(port: center.application.port)
        try first.write(request)
        #expect(try first.readHead().status == 200)
        let second = try RawHTTPConnection(port: center.application.port)
        try second.write(request)
        let refused = try second.readResponse()
        #expect(refused.status == 503)
        #expect(refused.headers["retry-after"] != nil)
    }

    @Test func anOpenDashboardDoesNotKeepItsSessionAliveAndItsStreamEndsWithTheSession() throws {
        let (center, head, _) = try Self.center {
            $0.web.staffSessionIdleSeconds = 2
            $0.web.eventHeartbeatSeconds = 1
        }
        let cookie = StaffSessionTests.cookie(head)
        let stream = try RawHTTPConnection(port: center.application.port)
        try stream.write(
            "GET /staff/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: pingjia_session=\(head)\r\n\r\n"
        )
        #expect(try stream.readHead().status == 200)
        // Polling and the stream's heartbeats for longer than the idle time: neither is a use.
        let until = Date().addingTimeInterval(2.6)
        while Date() < until {
            Thread.sleep(forTimeInterval: 0.4)
            _ = try center.client.get("/staff/events", headers: [cookie, ("Accept", "application/json")])
        }
        #expect(try center.client.get("/api/v1/session", headers: [cookie]).status == 401)
        // The next heartbeat finds the session gone and ends the stream (the last chunk).
        #expect(try stream.readBody(through: "0\r\n\r\n").hasSuffix("0\r\n\r\n"))
    }
}
