import CSodium
import Foundation
import Synchronization

/// A keyed hash (BLAKE2b, libsodium's `crypto_generichash`) for values that must never be
/// kept or logged as they are, such as clients' IP addresses: the same address gives the
/// same short digest for as long as the key lives, and nobody without the key can tell
/// which address it was, not even by hashing every IPv4 address.
///
/// `Sendable`: the key is immutable after `init`.
public struct KeyedHasher: Sendable {
    private let key: [UInt8]

    /// A hasher with a fresh random key: digests are comparable within this process only.
    public init() {
        key = randomBytes(Int(crypto_generichash_KEYBYTES))
    }

    /// The first 8 bytes of the keyed digest of `text`, as 16 hexadecimal digits: enough to
    /// tell clients apart in a log, too short to be worth attacking.
    public func digest(_ text: String) -> String {
        var output = [UInt8](repeating: 0, count: 16)
        let input = Array(text.utf8) + [0]
        _ = input.withUnsafeBufferPointer { message in
            key.withUnsafeBufferPointer { key in
                output.withUnsafeMutableBufferPointer { out in
                    crypto_generichash(out.baseAddress!, out.count, message.baseAddress!, UInt64(message.count - 1), key.baseAddress!, key.count)
                }
            }
        }
        return hex(output.prefix(8))
    }

    /// Whether two secrets (such as bearer tokens) are equal, in a time that does not
    /// depend on where they differ: both are hashed first, so lengths do not leak either.
    public static func secretsEqual(_ lhs: String, _ rhs: String) -> Bool {
        SHA256.constantTimeEquals(SHA256.hash(Array(lhs.utf8)), SHA256.hash(Array(rhs.utf8)))
    }
}

/// A `KeyedHasher` whose key is replaced every UTC day: the digests of one address on two
/// days cannot be linked, so whatever is keyed by them (rate limits) forgets an address
/// within a day, and nothing kept can tell where a client was on another day.
///
/// `Sendable`: the current day's hasher is swapped under a lock.
public final class DailyKeyedHasher: Sendable {
    private let current = Mutex<(day: Int64, hasher: KeyedHasher)>((-1, KeyedHasher()))

    public init() {}

    /// The digest of `text` with today's key; see `KeyedHasher.digest`.
    public func digest(_ text: String, nowSeconds: Double = Date().timeIntervalSince1970) -> String {
        let day = Int64((nowSeconds / 86_400).rounded(.down))
        let hasher = current.withLock { state in
            if state.day != day { state = (day, KeyedHasher()) }
            return state.hasher
        }
        return hasher.digest(text)
    }
}
