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
        guard let header = request.headers["Authorization"] else {
            throw Self.unauthorized("Send an API key as “Authorization: Bearer <key>”. 请在请求头中提供 API 密钥。")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Self.unauthorized("The Authorization header must be “Bearer <key>”. 授权头格式应为 Bearer <密钥>。")
        }
        guard let key = try store.authenticate(key: String(parts[1])) else {
            throw Self.unauthorized("This API key is not valid or has been revoked. API 密钥无效或已被吊销。")
        }
        guard key.scopes.contains(scope) else {
            throw HTTPError(
                status: 403, code: "forbidden",
                message: "The API key “\(key.name)” lacks the scope \(scope). 该密钥没有 \(scope) 权限。"
            )
        }
    }

    static func unauthorized(_ message: String) -> HTTPError {
        HTTPError(status: 401, code: "unauthorized", message: message)
    }
}
