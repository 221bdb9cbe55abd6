import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore
import Synchronization

/// `GET /staff/events`: new 差评 of the signed-in person's departments, live.
///
/// - With `Accept: text/event-stream` (what `EventSource` sends) and no `since`, a stream of
///   server-sent events: one `negative` event per new 差评, its id the response's id. It is
///   served on libmicrohttpd's own threads without holding one: between events the
///   connection is suspended (`StreamWaker`), and the `ResponseEventHub` resumes it when the
///   writer has committed a 差评 it wants, or for a heartbeat. A stream ends after
///   `eventStreamSeconds`, when the session ended, or when it fell behind; the browser then
///   reconnects with `Last-Event-ID` and the store sends what it missed. `from=ID` asks for
///   the 差评 after that response first (the page's own starting point).
/// - Otherwise (or with `since`), the polling fallback as JSON: the 差评 stored after
///   response `since`, and the id to ask from next time.
extension WebApplication {
    /// The most 差评 one poll or one reconnection sends.
    static let eventCatchUp = 50

    func installStaffEvents(on router: Router) {
        router.get("/staff/events") { [self] request in
            // Its refusals are JSON, with `Retry-After` when it applies: the script reads them.
            try APIError.refusingAsJSON { try staffEvents(request) }
        }
    }

    private func staffEvents(_ request: Request) throws -> Response {
        let language = Language.negotiate(request)
        // The page asks by itself, every few minutes or seconds: not a sign that someone is there.
        guard let signedIn = try signedIn(request, countingAsUse: false) else {
            throw HTTPError(status: 401, code: "unauthorized", .staffSignInRequired, in: language)
        }
        let scope = signedIn.session.user.departmentScope
        let since = try request.query("since").map { text in
            guard let value = Int64(text), value >= 0 else {
                throw HTTPError(status: 400, code: "invalid_since", .staffEventsInvalidSince, in: language)
            }
            return value
        }
        let accept = request.headers["Accept"]?.lowercased() ?? ""
        guard since == nil, accept.contains("text/event-stream") else {
            return try negativesSince(since, scope: scope)
        }
        // A reconnection says where it was (`Last-Event-ID`); a page's first stream says
        // which response the page was rendered with (`from`), so nothing in between is lost.
        let lastEventID = request.headers["Last-Event-ID"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            ?? request.query("from").flatMap { Int64($0) }.map { max(0, $0) }
        return try eventStream(scope: scope, after: lastEventID, tokenHash: signedIn.tokenHash, language: language)
    }

    /// The polling answer: `{"events": [...], "last_id": N}`. Without `since`, no events and
    /// the id to start from.
    func negativesSince(_ since: Int64?, scope: DepartmentScope) throws -> Response {
        // Read first: whatever is stored later has a larger id and comes in the next poll.
        let latest = try store.latestResponseID()
        guard let since else {
            return .json(JSON.object([("events", .array([])), ("last_id", .int(latest))]).serialized())
        }
        let entries = try store.negativeResponses(after: since, scope: scope, limit: Self.eventCatchUp)
        let lastID = entries.count == Self.eventCatchUp ? entries.last!.response.id : max(since, latest, entries.last?.response.id ?? 0)
        return .json(JSON.object([
            ("events", .array(entries.map { eventJSON($0.response) })),
            ("last_id", .int(lastID)),
        ]).serialized())
    }

    /// What the dashboard shows of a new 差评: the same words as its server-rendered rows.
    func eventJSON(_ response: StoredResponse) -> JSON {
        let department = directory.departments.first { $0.code == response.departmentCode }
        let window = directory.window(code: response.windowCode)
        return .object([
            ("id", .int(response.id)),
            ("url", .string("/staff/feedback/\(response.id)")),
            ("local_time", .string(StaffFormat.localTime(response.createdAtMillis, in: configuration.timeZone))),
            ("department", .string(department?.name ?? response.departmentCode)),
            ("window", .string(window?.name ?? response.windowCode)),
            ("levels", .string(StaffFormat.levels(response.ratings))),
            ("comment", .optional(response.comment)),
        ])
    }

    private func eventStream(scope: DepartmentScope, after lastEventID: Int64?, tokenHash: [UInt8], language: Language) throws -> Response {
        var busy = HTTPError(status: 503, code: "too_many_streams", .staffEventsBusy, in: language)
        busy.retryAfterSeconds = 30
        return try eventStream(EventStreamPlan(
            hub: events,
            accepts: { $0.isNegative && scope.includes($0.departmentCode) },
            start: { [store] in
                let backlog = try lastEventID.map { try store.negativeResponses(after: $0, scope: scope, limit: Self.eventCatchUp) } ?? []
                return .init(
                    position: try lastEventID ?? store.latestResponseID(), backlog: backlog.map(\.response),
                    catchingUp: backlog.count == Self.eventCatchUp
                )
            },
            format: { [self] in eventText($0) },
            stillAllowed: { [self] in stillSignedIn(tokenHash) },
            lifetimeSeconds: configuration.eventStreamSeconds, busy: busy,
            open: metrics.eventStreamsOpen, refused: metrics.eventStreamsRefused
        ))
    }

    /// One server-sent event; the JSON is on one line, so `data:` needs no splitting.
    func eventText(_ response: StoredResponse) -> String {
        "id: \(response.id)\nevent: negative\ndata: " + String(decoding: eventJSON(response).serialized(), as: UTF8.self) + "\n\n"
    }

    /// Whether the session is still in force, without counting this as its use: a
    /// dashboard left open does not keep its session alive.
    func stillSignedIn(_ tokenHash: [UInt8]) -> Bool {
        guard let session = try? store.session(forTokenHash: tokenHash) else { return false }
        let now = UTCTimestamp.nowMillis()
        return now < session.expiresAtMillis
            && now < session.lastSeenAtMillis + Int64(configuration.staffSessionIdleSeconds) * 1000
    }
}
