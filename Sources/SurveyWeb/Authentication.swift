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

    func authorize(_ request: Request, scope: String) throws {
        let language = Language.negotiate(request)
        guard let header = request.headers["Authorization"] else {
            throw HTTPError(status: 401, code: "unauthorized", .keyMissing, in: language)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw HTTPError(status: 401, code: "unauthorized", .keyMalformed, in: language)
        }
        guard let key = try store.authenticate(key: String(parts[1])) else {
            throw HTTPError(status: 401, code: "unauthorized", .keyInvalid, in: language)
        }
        guard key.scopes.contains(scope) else {
            throw HTTPError(status: 403, code: "forbidden", .keyLacksScope, ["name": key.name, "scope": scope], in: language)
        }
    }
}
