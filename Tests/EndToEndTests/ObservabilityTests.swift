import Foundation
import Logging
import PingjiaTesting
import SurveyApp
import SurveyWeb
import Testing

/// `/metrics`, the logs and the throttle on wrong API keys, against the real server.
@Suite struct ObservabilityTests {
    static let token = "metrics-token-for-the-tests-0123"

    static func submission(_ index: Int, channel: String = "kiosk") -> String {
        #"{"window":"W01","attitude":5,"efficiency":4,"result":5,"channel":"\#(channel)","client_id":"8d3c1e2a-0b7f-4c55-9a11-\#(String(format: "%012d", index))","comment":"私密意见"}"#
    }

    /// The value of the sample `name{labels}` in a Prometheus text exposition.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func metricsCountSubmissionsByRouteChannelAndReplay() throws {
        let center = try TestCenter()
        for index in 0..<3 { #expect(try center.client.postJSON("/api/v1/responses", Self.submission(index)).status == 201) }
        #expect(try center.client.postJSON("/api/v1/responses", Self.submission(9, channel: "qr")).status == 201)
        #expect(try center.client.postJSON("/api/v1/responses", Self.submission(0)).status == 200)
        #expect(try center.client.get("/kiosk/W01").status == 200)
        #expect(try center.client.get("/no/such/page/for/metrics").status == 404)

        let scrape = try center.client.get("/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = scrape.text
        #expect(Self.sample(text, #"pingjia_http_requests_total{route="/api/v1/responses",method="POST",status="201"}"#) == 4)
        #expect(Self.sample(text, #"pingjia_http_requests_total{route="/api/v1/responses",method="POST",status="200"}"#) == 1)
        #expect(Self.sample(text, #"pingjia_http_requests_total{route="/kiosk/{window}",method="GET",status="200"}"#) == 1)
        // A path nobody routes is counted under one label, not under its own path.
        #expect(Self.sample(text, #"pingjia_http_requests_total{route="unmatched",method="GET",status="404"}"#) == 1)
        #expect(!text.contains("/no/such/page"))
        #expect(Self.sample(text, #"pingjia_http_request_duration_seconds_count{route="/api/v1/responses"}"#) == 5)
        #expect(text.contains(#"pingjia_http_request_duration_seconds_bucket{route="/api/v1/responses",le="+Inf"} 5"#))
        #expect(Self.sample(text, #"pingjia_responses_stored_total{channel="kiosk"}"#) == 3)
        #expect(Self.sample(text, #"pingjia_responses_stored_total{channel="qr"}"#) == 1)
        #expect(Self.sample(text, "pingjia_responses_replayed_total") == 1)
        #expect(Self.sample(text, "pingjia_writer_failed_commits_total") == 0)
        #expect(Self.sample(text, "pingjia_writer_batch_size_count") == 5)
        #expect(Self.sample(text, "pingjia_writer_batch_size_sum") == 5)
        #expect(Self.sample(text, "pingjia_writer_commit_duration_seconds_count") == 5)
        #expect(Self.sample(text, "pingjia_writer_queue_depth") != nil)
        #expect((Self.sample(text, "pingjia_database_bytes") ?? 0) > 0)
        #expect(Self.sample(text, "pingjia_database_wal_bytes") != nil)
        // The comment and the client's address never reach the metrics.
        #expect(!text.contains("私密意见"))
        #expect(!text.contains("127.0.0.1"))
    }

    @Test func aProxiedScrapeNeedsTheTokenAndIsRefusedInTheAPIErrorShape() throws {
        let center = try TestCenter { $0.web.metricsToken = Self.token }
        let proxied = [("X-Real-IP", "203.0.113.9"), ("X-Forwarded-For", "203.0.113.9")]
        let refused = try center.client.get("/metrics", headers: proxied + [("Accept-Language", "en")])
        #expect(refused.status == 403)
        #expect(refused.headers["content-type"]?.hasPrefix("application/json") == true)
        let error = try #require(refused.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "forbidden")
        #expect((error["message"] as? String)?.contains("metrics token") == true)
        let chinese = try center.client.get("/metrics", headers: proxied + [("Accept-Language", "zh-CN")])
        #expect(((chinese.json["error"] as? [String: Any])?["message"] as? String)?.contains("监控") == true)

        #expect(try center.client.get("/metrics", headers: proxied + [("Authorization", "Bearer wrong-token-wrong-token")]).status == 403)
        let allowed = try center.client.get("/metrics", headers: proxied + [("Authorization", "Bearer \(Self.token)")])
        #expect(allowed.status == 200)
        #expect(allowed.text.contains("pingjia_http_requests_total"))
    }

    @Test func answersTheServerGivesBeforeRoutingAreCountedToo() throws {
        let center = try TestCenter { $0.server.maxBodyBytes = 1024 }
        let large = try center.client.postJSON("/api/v1/responses", String(repeating: " ", count: 4096))
        #expect(large.status == 413)
        let text = try center.client.get("/metrics").text
        #expect(Self.sample(text, #"pingjia_http_requests_total{route="(server)",method="POST",status="413"}"#) == 1)
    }

    @Test func metricsCanBeTurnedOff() throws {
        let center = try TestCenter { $0.web.metricsEnabled = false }
        #expect(try center.client.get("/metrics").status == 404)
    }

    @Test func wrongAPIKeysAreThrottledEvenWhenTheKeyIsThenRight() throws {
        let lines = LinesBox()
        let logger = Logger(label: "pingjia") { PingjiaLogHandler(label: $0, format: .json, level: .info, sink: { lines.append($0) }) }
        let center = try TestCenter(logger: logger) {
            $0.web.authThrottle = ThrottlePolicy(freeFailures: 2, firstDelaySeconds: 600, maxDelaySeconds: 3600)
        }
        let key = try center.store.createAPIKey(name: "assessment", scopes: ["indicators:read"]).plaintextKey
        let path = "/api/v1/indicators?period=2026-Q3"
        let attacker = ("X-Real-IP", "203.0.113.9")
        #expect(try center.client.get(path, headers: [attacker, ("Authorization", "Bearer \(key)")]).status == 200)
        for _ in 0..<3 {
            #expect(try center.client.get(path, headers: [attacker, ("Authorization", "Bearer pj_wrongwrongwrong")]).status == 401)
        }
        let locked = try center.client.get(path, headers: [attacker, ("Authorization", "Bearer \(key)"), ("Accept-Language", "en")])
        #expect(locked.status == 429)
        let wait = try #require(locked.headers["retry-after"].flatMap(Int.init))
        #expect(wait > 0 && wait <= 600)
        #expect(locked.headers["content-type"]?.hasPrefix("application/json") == true)
        let error = try #require(locked.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "too_many_attempts")
        #expect((error["message"] as? String)?.contains("wrong API key") == true)
        let chinese = try center.client.get(path, headers: [attacker, ("Authorization", "Bearer \(key)")])
        #expect(chinese.status == 429)
        #expect(((chinese.json["error"] as? [String: Any])?["message"] as? String)?.contains("秒后重试") == true)

        // Another client, and the nginx-less local one, are not affected.
        #expect(try center.client.get(path, headers: [("X-Real-IP", "198.51.100.7"), ("Authorization", "Bearer \(key)")]).status == 200)
        #expect(try center.client.get(path, headers: [("Authorization", "Bearer \(key)")]).status == 200)

        let events = lines.all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let failures = events.filter { $0["message"] as? String == "Refused a wrong API key." }
        #expect(failures.count == 3)
        #expect(failures.last?["failures"] as? String == "3")
        #expect(failures.last?["locked_out_seconds"] as? String == "600")
        #expect(events.contains { $0["message"] as? String == "Refused an API request from a client locked out after wrong keys." })
        // The address is logged only as a keyed hash.
        #expect(!lines.all.contains { $0.contains("203.0.113.9") })
        #expect(failures.allSatisfy { ($0["client"] as? String)?.count == 16 })

        let metrics = try center.client.get("/metrics").text
        #expect(Self.sample(metrics, "pingjia_auth_failures_total") == 3)
        #expect(Self.sample(metrics, "pingjia_auth_throttled_total") == 2)
    }

    @Test func theAccessLogHasRouteStatusAndAHashedClientButNoAddressOrComment() throws {
        let lines = LinesBox()
        let logger = Logger(label: "pingjia") { PingjiaLogHandler(label: $0, format: .json, level: .info, sink: { lines.append($0) }) }
        let center = try TestCenter(logger: logger) { $0.web.accessLog = true }
        #expect(try center.client.postJSON("/api/v1/responses", Self.submission(1)).status == 201)
        #expect(try center.client.get("/kiosk/W01?lang=en").status == 200)
        let requests = lines.all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["message"] as? String == "request" }
        #expect(requests.count == 2)
        let post = try #require(requests.first { $0["method"] as? String == "POST" })
        #expect(post["route"] as? String == "/api/v1/responses")
        #expect(post["status"] as? String == "201")
        #expect(Double(post["duration_ms"] as? String ?? "") != nil)
        #expect((post["client"] as? String)?.count == 16)
        #expect(requests.contains { $0["route"] as? String == "/kiosk/{window}" && $0["path"] as? String == "/kiosk/W01" })
        #expect(!lines.all.contains { $0.contains("私密意见") || $0.contains("lang=en") })
        #expect(!lines.all.contains { $0.contains("\"request\"") && $0.contains("127.0.0.1") })
    }

    @Test func theAccessLogIsOffByDefault() throws {
        let lines = LinesBox()
        let logger = Logger(label: "pingjia") { PingjiaLogHandler(label: $0, format: .text, level: .trace, sink: { lines.append($0) }) }
        let center = try TestCenter(logger: logger)
        #expect(try center.client.get("/kiosk/W01").status == 200)
        #expect(!lines.all.contains { $0.contains("request") })
        #expect(lines.all.contains { $0.contains("Started.") })
    }
}
