import Foundation
import Hashing
import Synchronization

/// The client ids the server puts in its forms, signed so that a form post can show it
/// came from a form this server rendered.
///
/// A form's client id makes a double tap or a retry count once. An id the server did not
/// mint (missing, malformed, or forged) cannot be trusted to do that, so such a post is
/// not stored under an id of the server's choosing, which a retry would duplicate: the
/// form comes back with the citizen's answers and a fresh signed id.
///
/// The shape is a lower-case UUID, a dot and 24 hexadecimal digits of HMAC-SHA-256 (96
/// bits), 61 characters in all: still a valid `client_id` for the API. Any key in force
/// verifies, so a form opened just before a key rotation still counts.
public struct FormClientIDs: Sendable {
    private let keys: @Sendable () -> SigningKeys

    public init(keys: @escaping @Sendable () -> SigningKeys) {
        self.keys = keys
    }

    /// A fresh signed id.
    public func mint() -> String {
        let id = UUID().uuidString.lowercased()
        return id + "." + Self.signature(of: id, with: keys().current.key)
    }

    /// Whether `value` is an id this server minted with a key still in force.
    public func isGenuine(_ value: String) -> Bool {
        guard value.utf8.count == 61, let dot = value.lastIndex(of: "."), value.distance(from: value.startIndex, to: dot) == 36 else {
            return false
        }
        let id = String(value[..<dot])
        let given = Array(value[value.index(after: dot)...].utf8)
        return keys().inForce.contains { SHA256.constantTimeEquals(given, Array(Self.signature(of: id, with: $0.key).utf8)) }
    }

    private static func signature(of id: String, with key: HMACKey) -> String {
        hex(key.tag(Array("pingjia form client id\n\(id)".utf8)).prefix(12))
    }
}

/// The signed links printed on each window's QR card: `/r/{window}?t={token}`, where the
/// token is a key id, a dot and 32 hexadecimal digits of HMAC-SHA-256 over the window code
/// and the key id. A phone that opens such a link rates that window through its card; a
/// link without a token still works but its ratings are not marked as from the card, and a
/// forged or tampered token is refused.
public struct WindowLinks: Sendable {
    public enum Verdict: Sendable, Equatable {
        case valid(keyID: String)
        /// Not a token this server signed for this window with a key in force.
        case refused
    }

    private let keys: @Sendable () -> SigningKeys

    public init(keys: @escaping @Sendable () -> SigningKeys) {
        self.keys = keys
    }

    /// The token for a window, signed with the current key.
    public func token(forWindow code: String) -> String {
        let entry = keys().current
        return "\(entry.id).\(Self.signature(code, keyID: entry.id, key: entry.key))"
    }

    /// The full link printed in the window's QR code.
    public func url(forWindow code: String, base: String) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        let path = code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? code
        return "\(trimmed)/r/\(path)?t=\(token(forWindow: code))"
    }

    public func verify(_ token: String, forWindow code: String) -> Verdict {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].utf8.count == 32, let key = keys().key(id: parts[0]) else { return .refused }
        let expected = Array(Self.signature(code, keyID: String(parts[0]), key: key).utf8)
        return SHA256.constantTimeEquals(Array(parts[1].utf8), expected) ? .valid(keyID: String(parts[0])) : .refused
    }

    private static func signature(_ code: String, keyID: String, key: HMACKey) -> String {
        hex(key.tag(Array("pingjia window link\n\(code)\n\(keyID)".utf8)).prefix(16))
    }
}
