import Foundation
import PingjiaTesting
import SurveyCore
import Synchronization
import Testing

/// `POST /api/v1/responses` and friends against the real server on loopback.
@Suite struct ResponsesAPITests {
    static let good = #"{"window":"W01","attitude":5,"efficiency":4,"result":5,"channel":"kiosk","client_id":"8d3c1e2a-0b7f-4c55-9a11-2f3e4d5c6b7a","service_item":"SCJG-01","staff":"S0101","comment":"很好"}"#

    @Test func aResponseIsStoredAndAReplayReturnsTheSameOne() throws {
        let center = try TestCenter()
        let created = try center.client.postJSON("/api/v1/responses", Self.good)
        #expect(created.status == 201)
        let body = created.json
        #expect(body["department"] as? String == "SCJG")
        #expect(body["window"] as? String == "W01")
        #expect(body["channel"] as? String == "kiosk")
        #expect(body["negative"] as? Bool == false)
        let id = try #require(body["id"] as? Int)

        let replay = try center.client.postJSON("/api/v1/responses", Self.good)
        #expect(replay.status == 200)
        #expect(replay.body == created.body)
        #expect(try center.store.responseCount() == 1)
        let stored = try #require(try center.store.response(id: Int64(id)))
        #expect(stored.staffCode == "S0101")
        #expect(stored.comment == "很好")
    }

    @Test func aReusedClientIDWithOtherAnswersIsAConflictAndStoresNothing() throws {
        let center = try TestCenter()
        #expect(try center.client.postJSON("/api/v1/responses", Self.good).status == 201)
        let other = Self.good.replacingOccurrences(of: #""attitude":5"#, with: #""attitude":4"#)
        let conflict = try center.client.postJSON("/api/v1/responses", other)
        #expect(conflict.status == 409)
        let error = try #require(conflict.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "client_id_conflict")
        // The original's comment is not handed to whoever holds the id.
        #expect(!conflict.text.contains("很好"))
        #expect(try center.store.responseCount() == 1)
        #expect(try center.store.response(clientID: "8d3c1e2a-0b7f-4c55-9a11-2f3e4d5c6b7a")?.ratings.attitude.rawValue == 5)
    }

    @Test func aUUIDClientIDMatchesWhateverItsCase() throws {
        let center = try TestCenter()
        #expect(try center.client.postJSON("/api/v1/responses", Self.good).status == 201)
        let shouted = Self.good.replacingOccurrences(of: "8d3c1e2a-0b7f-4c55-9a11-2f3e4d5c6b7a", with: "8D3C1E2A-0B7F-4C55-9A11-2F3E4D5C6B7A")
        let replay = try center.client.postJSON("/api/v1/responses", shouted)
        #expect(replay.status == 200)
        #expect(replay.json["client_id"] as? String == "8d3c1e2a-0b7f-4c55-9a11-2f3e4d5c6b7a")
        #expect(try center.store.responseCount() == 1)
    }

    @Test(arguments: [
        ("{\"window\": \"W01\", ", "application/json", 400, "malformed_json"),
        ("[1, 2, 3]", "application/json", 400, "malformed_json"),
        (good, "text/plain", 415, "unsupported_media_type"),
        (good, "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (#"{"window":"W77","attitude":5,"efficiency":5,"result":5}"#, "application/json", 422, "unknown_window"),
        (#"{"window":"W09","attitude":5,"efficiency":5,"result":5}"#, "application/json", 422, "unknown_window"),
        (#"{"attitude":5,"efficiency":5,"result":5}"#, "application/json", 422, "missing_window"),
        (#"{"window":"W01","attitude":6,"efficiency":5,"result":5}"#, "application/json", 422, "invalid_score"),
        (#"{"window":"W01","attitude":5,"efficiency":0,"result":5}"#, "application/json", 422, "invalid_score"),
        (#"{"window":"W01","attitude":"5","efficiency":5,"result":5}"#, "application/json", 422, "invalid_score"),
        (#"{"window":"W01","attitude":4.5,"efficiency":5,"result":5}"#, "application/json", 422, "invalid_score"),
        (#"{"window":"W01","attitude":true,"efficiency":5,"result":5}"#, "application/json", 422, "invalid_score"),
        (#"{"window":"W01","attitude":5,"efficiency":5}"#, "application/json", 422, "missing_score"),
        (#"{"window":"W01","attitude":2,"efficiency":5,"result":5}"#, "application/json", 422, "reason_required"),
        (#"{"window":"W01","attitude":1,"efficiency":1,"result":1,"reasons":[]}"#, "application/json", 422, "reason_required"),
        (#"{"window":"W01","attitude":5,"efficiency":5,"result":5,"reasons":"等候时间长"}"#, "application/json", 422, "invalid_field"),
        (#"{"window":"W01","attitude":5,"efficiency":5,"result":5,"channel":"fax"}"#, "application/json", 422, "unknown_channel"),
        (#"{"window":"W01","attitude":5,"efficiency":5,"result":5,"client_id":"x"}"#, "application/json", 422, "invalid_client_id"),
        (#"{"window":"W01","attitude":5,"efficiency":5,"result":5,"staff":"S9999"}"#, "application/json", 422, "unknown_staff"),
    ])
    func badInputGetsAClearErrorAndStoresNothing(body: String, type: String, status: Int, code: String) throws {
        let center = try TestCenter()
        let response = try center.client.request("POST", "/api/v1/responses", headers: [("Content-Type", type)], body: Array(body.utf8))
        #expect(response.status == status)
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        let error = try #require(response.json["error"] as? [String: Any])
        #expect(error["code"] as? String == code)
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(try center.store.responseCount() == 0)
    }

    /// Bodies a lenient parser would have read (some as a 422, some stored): each is not
    /// JSON by RFC 8259, so it gets 400 `malformed_json` and nothing is stored.
    @Test(arguments: [
        #"{"window":"W01","attitude":5,"efficiency":5,"result":5,}"#,
        #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"reasons":["系统故障",]}"#,
        #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"attitude":1}"#,
        #"{"window":"W77","window":"W01","attitude":5,"efficiency":5,"result":5}"#,
        #"{"window":"W01","attitude":05,"efficiency":5,"result":5}"#,
        #"{"window":"W01","attitude":5.,"efficiency":5,"result":5}"#,
        "{\"window\":\"W01\",\"attitude\":5,\"efficiency\":5,\"result\":5,\"comment\":\"好\n\"}",
        "{\"window\":\"W01\",\"attitude\":5,\"efficiency\":5,\"result\":5,\"comment\":\"a\u{01}b\"}",
        #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"comment":"\uD83D"}"#,
        #"{"window":"W01","attitude":5,"efficiency":5,"result":5} {"#,
        #"{"window":"W01","attitude":5,"efficiency":5,"result":5}x"#,
        #"{"window":"W01","attitude":True,"efficiency":5,"result":5}"#,
        "",
    ])
    func bodiesThatAreNotStrictJSONGet400AndStoreNothing(body: String) throws {
        let center = try TestCenter()
        let response = try center.client.postJSON("/api/v1/responses", body, headers: [("Accept-Language", "en")])
        #expect(response.status == 400)
        let error = try #require(response.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "malformed_json")
        #expect(error["message"] as? String == "The body is not a valid JSON object.")
        #expect(try center.store.responseCount() == 0)
    }

    @Test func aCommentKeepsItsJoinersAndLosesItsOverrides() throws {
        let center = try TestCenter()
        // 👨‍👩‍👧 written with escapes, a Persian word with its ZWNJ, and a right-to-left override.
        let body = #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"comment":"\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 می\u200Cخواهم \u202Eabc"}"#
        let response = try center.client.postJSON("/api/v1/responses", body)
        #expect(response.status == 201)
        let expected = "👨\u{200D}👩\u{200D}👧 می\u{200C}خواهم abc"
        #expect(response.json["comment"] as? String == expected)
        let id = try #require(response.json["id"] as? Int)
        #expect(try center.store.response(id: Int64(id))?.comment == expected)
    }

    @Test func errorMessagesFollowTheClientsLanguage() throws {
        let center = try TestCenter()
        let body = #"{"window":"W01","attitude":1,"efficiency":5,"result":5}"#
        let chinese = try center.client.postJSON("/api/v1/responses", body)
        let english = try center.client.postJSON("/api/v1/responses", body, headers: [("Accept-Language", "en-US,en;q=0.9")])
        #expect(((chinese.json["error"] as? [String: Any])?["message"] as? String)?.contains("原因") == true)
        #expect(((english.json["error"] as? [String: Any])?["message"] as? String)?.contains("reason") == true)
    }

    @Test func aNegativeRatingWithAReasonIsStored() throws {
        let center = try TestCenter()
        let response = try center.client.postJSON(
            "/api/v1/responses", #"{"window":"W02","attitude":2,"efficiency":1,"result":3,"reasons":["等候时间长","窗口人员中途离开"]}"#
        )
        #expect(response.status == 201)
        #expect(response.json["negative"] as? Bool == true)
        #expect(response.json["department"] as? String == "BDC")
        #expect(response.json["reasons"] as? [String] == ["等候时间长", "窗口人员中途离开"])
        #expect(response.json["channel"] as? String == "web")
    }

    @Test func oversizedBodyGets413AndStoresNothing() throws {
        let center = try TestCenter { $0.server.maxBodyBytes = 2048 }
        let padding = String(repeating: "好", count: 2000)
        let response = try center.client.postJSON("/api/v1/responses", #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"comment":"\#(padding)"}"#)
        #expect(response.status == 413)
        #expect((response.json["error"] as? [String: Any])?["code"] as? String == "body_too_large")
        #expect(response.headers["x-content-type-options"] == "nosniff")
        let chunked = try center.client.postChunked(
            "/api/v1/responses", contentType: "application/json",
            pieces: Array(repeating: Array(padding.utf8.prefix(600)), count: 6), pauseMicroseconds: 2000
        )
        #expect(chunked.status == 413)
        #expect((chunked.json["error"] as? [String: Any])?["code"] as? String == "body_too_large")
        #expect(try center.store.responseCount() == 0)
    }

    @Test func aBodySentChunkedInSmallPiecesIsStored() throws {
        let center = try TestCenter()
        let bytes = Array(Self.good.utf8)
        let pieces = stride(from: 0, to: bytes.count, by: 9).map { Array(bytes[$0..<min($0 + 9, bytes.count)]) }
        let response = try center.client.postChunked("/api/v1/responses", contentType: "application/json; charset=utf-8", pieces: pieces)
        #expect(response.status == 201)
        #expect(try center.store.responseCount() == 1)
    }

    @Test func concurrentSubmissionsAreAllStoredOnce() throws {
        let center = try TestCenter()
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            let body = #"{"window":"W0\#(index % 2 + 1)","attitude":\#(index % 5 + 1),"efficiency":4,"result":5,"reasons":["系统故障"],"client_id":"concurrent-\#(index)"}"#
            let status = (try? center.client.postJSON("/api/v1/responses", body).status) ?? -1
            statuses.withLock { $0.append(status) }
        }
        #expect(statuses.withLock { $0.filter { $0 == 201 }.count } == 200)
        #expect(try center.store.responseCount() == 200)
    }

    @Test func windowsListsActiveWindowsWithTheirDepartments() throws {
        let center = try TestCenter()
        let response = try center.client.get("/api/v1/windows")
        #expect(response.status == 200)
        let windows = try #require(response.json["windows"] as? [[String: Any]])
        #expect(windows.map { $0["code"] as? String } == ["W01", "W02"])
        #expect((windows[1]["department"] as? [String: Any])?["name"] as? String == "不动产登记科")
    }

    @Test func healthzAnswers() throws {
        let center = try TestCenter()
        let response = try center.client.get("/healthz")
        #expect(response.status == 200)
        #expect(response.json["status"] as? String == "ok")
    }

    @Test func benchmarkRouteExistsOnlyWhenEnabled() throws {
        let plain = try TestCenter()
        #expect(try plain.client.get("/bench/noop").status == 404)
        let benchmarking = try TestCenter { $0.web.benchmarkRoute = true }
        #expect(try benchmarking.client.get("/bench/noop").status == 200)
    }
}
