import Foundation
import Hashing

/// The client ids the server puts in its forms, signed so that a form post can show it
/// came from a form this server rendered.
///
/// A form's client id makes a double tap or a retry count once. An id the server did not
/// mint (missing, malformed, or forged) cannot be trusted to do that, so such a post is
/// not stored under an id of the server's choosing, which a retry would duplicate: the
/// form comes back with the citizen's answers and a fresh signed id.
///
/// The shape is a lower-case UUID, a dot and 24 hexadecimal digits of HMAC-SHA-256 (96
/// bits), 61 characters in all: still a valid `client_id` for the API.
public struct FormClientIDs: Sendable {
    private let key: HMACKey

    public init(key: HMACKey) {
        self.key = key
    }

    /// A fresh signed id.
    public func mint() -> String {
        let id = UUID().uuidString.lowercased()
        return id + "." + signature(of: id)
    }

    /// Whether `value` is an id this server minted with its current key.
    public func isGenuine(_ value: String) -> Bool {
        guard value.utf8.count == 61, let dot = value.lastIndex(of: "."), value.distance(from: value.startIndex, to: dot) == 36 else {
            return false
        }
        let id = String(value[..<dot])
        let given = Array(value[value.index(after: dot)...].utf8)
        return SHA256.constantTimeEquals(given, Array(signature(of: id).utf8))
    }

    private func signature(of id: String) -> String {
        hex(key.tag(Array("pingjia form client id\n\(id)".utf8)).prefix(12))
    }
}
