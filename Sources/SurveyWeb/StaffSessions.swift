import Foundation
import Hashing
import Logging
import MicroHTTP
import SurveyCore
import SurveyStore

/// Wrong passwords counted twice: per account, so one account cannot be guessed at from
/// many addresses, and per client address, so one client cannot try many accounts.
final class LoginThrottles: Sendable {
    let accounts: FailureThrottle<String>
    let clients: FailureThrottle<String>

    init(policy: ThrottlePolicy) {
        accounts = FailureThrottle(policy: policy)
        clients = FailureThrottle(policy: policy)
    }

    /// The longer wait of the two, or nil when both may try.
    func refusal(account: String, client: String) -> Int? {
        let waits = [accounts.check(account), clients.check(client)].compactMap { decision -> Int? in
            if case .refuse(let seconds) = decision { return seconds }
            return nil
        }
        return waits.max()
    }
}

/// A session found for a request, with the hash that names it in the store.
struct SignedIn: Sendable {
    var session: StaffSession
    var tokenHash: [UInt8]
}

/// Staff sessions: the cookie carries 256 random bits; the store keeps only their SHA-256,
/// the account, a CSRF token, and when the session started, was last used and must end.
extension WebApplication {
    static let sessionCookieName = "pingjia_session"
    static let csrfHeader = "X-CSRF-Token"
    static let csrfField = "csrf_token"

    // MARK: Signing in

    /// Checks the password of `username` and starts a new session: the token is always new,
    /// whatever cookie the request carried, so a token planted before sign-in is worthless.
    /// Refuses with 429 (and `Retry-After`) while the account or the client is locked out,
    /// even when the password is right; an unknown user and a wrong password get the same
    /// 401 after the same work (a decoy hash is verified for unknown users).
    func signIn(username: String, password: String, request: Request, language: Language) throws -> (session: StaffSession, token: String) {
        try requireSameOrigin(request, language: language)
        let account = username.trimmingCharacters(in: .whitespaces).lowercased()
        let client = addressHasher.digest(clientAddress(request))
        if let seconds = loginThrottles.refusal(account: account, client: client) {
            metrics.authThrottled.increment()
            logger.warning("Refused a sign-in while locked out after wrong passwords.", metadata: [
                "client": "\(client)", "retry_after": "\(seconds)",
            ])
            var error = HTTPError(status: 429, code: "too_many_attempts", .staffLoginThrottled, ["seconds": String(seconds)], in: language)
            error.retryAfterSeconds = seconds
            throw error
        }
        let credentials = try store.staffCredentials(named: account)
        let matches = PasswordHash.verify(password, against: credentials?.passwordHash ?? PasswordHash.decoy)
        guard let credentials, matches, !credentials.user.disabled else {
            let record = loginThrottles.accounts.recordFailure(account)
            loginThrottles.clients.recordFailure(client)
            metrics.authFailures.increment()
            logger.warning("Refused a sign-in with a wrong user name or password.", metadata: [
                "client": "\(client)", "failures": "\(record.failures)",
            ])
            throw HTTPError(status: 401, code: "login_failed", .staffLoginFailed, in: language)
        }
        loginThrottles.accounts.recordSuccess(account)
        let tokenBytes = randomBytes(32)
        let token = hex(tokenBytes)
        let now = UTCTimestamp.nowMillis()
        try store.endExpiredSessions(atMillis: now, idleSinceMillis: now - Int64(configuration.staffSessionIdleSeconds) * 1000)
        try store.startSession(
            tokenHash: SHA256.hash(Array(token.utf8)), csrfToken: hex(randomBytes(32)), user: credentials.user,
            expiresAtMillis: now + Int64(configuration.staffSessionMaxSeconds) * 1000, atMillis: now
        )
        guard let session = try store.session(forTokenHash: SHA256.hash(Array(token.utf8))) else {
            throw HTTPError(status: 500, code: "internal_error", .internalError, in: language)
        }
        logger.info("Signed in.", metadata: ["user": "\(credentials.user.username)"])
        return (session, token)
    }

    /// A sign-in must come from a page of this site. A browser's `Sec-Fetch-Site` decides
    /// when it is sent (`same-origin`, or `none` for a typed address); without it, `Origin`
    /// must name the host the request was sent to. The pages' `Referrer-Policy: no-referrer`
    /// makes browsers send `Origin: null` on form posts, so `Origin` alone cannot be relied on,
    /// and an opaque `null` without `Sec-Fetch-Site` is refused. Programs that send neither
    /// header (the JSON API's other clients) are let through.
    func requireSameOrigin(_ request: Request, language: Language) throws {
        guard !Self.isCrossSite(request, opaqueOriginAllowed: false) else {
            throw HTTPError(status: 403, code: "cross_site", .staffCrossSite, in: language)
        }
    }

    // MARK: The session of a request

    /// The session the request's cookie names, if it is still in force; a session past its
    /// idle or absolute limit is removed. Using a session restarts its idle time, unless
    /// `countingAsUse` is false (a page's own background requests: an unattended dashboard
    /// must not keep its session alive).
    func signedIn(_ request: Request, countingAsUse: Bool = true) throws -> SignedIn? {
        guard let token = Self.cookie(Self.sessionCookieName, in: request), token.utf8.count == 64 else { return nil }
        let tokenHash = SHA256.hash(Array(token.utf8))
        guard let session = try store.session(forTokenHash: tokenHash) else { return nil }
        let now = UTCTimestamp.nowMillis()
        let idleLimit = session.lastSeenAtMillis + Int64(configuration.staffSessionIdleSeconds) * 1000
        guard now < session.expiresAtMillis, now < idleLimit else {
            try store.endSession(tokenHash: tokenHash)
            return nil
        }
        // One write per request would cost a commit each; a tenth of the idle time (at most a
        // minute) of slack in when a session counts as idle costs nothing that matters.
        let idleMillis = Int64(configuration.staffSessionIdleSeconds) * 1000
        if countingAsUse, now - session.lastSeenAtMillis >= min(60_000, idleMillis / 10) {
            try store.touch(sessionTokenHash: tokenHash, atMillis: now)
        }
        return SignedIn(session: session, tokenHash: tokenHash)
    }

    /// Throws 403 unless the request carries the session's CSRF token, in the
    /// `X-CSRF-Token` header or (for forms) the `csrf_token` field. Compared in constant time.
    func requireCSRF(_ signedIn: SignedIn, _ request: Request, language: Language) throws {
        var sent = request.headers[Self.csrfHeader]
        if sent == nil, request.mediaType == "application/x-www-form-urlencoded" {
            sent = FormDecoding.fields(request.body)?.first { $0.name == Self.csrfField }?.value
        }
        guard let sent, KeyedHasher.secretsEqual(sent, signedIn.session.csrfToken) else {
            logger.warning("Refused a change without a valid CSRF token.", metadata: ["user": "\(signedIn.session.user.username)"])
            throw HTTPError(status: 403, code: "csrf_invalid", .staffCSRFInvalid, in: language)
        }
    }

    /// Ends the session (a sign-out), audited.
    func signOut(_ signedIn: SignedIn) throws {
        try store.endSession(tokenHash: signedIn.tokenHash, actor: signedIn.session.user.username)
    }

    // MARK: Cookies

    /// The `Set-Cookie` value for a session token, or for clearing it when `token` is nil.
    /// `Secure` when the request reached the nginx site over TLS: only a trusted proxy is
    /// believed about `X-Forwarded-Proto`.
    func sessionCookie(_ token: String?, for request: Request) -> String {
        var parts = ["\(Self.sessionCookieName)=\(token ?? "")", "Path=/", "HttpOnly", "SameSite=Strict"]
        if token == nil { parts.append("Max-Age=0") }
        if arrivedOverTLS(request) { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// The value of the cookie `name`, from every `Cookie` header of the request.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers where header.name.lowercased() == "cookie" {
            for pair in header.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// The user as the session API and pages show it.
    static func json(_ user: StaffUser) -> JSON {
        .object([
            ("username", .string(user.username)),
            ("role", .string(user.role.rawValue)),
            ("departments", .array(user.departmentCodes.map(JSON.string))),
            ("all_departments", .bool(user.role.seesEveryDepartment)),
        ])
    }
}
