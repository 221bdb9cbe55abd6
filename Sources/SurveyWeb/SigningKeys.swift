import Synchronization
import Hashing

/// The server's signing keys, newest last, as kept in its secret file: what signs the form
/// client ids and the window links printed on QR cards.
///
/// Keys are rotated, not replaced: `pingjia qr rotate` adds a key and signing moves to it,
/// while links signed with an older key keep working until that key is retired, so cards
/// already on the counters stay valid until new ones are printed.
///
/// The file has one line per key: an id, a space, 64 hexadecimal digits, and ` retired`
/// for a key that no longer verifies anything.
public struct SigningKeys: Sendable {
    public struct Entry: Sendable {
        public var id: String
        let key: HMACKey
        public var retired: Bool
    }

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public private(set) var entries: [Entry]

    /// The key that signs from now on: the newest one not retired.
    public var current: Entry { entries.last { !$0.retired }! }

    /// Reads the file's text; refuses a damaged file, one without a key in force, and
    /// repeated ids.
    public init(parsing text: String) throws {
        var entries: [Entry] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.allSatisfy(\.isWhitespace) {
            let fields = line.split(separator: " ")
            guard (2...3).contains(fields.count), Self.isKeyID(fields[0]),
                  let bytes = Self.decodeHex(fields[1]), let key = HMACKey(bytes: bytes),
                  fields.count == 2 || fields[2] == "retired" else {
                throw Problem(description: "line \(number + 1) is not “ID HEX” or “ID HEX retired” with 64 hexadecimal digits")
            }
            guard !entries.contains(where: { $0.id == fields[0] }) else {
                throw Problem(description: "the key id \(fields[0]) appears twice")
            }
            entries.append(Entry(id: String(fields[0]), key: key, retired: fields.count == 3))
        }
        guard entries.contains(where: { !$0.retired }) else {
            throw Problem(description: "it holds no key in force")
        }
        self.entries = entries
    }

    /// A single fresh key, for tests and for a secret file being created.
    public static func fresh(id: String = "k1") -> SigningKeys {
        try! SigningKeys(parsing: "\(id) \(hex(randomBytes(32)))\n")
    }

    /// The key with this id if it is in force; a retired or unknown id verifies nothing.
    func key(id: Substring) -> HMACKey? {
        entries.first { $0.id == id && !$0.retired }?.key
    }

    /// Keys in force, newest first.
    var inForce: [Entry] { entries.reversed().filter { !$0.retired } }

    /// The file's text with a new key added after the others, which then signs.
    public func rotated() -> (text: String, id: String) {
        let numbers = entries.compactMap { Int($0.id.dropFirst()) }
        let id = "k\((numbers.max() ?? 0) + 1)"
        return (text + "\(id) \(hex(randomBytes(32)))\n", id)
    }

    /// The file's text with `id` retired; refused for an unknown id and for the last key in force.
    public func retiring(_ id: String) throws -> String {
        guard let index = entries.firstIndex(where: { $0.id == id }) else {
            throw Problem(description: "no key has the id \(id)")
        }
        var copy = self
        copy.entries[index].retired = true
        guard copy.entries.contains(where: { !$0.retired }) else {
            throw Problem(description: "\(id) is the only key in force; run `pingjia qr rotate` first")
        }
        return copy.text
    }

    /// The file's text.
    public var text: String {
        entries.map { "\($0.id) \(hex($0.key.bytes))\($0.retired ? " retired" : "")\n" }.joined()
    }

    static func isKeyID(_ id: Substring) -> Bool {
        (2...16).contains(id.count) && id.first == "k" && id.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func decodeHex(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

/// The signing keys in force, swapped whole when the secret file changes, so a request sees
/// either the old set or the new one.
public final class SigningKeyRing: Sendable {
    private let keys: Mutex<SigningKeys>

    public init(_ keys: SigningKeys) {
        self.keys = Mutex(keys)
    }

    public var keysInForce: SigningKeys { keys.withLock { $0 } }

    public func replace(with keys: SigningKeys) {
        self.keys.withLock { $0 = keys }
    }
}
