import CSodium

/// HMAC-SHA-256 (RFC 2104) from libsodium, for tokens the server mints and later checks:
/// it proves a value came from this server without keeping a list of what was issued.
public struct HMACKey: Sendable {
    /// The key's 32 bytes; kept out of descriptions and logs.
    public let bytes: [UInt8]

    /// A key of exactly 32 bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Int(crypto_auth_hmacsha256_KEYBYTES) else { return nil }
        self.bytes = bytes
    }

    /// A fresh key from the system's secure random source.
    public static func random() -> HMACKey {
        HMACKey(bytes: randomBytes(Int(crypto_auth_hmacsha256_KEYBYTES)))!
    }

    /// The 32-byte tag of `message` under this key.
    public func tag(_ message: some Collection<UInt8>) -> [UInt8] {
        precondition(Sodium.initialised, "libsodium could not be initialised")
        var tag = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        let input = Array(message) + [0]
        _ = input.withUnsafeBufferPointer { input in
            bytes.withUnsafeBufferPointer { key in
                tag.withUnsafeMutableBufferPointer { output in
                    crypto_auth_hmacsha256(output.baseAddress!, input.baseAddress!, UInt64(input.count - 1), key.baseAddress!)
                }
            }
        }
        return tag
    }
}

/// Bytes from the system's secure random source (libsodium's `randombytes_buf`).
public func randomBytes(_ count: Int) -> [UInt8] {
    precondition(Sodium.initialised, "libsodium could not be initialised")
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
    return bytes
}
