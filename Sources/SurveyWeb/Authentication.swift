import Foundation
import Logging
import MicroHTTP
import SurveyStore

/// Bearer-token authentication for the machine-facing API.
///
/// The key travels as `Authorization: Bearer <key>`; the store keeps only its hash and
/// compares in constant time. No key, or an unknown or revoked one, is `401` with a
/// `WWW-Authenticate` challenge; a valid key without the scope the route needs is `403`.
extension WebApplication {
    /// The scope the assessment module's key must carry to read indicators.
    static let indicatorsScope = "indicators:read"

    /// Returns the key, whose departments limit what the request may see.
    ///
    /// Wrong keys are counted per client (a keyed hash of its address); past
    /// `WebConfiguration.authThrottle`'s free failures the client gets `429` with
    /// `Retry-After` for a growing time, even with a right key, and each failure is logged.
    @discardableResult
    func authorize(_ request: Request, scope: String) throws -> APIKeyRecord {
        let language = Language.negotiate(request)
        let client = addressHasher.digest(clientAddress(request))
        if case .refuse(let seconds) = authThrottle.check(client) {
            metrics.authThrottled.increment()
            logger.warning("Refused an API request from a client locked out after wrong keys.", metadata: [
                "client": "\(client)", "retry_after": "\(seconds)", "scope": "\(scope)",
            ])
            var error = HTTPError(status: 429, code: "too_many_attempts", .authThrottled, ["seconds": String(seconds)], in: language)
            error.retryAfterSeconds = seconds
            throw error
        }
        guard let header = request.headers["Authorization"] else {
            throw HTTPError(status: 401, code: "unauthorized", .keyMissing, in: language)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            failedAuthentication(client: client, reason: "malformed_authorization")
            throw HTTPError(status: 401, code: "unauthorized", .keyMalformed, in: language)
        }
        guard let key = try store.authenticate(key: String(parts[1])) else {
            failedAuthentication(client: client, reason: "unknown_or_revoked_key")
            throw HTTPError(status: 401, code: "unauthorized", .keyInvalid, in: language)
        }
        authThrottle.recordSuccess(client)
        guard key.scopes.contains(scope) else {
            throw HTTPError(status: 403, code: "forbidden", .keyLacksScope, ["name": key.name, "scope": scope], in: language)
        }
        return key
    }

    private func failedAuthentication(client: String, reason: String) {
        let record = authThrottle.recordFailure(client)
        metrics.authFailures.increment()
        var metadata: Logger.Metadata = ["client": "\(client)", "reason": "\(reason)", "failures": "\(record.failures)"]
        if let delay = authThrottle.policy.delay(afterFailures: record.failures) {
            metadata["locked_out_seconds"] = "\(Int(delay.rounded(.up)))"
        }
        logger.warning("Refused a wrong API key.", metadata: metadata)
    }
}
