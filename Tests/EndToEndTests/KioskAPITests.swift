import Foundation
import PingjiaTesting
import SurveyCore
import Testing

/// What the kiosk relies on: every problem in one answer, the time a rating was given,
/// and a comment attached after the rating.
@Suite struct KioskAPITests {
    static let clientID = "5b0f3c1e-7d2a-4e8b-9c10-a1b2c3d4e5f6"

    @Test func everyProblemOfASubmissionComesInOneAnswer() throws {
        let center = try TestCenter()
        let body = #"{"window":"W01","efficiency":1,"result":7,"comment":"x","channel":"fax","client_id":"short"}"#
        let refused = try center.client.postJSON("/api/v1/responses", body)
        #expect(refused.status == 422)
        let error = try #require(refused.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "missing_score")
        let errors = try #require(refused.json["errors"] as? [[String: Any]])
        #expect(errors.map { $0["code"] as? String } == [
            "missing_score", "invalid_score", "reason_required", "unknown_channel", "invalid_client_id",
        ])
        #expect(errors.map { $0["field"] as? String } == ["attitude", "result", "efficiency", nil, nil])
        // The reason's message names the question and the level chosen.
        let reason = try #require(errors[2]["message"] as? String)
        #expect(reason.contains("办事效率") && reason.contains("非常不满意"), "\(reason)")
        #expect(try center.store.responseCount() == 0)
    }

    @Test func ratedAtIsStoredAndBoundedByTheServersClock() throws {
        let center = try TestCenter()
        let given = UTCTimestamp.nowMillis() - 3_600_000
        let body = #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"channel":"kiosk","client_id":"\#(Self.clientID)","rated_at":"\#(UTCTimestamp.string(millis: given))"}"#
        let created = try center.client.postJSON("/api/v1/responses", body)
        #expect(created.status == 201)
        #expect(created.json["rated_at"] as? String == UTCTimestamp.string(millis: given))
        let stored = try #require(try center.store.response(clientID: Self.clientID))
        #expect(stored.ratedAtMillis == given)
        #expect(stored.createdAtMillis > given)

        for ratedAt in [UTCTimestamp.string(millis: UTCTimestamp.nowMillis() + 86_400_000), "2020-01-01T00:00:00Z"] {
            let late = #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"client_id":"other-client-1","rated_at":"\#(ratedAt)"}"#
            let answer = try center.client.postJSON("/api/v1/responses", late)
            #expect(answer.status == 422)
            #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "rated_at_out_of_range")
        }
        let unreadable = #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"client_id":"other-client-2","rated_at":"yesterday"}"#
        #expect((try center.client.postJSON("/api/v1/responses", unreadable).json["error"] as? [String: Any])?["code"] as? String == "invalid_rated_at")
        #expect(try center.store.responseCount() == 1)
    }

    @Test func aCommentIsAttachedToTheStoredRatingOnce() throws {
        let center = try TestCenter()
        let body = #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"channel":"kiosk","client_id":"\#(Self.clientID)"}"#
        #expect(try center.client.postJSON("/api/v1/responses", body).status == 201)
        let path = "/api/v1/responses/\(Self.clientID)/comment"

        let attached = try center.client.postJSON(path, #"{"comment":"  窗口很耐心 "}"#)
        #expect(attached.status == 200)
        #expect(attached.json["comment"] as? String == "窗口很耐心")
        // A retry of the same comment succeeds again; a second, different one does not.
        #expect(try center.client.postJSON(path, #"{"comment":"窗口很耐心"}"#).status == 200)
        let second = try center.client.postJSON(path, #"{"comment":"还有一点"}"#)
        #expect(second.status == 409)
        #expect((second.json["error"] as? [String: Any])?["code"] as? String == "comment_closed")
        #expect(try center.store.response(clientID: Self.clientID)?.comment == "窗口很耐心")

        #expect(try center.client.postJSON("/api/v1/responses/no-such-client/comment", #"{"comment":"好"}"#).status == 404)
        #expect(try center.client.postJSON(path, #"{"comment":"   "}"#).status == 422)
        #expect(try center.client.postJSON(path, #"{"comment":5}"#).status == 422)
    }
}
