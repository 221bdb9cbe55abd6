import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// The session API (`/api/v1/session`), the audit API, and the staff pages' sign-in,
/// sign-out, home and audit log.
extension WebApplication {
    /// The scope an API key needs to read staff feedback.
    public static let feedbackReadScope = "feedback:read"
    /// The scope an API key needs to act on 差评 cases.
    public static let casesWriteScope = "cases:write"
    /// The audit log's scope; only administrators' sessions read it.
    static let auditReadScope = "audit:read"
    /// The most audit entries one request returns.
    static let maxAuditLimit = 1000

    /// Who is asking, for a staff route: a signed-in person (their role, and their own
    /// departments unless they are an admin or a viewer) or an API key carrying `scope`
    /// (the departments the key is limited to, or every one). A change (any method but GET
    /// and HEAD) made with a session must carry the session's CSRF token; a viewer may not
    /// use a `…:write` scope. No session and no key: 401. Every staff route, page or JSON,
    /// asks here.
    public func principal(for request: Request, scope: String) throws -> Principal {
        let language = Language.negotiate(request)
        if let signedIn = try signedIn(request) {
            if request.method != "GET" && request.method != "HEAD" {
                try requireCSRF(signedIn, request, language: language)
            }
            let user = signedIn.session.user
            if scope.hasSuffix(":write") && !user.role.mayChange {
                throw HTTPError(status: 403, code: "forbidden", .staffRoleForbidden, ["role": user.role.rawValue], in: language)
            }
            return Principal(kind: .staff(username: user.username, role: user.role), departments: user.departmentScope)
        }
        if request.headers.contains("Authorization") {
            let key = try authorize(request, scope: scope)
            return Principal(kind: .apiKey(name: key.name, scopes: key.scopes), departments: key.departmentScope)
        }
        let phrase: Phrase = Self.cookie(Self.sessionCookieName, in: request) == nil ? .staffAuthMissing : .staffSignInRequired
        throw HTTPError(status: 401, code: "unauthorized", phrase, in: language)
    }

    func installStaffSessions(on router: Router) {
        router.post("/api/v1/session") { [self] request in
            let language = Language.negotiate(request)
            guard request.mediaType == "application/json" else {
                throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
            }
            guard case .object(let fields)? = JSONInput.parse(request.body),
                  case .string(let username)? = fields["username"], case .string(let password)? = fields["password"] else {
                throw HTTPError(status: 400, code: "malformed_json", .staffLoginMalformed, in: language)
            }
            let (session, token) = try startSession(username: username, password: password, request: request, language: language)
            var response = Response.json(Self.sessionJSON(session).serialized())
            response.headers.add("Set-Cookie", sessionCookie(token, for: request))
            return response
        }
        router.get("/api/v1/session") { [self] request in
            guard let signedIn = try signedIn(request) else {
                throw HTTPError(status: 401, code: "unauthorized", .staffSignInRequired, in: Language.negotiate(request))
            }
            return .json(Self.sessionJSON(signedIn.session).serialized())
        }
        router.on("DELETE", "/api/v1/session") { [self] request in
            let language = Language.negotiate(request)
            guard let signedIn = try signedIn(request) else {
                throw HTTPError(status: 401, code: "unauthorized", .staffSignInRequired, in: language)
            }
            try requireCSRF(signedIn, request, language: language)
            try signOut(signedIn)
            var response = Response(status: 204)
            response.headers.add("Set-Cookie", sessionCookie(nil, for: request))
            return .now(response)
        }
        router.get("/api/v1/audit") { [self] request in
            let principal = try principal(for: request, scope: Self.auditReadScope)
            let language = Language.negotiate(request)
            guard principal.role == .admin else { throw HTTPError(status: 403, code: "forbidden", .staffAdminOnly, in: language) }
            let limitError = HTTPError(status: 400, code: "invalid_limit", .staffInvalidLimit, ["max": String(Self.maxAuditLimit)], in: language)
            let limit = try request.query("limit").map { text in
                guard let value = Int(text), (1...Self.maxAuditLimit).contains(value) else { throw limitError }
                return value
            } ?? 100
            let before = try request.query("before").map { text in
                guard let value = Int64(text), value > 0 else { throw limitError }
                return value
            }
            let entries = try store.auditEntries(limit: limit, before: before)
            let next: JSON = entries.count == limit ? entries.last.map { .int($0.id) } ?? .null : .null
            return .json(JSON.object([("entries", .array(entries.map(Self.json))), ("next_before", next)]).serialized())
        }
        installStaffPages(on: router)
    }

    private func installStaffPages(on router: Router) {
        router.get("/staff/login") { [self] request in
            if try signedIn(request) != nil { return .seeOther("/staff") }
            return try staffPages.login(language: Language.negotiate(request))
        }
        router.post("/staff/login") { [self] request in
            let fields = FormDecoding.fields(request.body) ?? []
            let language = Language.negotiate(request, formValue: fields.first { $0.name == "lang" }?.value)
            let username = fields.first { $0.name == "username" }?.value ?? ""
            let password = fields.first { $0.name == "password" }?.value ?? ""
            do {
                let (_, token) = try startSession(username: username, password: password, request: request, language: language)
                var response = Response.seeOther("/staff")
                response.headers.add("Set-Cookie", sessionCookie(token, for: request))
                return response
            } catch let error as HTTPError where error.status < 500 {
                return try staffPages.login(language: language, username: username, error: error)
            }
        }
        router.post("/staff/logout") { [self] request in
            let language = Language.negotiate(request)
            guard let signedIn = try signedIn(request) else { return .seeOther("/staff/login") }
            try requireCSRF(signedIn, request, language: language)
            try signOut(signedIn)
            var response = Response.seeOther("/staff/login")
            response.headers.add("Set-Cookie", sessionCookie(nil, for: request))
            return response
        }
        router.get("/staff/audit") { [self] request in
            let language = Language.negotiate(request)
            guard let signedIn = try signedIn(request) else { return .seeOther("/staff/login") }
            guard signedIn.session.user.role == .admin else {
                throw HTTPError(status: 403, code: "forbidden", .staffAdminOnly, in: language)
            }
            return try staffPages.audit(try store.auditEntries(limit: 200), session: signedIn.session, directory: directory, language: language)
        }
    }

    /// Signs in, first ending the session the request's cookie may name: the new session
    /// never inherits an old token.
    private func startSession(username: String, password: String, request: Request, language: Language) throws -> (StaffSession, String) {
        if let previous = try signedIn(request) { try store.endSession(tokenHash: previous.tokenHash) }
        return try signIn(username: username, password: password, request: request, language: language)
    }

    static func sessionJSON(_ session: StaffSession) -> JSON {
        .object([
            ("user", json(session.user)),
            ("csrf_token", .string(session.csrfToken)),
            ("expires_at", .string(UTCTimestamp.string(millis: session.expiresAtMillis))),
        ])
    }

    static func json(_ entry: AuditEntry) -> JSON {
        .object([
            ("id", .int(entry.id)),
            ("at", .string(UTCTimestamp.string(millis: entry.atMillis))),
            ("actor", .string(entry.actor)),
            ("action", .string(entry.action)),
            ("subject_type", .string(entry.subjectType)),
            ("subject_id", .optional(entry.subjectID)),
            ("before", .optional(entry.beforeJSON)),
            ("after", .optional(entry.afterJSON)),
        ])
    }
}
