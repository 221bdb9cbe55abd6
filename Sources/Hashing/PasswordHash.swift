import CSodium

/// Password hashing with argon2id (libsodium's `crypto_pwhash_str`), for staff accounts.
///
/// The stored string carries its own algorithm, parameters and salt
/// (`$argon2id$v=19$m=65536,t=2,p=1$…`), so stronger limits later still verify old hashes.
/// Limits are libsodium's "interactive" ones (64 MiB, 2 passes): a sign-in costs tens of
/// milliseconds here, and an offline guess costs the same.
public enum PasswordHash {
    /// The hash of `password` with a fresh random salt, in libsodium's string format.
    public static func hash(_ password: String) -> String {
        precondition(Sodium.initialised, "libsodium could not be initialised")
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        // A non-empty buffer, so its base address is never nil even for an empty password.
        let bytes = Array(password.utf8).map { CChar(bitPattern: $0) } + [0]
        let status = bytes.withUnsafeBufferPointer { input in
            crypto_pwhash_str_alg(
                &output, input.baseAddress!, UInt64(input.count - 1),
                UInt64(crypto_pwhash_opslimit_interactive()), crypto_pwhash_memlimit_interactive(),
                crypto_pwhash_ALG_ARGON2ID13
            )
        }
        // Fails only when memory cannot be had: nothing sensible can continue then.
        precondition(status == 0, "argon2id could not allocate its memory")
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` is the one `stored` was made from. A malformed `stored` is false.
    public static func verify(_ password: String, against stored: String) -> Bool {
        precondition(Sodium.initialised, "libsodium could not be initialised")
        let bytes = Array(password.utf8).map { CChar(bitPattern: $0) } + [0]
        return bytes.withUnsafeBufferPointer { input in
            crypto_pwhash_str_verify(stored, input.baseAddress!, UInt64(input.count - 1)) == 0
        }
    }

    /// A hash no password is known for, to verify against when a user does not exist, so an
    /// unknown name takes as long to refuse as a wrong password.
    public static let decoy: String = hash(hex(randomBytes(32)))
}
