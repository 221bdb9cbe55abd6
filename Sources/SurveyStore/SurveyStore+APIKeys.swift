import Foundation
import GRDB
import Hashing
import SurveyCore

/// An API key as stored: everything but the key itself, which is shown once, when it is
/// created, and kept only as a SHA-256 hash.
public struct APIKeyRecord: Sendable, Equatable {
    /// The row id.
    public var id: Int64
    /// A unique name saying who holds the key, e.g. `assessment-system`.
    public var name: String
    /// The key's first characters (`pj_` and 8 more), not secret: shown in lists so an
    /// operator can tell keys apart, and used to find the key's row.
    public var prefix: String
    /// What the key may do; the web layer gives scopes their meaning.
    public var scopes: Set<String>
    /// When the key was created, in milliseconds since 1970-01-01T00:00:00Z.
    public var createdAtMillis: Int64
    /// When the key was revoked, or nil while it is in force.
    public var revokedAtMillis: Int64?
    /// The departments the key is limited to, by code; nil for every department.
    public var departments: Set<String>? = nil

    /// What the key may see, as the staff API filters it.
    public var departmentScope: DepartmentScope { departments.map { .only($0) } ?? .all }

    /// Whether the key has been revoked.
    public var isRevoked: Bool { revokedAtMillis != nil }

    /// Whether the key is in force and carries `scope`.
    public func allows(_ scope: String) -> Bool { !isRevoked && scopes.contains(scope) }
}

/// Why an API key operation was refused, with a stable `code` and messages for people.
public enum APIKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name is empty, or longer than 100 characters.
    case invalidName(String)
    /// Another key, in force or revoked, has this name.
    case duplicateName(String)
    /// No scopes were given: such a key could do nothing.
    case noScopes
    /// A scope that is not 1–64 of `a-z 0-9 _ . : -`, starting with a letter.
    case invalidScope(String)
    /// No key has this name.
    case notFound(name: String)
    /// A department code the key was to be limited to is not in the directory.
    case unknownDepartment(String)

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .invalidName: "api_key_invalid_name"
        case .duplicateName: "api_key_duplicate_name"
        case .noScopes: "api_key_no_scopes"
        case .invalidScope: "api_key_invalid_scope"
        case .notFound: "api_key_not_found"
        case .unknownDepartment: "api_key_unknown_department"
        }
    }

    /// The message for people, in Chinese.
    public var chineseMessage: String {
        switch self {
        case .invalidName(let name): "密钥名称“\(name)”无效：不能为空，且最多 100 个字符。"
        case .duplicateName(let name): "已有名为“\(name)”的密钥（包括已吊销的）。"
        case .noScopes: "密钥至少需要一个权限范围。"
        case .invalidScope(let scope): "权限范围“\(scope)”无效：以小写字母开头，只含小写字母、数字和 _ . : -，最多 64 个字符。"
        case .notFound(let name): "没有名为“\(name)”的密钥。"
        case .unknownDepartment(let code): "没有代码为“\(code)”的科室。"
        }
    }

    /// The message for people, in English.
    public var englishMessage: String {
        switch self {
        case .invalidName(let name): "The key name “\(name)” is invalid: it must be 1 to 100 characters."
        case .duplicateName(let name): "A key named “\(name)” exists already (revoked keys keep their names)."
        case .noScopes: "A key needs at least one scope."
        case .invalidScope(let scope):
            "The scope “\(scope)” is invalid: 1 to 64 of a–z, 0–9, _ . : -, starting with a letter."
        case .notFound(let name): "No key is named “\(name)”."
        case .unknownDepartment(let code): "No department has the code “\(code)”."
        }
    }

    public var description: String { englishMessage }
}

/// The shape of keys: `pj_` and 52 lower-case base32 characters, 256 random bits.
enum APIKeys {
    static let marker = "pj_"
    static let secretLength = 52
    static let prefixLength = marker.count + 8
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// A new key from the system's cryptographically secure generator (getrandom on
    /// Linux, arc4random on Darwin).
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return marker + base32(bytes)
    }

    /// RFC 4648 base32, lower case, unpadded: 32 bytes give 52 characters.
    static func base32(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int(buffer >> UInt32(bits - 5) & 31)])
                bits -= 5
            }
        }
        if bits > 0 {
            output.append(alphabet[Int(buffer << UInt32(5 - bits) & 31)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The lookup prefix of a well-formed key, or nil for anything else.
    static func prefix(ofKey key: String) -> String? {
        let utf8 = Array(key.utf8)
        guard utf8.count == marker.utf8.count + secretLength, key.hasPrefix(marker),
              utf8.dropFirst(marker.utf8.count).allSatisfy(alphabet.contains) else { return nil }
        return String(key.prefix(prefixLength))
    }

    static func isValidScope(_ scope: String) -> Bool {
        let utf8 = Array(scope.utf8)
        guard (1...64).contains(utf8.count), let first = utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-")].contains(byte)
        }
    }

    static let selectSQL = "SELECT id, name, prefix, hash, scopes, created_at, revoked_at, departments FROM api_key"

    static func decode(_ row: Row) -> APIKeyRecord {
        let scopes: String = row["scopes"]
        let departments: String? = row["departments"]
        return APIKeyRecord(
            id: row["id"], name: row["name"], prefix: row["prefix"],
            scopes: Set(scopes.split(separator: " ").map(String.init)),
            createdAtMillis: row["created_at"], revokedAtMillis: row["revoked_at"],
            departments: departments.map { Set($0.split(separator: " ").map(String.init)) }
        )
    }
}

extension SurveyStore {
    /// Creates a key named `name` carrying `scopes`, limited to `departments` (codes of the
    /// directory) when given. Returns the stored record and the key itself, which exists
    /// nowhere else afterwards: show it to the operator once.
    public func createAPIKey(
        name: String, scopes: Set<String>, departments: Set<String>? = nil, atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> (record: APIKeyRecord, plaintextKey: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw APIKeyError.invalidName(name) }
        guard !scopes.isEmpty else { throw APIKeyError.noScopes }
        if let invalid = scopes.sorted().first(where: { !APIKeys.isValidScope($0) }) {
            throw APIKeyError.invalidScope(invalid)
        }
        return try pool.write { db in
            guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_key WHERE name = ?)", arguments: [name])! else {
                throw APIKeyError.duplicateName(name)
            }
            for code in (departments ?? []).sorted()
            where try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM department WHERE code = ?)", arguments: [code])! {
                throw APIKeyError.unknownDepartment(code)
            }
            // A prefix is 40 random bits; a clash is next to impossible, but cheap to avoid.
            var key = APIKeys.generate()
            while try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM api_key WHERE prefix = ?)", arguments: [String(key.prefix(APIKeys.prefixLength))]
            )! {
                key = APIKeys.generate()
            }
            let prefix = String(key.prefix(APIKeys.prefixLength))
            try db.execute(
                sql: "INSERT INTO api_key (name, prefix, hash, scopes, created_at, departments) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    name, prefix, Data(SHA256.hash(key.utf8)), scopes.sorted().joined(separator: " "), millis,
                    departments.map { $0.sorted().joined(separator: " ") },
                ]
            )
            let record = APIKeyRecord(
                id: db.lastInsertedRowID, name: name, prefix: prefix, scopes: scopes, createdAtMillis: millis, revokedAtMillis: nil,
                departments: departments
            )
            return (record, key)
        }
    }

    /// The record of the key in force that `key` is, or nil: for a malformed key, an
    /// unknown one, a wrong one, or a revoked one, alike. The hashes are compared in
    /// constant time.
    public func authenticate(key: String) throws -> APIKeyRecord? {
        guard let prefix = APIKeys.prefix(ofKey: key) else { return nil }
        let digest = SHA256.hash(key.utf8)
        let row = try pool.read { db in
            try Row.fetchOne(db, sql: APIKeys.selectSQL + " WHERE prefix = ? AND revoked_at IS NULL", arguments: [prefix])
        }
        guard let row else { return nil }
        let stored: Data = row["hash"]
        guard SHA256.constantTimeEquals(Array(stored), digest) else { return nil }
        return APIKeys.decode(row)
    }

    /// Revokes the key named `name` from now on; revoking a revoked key changes nothing.
    /// Returns the record; throws `APIKeyError.notFound` when no key has that name.
    @discardableResult
    public func revokeAPIKey(name: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws -> APIKeyRecord {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE api_key SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [millis, name]
            )
            guard let row = try Row.fetchOne(db, sql: APIKeys.selectSQL + " WHERE name = ?", arguments: [name]) else {
                throw APIKeyError.notFound(name: name)
            }
            return APIKeys.decode(row)
        }
    }

    /// Every key, in force or revoked, by name.
    public func apiKeys() throws -> [APIKeyRecord] {
        try pool.read { db in try Row.fetchAll(db, sql: APIKeys.selectSQL + " ORDER BY name").map(APIKeys.decode) }
    }
}
