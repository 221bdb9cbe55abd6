import Foundation
import MicroHTTP
import Synchronization
import SurveyCore
import SurveyStore

/// The staff's feedback review over the JSON API: `GET /api/v1/feedback` (JSON pages or a
/// streamed CSV), `GET /api/v1/feedback/{id}` and `POST /api/v1/feedback/{id}/status`.
///
/// Every read and change goes through the principal's department scope: a response of
/// another department is answered 404, exactly as one that does not exist.
extension WebApplication {
    /// The scope an API key needs to flag a response or restore it.
    static let feedbackWriteScope = "feedback:write"
    /// Rows read from the database per piece of a CSV export.
    static let exportBatch = 1000

    func installFeedbackAPI(on router: Router) {
        router.on("GET", "/api/v1/feedback") { [self] request in
            let principal = try principal(for: request, scope: Self.feedbackReadScope)
            let query = try Self.feedbackQuery(request)
            if Self.wantsCSV(request) {
                return .now(feedbackCSV(query.filter, scope: principal.departments))
            }
            return slowRead(request) { [self] in
                let page = try store.feedback(query.filter, scope: principal.departments, after: query.cursor, limit: query.limit)
                return .json(JSON.object([
                    ("entries", .array(page.entries.map(FeedbackJSON.entry))),
                    ("next_cursor", .optional(page.next?.token)),
                ]).serialized())
            }
        }

        router.on("GET", "/api/v1/feedback/{id}") { [self] request in
            let principal = try principal(for: request, scope: Self.feedbackReadScope)
            let id = try Self.feedbackID(request)
            return slowRead(request) { [self] in
                guard let detail = try store.feedbackDetail(id: id, scope: principal.departments) else {
                    throw Self.feedbackNotFound(id, request)
                }
                return .json(try feedbackJSON(detail, scope: principal.departments).serialized())
            }
        }

        router.on("POST", "/api/v1/feedback/{id}/status") { [self] request in
            let principal = try principal(for: request, scope: Self.feedbackWriteScope)
            let id = try Self.feedbackID(request)
            let (status, reason) = try Self.statusChange(request)
            try Self.checkStatusChange(by: principal, to: status, language: Language.negotiate(request))
            return slowRead(request) { [self] in
                // The scope is checked before anything changes: outside it, the response does not exist.
                guard try store.feedbackDetail(id: id, scope: principal.departments) != nil else {
                    throw Self.feedbackNotFound(id, request)
                }
                let change = try store.setStatus(responseID: id, status: status, reason: reason, by: principal.auditName)
                guard let detail = try store.feedbackDetail(id: id, scope: principal.departments) else {
                    throw Self.feedbackNotFound(id, request)
                }
                return .json(JSON.object([
                    ("changed", .bool(change != nil)),
                    ("feedback", try feedbackJSON(detail, scope: principal.departments)),
                ]).serialized())
            }
        }
    }

    /// A response as its detail shows it: everything stored, its status history, and its
    /// 差评 case with the case's history (null for a response that is not a 差评).
    func feedbackJSON(_ detail: FeedbackDetail, scope: DepartmentScope) throws -> JSON {
        let file = try store.case(responseID: detail.entry.response.id, scope: scope)
        guard case .object(var members) = FeedbackJSON.detail(detail) else { return FeedbackJSON.detail(detail) }
        members.append(("case", file.map { CasePresentation.json($0, today: centerToday()) } ?? .null))
        return .object(members)
    }

    /// The filtered list as CSV, UTF-8 with a byte order mark so Excel reads the Chinese
    /// right. Streamed: each piece is one keyset page of `exportBatch` rows, read when the
    /// previous piece has been sent, so memory stays flat however many rows match.
    func feedbackCSV(_ filter: FeedbackFilter, scope: DepartmentScope) -> Response {
        let export = FeedbackExport(store: store, filter: filter, scope: scope, batch: Self.exportBatch)
        var headers = Headers()
        headers.add("Content-Type", "text/csv; charset=utf-8")
        headers.add("Content-Disposition", "attachment; filename=\"pingjia-feedback.csv\"")
        let logger = self.logger
        return .streamed(BodyStream(next: {
            do {
                return try export.next()
            } catch {
                logger.error("A feedback export failed part-way; the connection is closed without the last chunk.", metadata: [
                    "cause": "\(error)",
                ])
                throw error
            }
        }), headers: headers)
    }

    /// Who may change a response's status: a key with `feedback:write`, an admin, and a
    /// head flagging a response of their departments. Restoring a response (back to `valid`)
    /// is an admin's; reviewers and viewers change no status.
    static func checkStatusChange(by principal: Principal, to status: ResponseStatus, language: Language) throws {
        switch principal.role {
        case nil, .admin?: return
        case .head?:
            guard status != .valid else {
                throw HTTPError(status: 403, code: "forbidden", .feedbackRestoreAdminOnly, in: language)
            }
        case let role?:
            throw HTTPError(status: 403, code: "forbidden", .feedbackFlagForbidden, ["role": role.rawValue], in: language)
        }
    }

    static func feedbackNotFound(_ id: Int64, _ request: Request) -> HTTPError {
        HTTPError(status: 404, code: "feedback_not_found", .feedbackNotFound, ["id": String(id)], in: Language.negotiate(request))
    }

    static func feedbackID(_ request: Request) throws -> Int64 {
        // Anything but a positive number is an id that does not exist.
        guard let text = request.pathParameters["id"], let id = Int64(text), id > 0 else {
            throw feedbackNotFound(0, request)
        }
        return id
    }

    /// `{"status": "misuse|invalid|test|valid", "reason": "..."}`.
    static func statusChange(_ request: Request) throws -> (ResponseStatus, String) {
        let language = Language.negotiate(request)
        guard request.mediaType == "application/json" else {
            throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
        }
        guard case .object(let members)? = JSONInput.parse(request.body) else {
            throw HTTPError(status: 400, code: "malformed_json", .malformedJSON, in: language)
        }
        guard case .string(let text)? = members["status"], let status = ResponseStatus(rawValue: text) else {
            throw HTTPError(status: 422, code: "invalid_status", .feedbackInvalidStatus, in: language)
        }
        guard case .string(let reason)? = members["reason"],
              !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, reason.count <= 500 else {
            throw HTTPError(status: 422, code: "status_reason_required", .feedbackReasonRequired, in: language)
        }
        return (status, reason)
    }
}

/// A CSV export in progress: where the next page starts, and whether the head is sent.
///
/// `Sendable`: its state is behind a mutex; libmicrohttpd asks for pieces one at a time anyway.
final class FeedbackExport: Sendable {
    private struct State {
        var started = false
        var cursor: FeedbackCursor?
        var done = false
    }

    private let store: SurveyStore
    private let filter: FeedbackFilter
    private let scope: DepartmentScope
    private let batch: Int
    private let state = Mutex(State())

    init(store: SurveyStore, filter: FeedbackFilter, scope: DepartmentScope, batch: Int) {
        self.store = store
        self.filter = filter
        self.scope = scope
        self.batch = batch
    }

    static let header = [
        "id", "created_at", "local_day", "department", "window", "service_item", "staff", "channel",
        "attitude", "efficiency", "result", "negative", "status", "comment", "reasons", "provenance", "flag_rule",
    ]

    /// The next piece: the byte order mark and header row first, then one page of rows per
    /// call, nil after the last.
    func next() throws -> [UInt8]? {
        try state.withLock { state -> [UInt8]? in
            guard !state.done else { return nil }
            var text = ""
            if !state.started {
                state.started = true
                text = "\u{FEFF}" + IndicatorPresentation.csvLines([Self.header])
            }
            let page = try store.feedback(filter, scope: scope, after: state.cursor, limit: batch)
            text += IndicatorPresentation.csvLines(page.entries.map(Self.row))
            state.cursor = page.next
            state.done = page.next == nil
            return Array(text.utf8)
        }
    }

    static func row(_ entry: FeedbackEntry) -> [String] {
        let response = entry.response
        return [
            String(response.id), response.createdAtISO8601, entry.localDay.description, response.departmentCode,
            response.windowCode, response.serviceItemCode ?? "", response.staffCode ?? "", response.channel.rawValue,
            String(response.ratings.attitude.rawValue), String(response.ratings.efficiency.rawValue),
            String(response.ratings.result.rawValue), response.isNegative ? "1" : "0", entry.status.rawValue,
            response.comment ?? "", response.reasons.joined(separator: "；"),
            response.provenance.rawValue, response.flagRule?.rawValue ?? "",
        ]
    }
}

/// The JSON shapes of the review, as `docs/openapi.json` documents them.
enum FeedbackJSON {
    static func entry(_ entry: FeedbackEntry) -> JSON {
        let response = entry.response
        return .object([
            ("id", .int(response.id)),
            ("created_at", .string(response.createdAtISO8601)),
            ("local_day", .string(entry.localDay.description)),
            ("department", .string(response.departmentCode)),
            ("window", .string(response.windowCode)),
            ("service_item", .optional(response.serviceItemCode)),
            ("staff", .optional(response.staffCode)),
            ("channel", .string(response.channel.rawValue)),
        ] + WebApplication.answers(response) + [
            ("status", .string(entry.status.rawValue)),
            ("provenance", .string(response.provenance.rawValue)),
            ("flag_rule", .optional(response.flagRule?.rawValue)),
        ])
    }

    static func detail(_ detail: FeedbackDetail) -> JSON {
        guard case .object(var members) = entry(detail.entry) else { return entry(detail.entry) }
        members += [
            ("client_id", .string(detail.entry.response.clientID)),
            ("department_name", .string(detail.departmentName)),
            ("window_name", .string(detail.windowName)),
            ("service_item_name", .optional(detail.serviceItemName)),
            ("staff_name", .optional(detail.staffName)),
            ("status_changes", .array(detail.statusChanges.map { change in
                .object([
                    ("from", .string(change.from.rawValue)),
                    ("to", .string(change.to.rawValue)),
                    ("reason", .string(change.reason)),
                    ("changed_by", .optional(change.changedBy)),
                    ("changed_at", .string(UTCTimestamp.string(millis: change.changedAtMillis))),
                ])
            })),
        ]
        return .object(members)
    }
}
