/// Why a staff account could not be created or changed, with a stable `code`. The words
/// people read come from the web catalogue or the command line.
public enum StaffAccountError: Error, Sendable, Hashable {
    /// The password is shorter than `minimum` characters.
    case passwordTooShort(minimum: Int)
    /// The password is the user name (in any letter case).
    case passwordIsUsername
    /// The user name is not 1–64 of `a-z 0-9 . _ -`, starting with a letter or digit.
    case invalidUsername(String)
    /// Another account has this name.
    case duplicateUsername(String)
    /// No account has this name.
    case unknownUser(String)
    /// No department has this code.
    case unknownDepartment(String)

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .passwordTooShort: "password_too_short"
        case .passwordIsUsername: "password_is_username"
        case .invalidUsername: "invalid_username"
        case .duplicateUsername: "duplicate_username"
        case .unknownUser: "unknown_user"
        case .unknownDepartment: "unknown_department"
        }
    }
}

/// The rules a staff account's name and password must follow.
public enum StaffAccountRules {
    /// The fewest characters a password may have.
    public static let minimumPasswordLength = 10

    /// Throws unless `password` may be the password of `username`: at least
    /// `minimumPasswordLength` characters (characters, not bytes: 十个汉字 count as ten),
    /// and not the user name itself.
    public static func checkPassword(_ password: String, username: String) throws(StaffAccountError) {
        guard password.count >= minimumPasswordLength else {
            throw .passwordTooShort(minimum: minimumPasswordLength)
        }
        guard password.lowercased() != username.lowercased() else { throw .passwordIsUsername }
    }

    /// The name as stored (lower case, trimmed), or a throw for a name that may not be one.
    /// Names are ASCII so that they read the same in a log, a URL and the audit.
    public static func normalizedUsername(_ name: String) throws(StaffAccountError) -> String {
        let trimmed = name.trimmingSpaces().lowercased()
        let utf8 = Array(trimmed.utf8)
        let allowed: (UInt8) -> Bool = { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard (1...64).contains(utf8.count), utf8.allSatisfy(allowed),
              let first = utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-"), first != UInt8(ascii: "_") else {
            throw .invalidUsername(name)
        }
        return trimmed
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
