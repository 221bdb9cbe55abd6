import ArgumentParser
import Foundation
import SurveyCore
import SurveyStore
#if canImport(Glibc)
import Glibc
#endif

extension StaffRole: ExpressibleByArgument {}

/// `pingjia user`: the staff accounts of the center. Every change is written to the audit
/// log as the Unix user who ran the command (`cli:NAME`).
struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Adds, lists and disables staff accounts, and sets their passwords.",
        subcommands: [Add.self, List.self, Disable.self, Password.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adds an account. The password is read from standard input, or asked for twice on a terminal."
        )

        @OptionGroup var common: CommonOptions

        @Argument(help: "The user name: letters a–z, digits and . _ - (stored in lower case).")
        var name: String

        @Option(help: "admin, head, reviewer or viewer.")
        var role: StaffRole

        @Option(help: "The code of a department the account belongs to; repeat for several. Heads and reviewers need one.")
        var department: [String] = []

        func validate() throws {
            if (role == .head || role == .reviewer) && department.isEmpty {
                throw ValidationError("A \(role.rawValue) sees only their own departments: give at least one --department CODE.")
            }
        }

        func run() throws {
            let password = try PasswordInput.read()
            let store = try common.openStore()
            defer { try? store.close() }
            let user = try StaffAccountWording.rethrowing {
                try store.createStaffUser(
                    username: name, role: role, password: password, departmentCodes: department, actor: CommandLineActor.name
                )
            }
            let departments = user.departmentCodes.isEmpty ? "all departments" : user.departmentCodes.joined(separator: ", ")
            print("Added \(user.role.rawValue) “\(user.username)” (\(departments)).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the accounts: name, role, departments, state, created.")

        @OptionGroup var common: CommonOptions

        func run() throws {
            let store = try common.openStore()
            defer { try? store.close() }
            for user in try store.staffUsers() {
                let departments = user.role.seesEveryDepartment ? "*" : user.departmentCodes.joined(separator: ",")
                print("\(user.username)\t\(user.role.rawValue)\t\(departments)\t\(user.disabled ? "disabled" : "active")\tcreated \(UTCTimestamp.string(millis: user.createdAtMillis))")
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disables an account and signs it out everywhere.")

        @OptionGroup var common: CommonOptions

        @Argument(help: "The user name.")
        var name: String

        func run() throws {
            let store = try common.openStore()
            defer { try? store.close() }
            let user = try StaffAccountWording.rethrowing { try store.disableStaffUser(named: name, actor: CommandLineActor.name) }
            print("Disabled “\(user.username)”; its sessions have ended.")
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sets a new password (from standard input, or asked for twice on a terminal) and ends the account's sessions."
        )

        @OptionGroup var common: CommonOptions

        @Argument(help: "The user name.")
        var name: String

        func run() throws {
            let store = try common.openStore()
            defer { try? store.close() }
            // Fail before asking for a password nobody could use.
            guard try store.staffUser(named: name) != nil else {
                throw StaffAccountWording.error(.unknownUser(name))
            }
            let password = try PasswordInput.read()
            try StaffAccountWording.rethrowing { try store.setStaffPassword(named: name, password: password, actor: CommandLineActor.name) }
            print("Set a new password for “\(name.lowercased())”; its sessions have ended.")
        }
    }
}

/// `pingjia audit`: the latest entries of the audit log, newest first.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prints the latest entries of the audit log, newest first.")

    @OptionGroup var common: CommonOptions

    @Option(help: "How many entries (default 50).")
    var limit: Int = 50

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000.") }
    }

    func run() throws {
        let store = try common.openStore()
        defer { try? store.close() }
        for entry in try store.auditEntries(limit: limit) {
            let subject = entry.subjectID.map { "\(entry.subjectType):\($0)" } ?? entry.subjectType
            print("\(UTCTimestamp.string(millis: entry.atMillis))\t\(entry.actor)\t\(entry.action)\t\(subject)\t\(entry.beforeJSON ?? "-")\t\(entry.afterJSON ?? "-")")
        }
    }
}

/// Who the audit log names for a change made on the command line.
enum CommandLineActor {
    static var name: String {
        if let entry = getpwuid(geteuid()), let login = entry.pointee.pw_name {
            return "cli:" + String(cString: login)
        }
        return "cli:uid\(geteuid())"
    }
}

/// Reads a new password: from a terminal without echo, asked twice; otherwise the first
/// line of standard input (so scripts can pipe it in).
enum PasswordInput {
    static func read() throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else {
                throw AccountCommandError(description: "No password on standard input.")
            }
            return line
        }
        let first = try prompt("New password (at least \(StaffAccountRules.minimumPasswordLength) characters): ")
        let second = try prompt("Again: ")
        guard first == second else { throw AccountCommandError(description: "The two passwords differ; nothing was changed.") }
        return first
    }

    /// Turns echo off for one line, and back on whatever happens.
    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw AccountCommandError(description: "Cannot read the terminal's settings.") }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}

/// The command line's words for refused account changes, in Chinese and English.
enum StaffAccountWording {
    static func rethrowing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StaffAccountError {
            throw Self.error(error)
        }
    }

    static func error(_ error: StaffAccountError) -> AccountCommandError {
        let text = switch error {
        case .passwordTooShort(let minimum): "密码至少需要 \(minimum) 个字符。 The password must be at least \(minimum) characters long."
        case .passwordIsUsername: "密码不能与用户名相同。 The password must not be the user name."
        case .invalidUsername(let name):
            "用户名“\(name)”无效：只能使用 a–z、0–9 和 . _ -，最多 64 个字符。 The user name “\(name)” is invalid: use 1 to 64 of a–z, 0–9, . _ -."
        case .duplicateUsername(let name): "用户“\(name)”已存在。 An account named “\(name)” exists already."
        case .unknownUser(let name): "没有名为“\(name)”的用户。 No account is named “\(name)”."
        case .unknownDepartment(let code): "没有代码为“\(code)”的科室。 No department has the code “\(code)”."
        }
        return AccountCommandError(description: text)
    }
}

/// A refused account command, said for the operator (without the usage text).
struct AccountCommandError: Error, CustomStringConvertible {
    var description: String
}

extension CommonOptions {
    /// Opens (and migrates) the configured database.
    func openStore() throws -> SurveyStore {
        let configuration = try load()
        return try configuration.openStore(logger: configuration.makeLogger())
    }
}
