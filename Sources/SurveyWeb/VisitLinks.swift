import Foundation
import Hashing
import SurveyCore

/// The signed link of one visit, printed on its ticket slip or shown as a QR code:
/// `/r/{window}?v={token}`, where the token is the visit id, the link's expiry (seconds
/// since 1970), a key id and 32 hexadecimal digits of HMAC-SHA-256 over the three. It
/// opens the phone form bound to that visit; the visit takes one rating, so the link
/// serves once.
public struct VisitLinks: Sendable {
    private let keys: @Sendable () -> SigningKeys

    public init(keys: @escaping @Sendable () -> SigningKeys) {
        self.keys = keys
    }

    public func token(visitID: Int64, expiresAtMillis: Int64) -> String {
        let entry = keys().current
        let seconds = expiresAtMillis / 1000
        return "\(visitID).\(seconds).\(entry.id).\(Self.signature(visitID, seconds, keyID: entry.id, key: entry.key))"
    }

    /// The rating link; a path only when no public address is configured.
    public func url(visitID: Int64, window code: String, expiresAtMillis: Int64, base: String?) -> String {
        let trimmed = base.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
        let path = code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? code
        return "\(trimmed)/r/\(path)?v=\(token(visitID: visitID, expiresAtMillis: expiresAtMillis))"
    }

    /// The visit id of a token this server signed with a key in force and that has not
    /// expired at `now`; nil for anything else.
    public func visitID(of token: String, atMillis now: Int64) -> Int64? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, let id = Int64(parts[0]), let seconds = Int64(parts[1]), parts[3].utf8.count == 32,
              let key = keys().key(id: parts[2]) else { return nil }
        let expected = Array(Self.signature(id, seconds, keyID: String(parts[2]), key: key).utf8)
        guard SHA256.constantTimeEquals(Array(parts[3].utf8), expected), now < seconds * 1000 else { return nil }
        return id
    }

    private static func signature(_ id: Int64, _ seconds: Int64, keyID: String, key: HMACKey) -> String {
        hex(key.tag(Array("pingjia visit link\n\(id)\n\(seconds)\n\(keyID)".utf8)).prefix(16))
    }
}
