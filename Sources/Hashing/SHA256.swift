import CSodium

/// SHA-256 and a constant-time comparison, from libsodium, for API-key hashes and the
/// content hashes of publications.
///
/// libsodium is Debian's well-kept crypto library; this module is the only one that
/// imports it. The tests check the binding against the FIPS 180-2 examples.
public enum SHA256 {
    public static func hash(_ message: some Collection<UInt8>) -> [UInt8] {
        precondition(Sodium.initialised, "libsodium could not be initialised")
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        // A non-empty buffer, so its base address is never nil even for an empty message.
        let bytes = Array(message) + [0]
        _ = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                crypto_hash_sha256(output.baseAddress!, input.baseAddress!, UInt64(input.count - 1))
            }
        }
        return digest
    }

    /// The digest as 64 lower-case hexadecimal digits.
    public static func hexHash(_ message: some Collection<UInt8>) -> String {
        hex(hash(message))
    }

    /// Whether two digests are equal, taking the same time wherever they differ, so a
    /// caller cannot learn a stored hash byte by byte from response times.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        precondition(Sodium.initialised, "libsodium could not be initialised")
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in sodium_memcmp(left.baseAddress, right.baseAddress, lhs.count) == 0 }
        }
    }
}

/// Lower-case hexadecimal digits of bytes, two per byte.
public func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }.joined()
}

enum Sodium {
    /// libsodium must be initialised once before use; `sodium_init` is thread-safe and
    /// idempotent, and a static let runs it exactly once.
    static let initialised: Bool = sodium_init() >= 0
}
