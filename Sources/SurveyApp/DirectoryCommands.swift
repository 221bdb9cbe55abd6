import ArgumentParser
import Foundation
import SurveyCore
import SurveyStore
import SurveyWeb

/// A kind of record, for the commands that are the same for all four.
protocol DirectoryKindMarker {
    static var kind: DirectoryKind { get }
}

enum DepartmentRecords: DirectoryKindMarker { static var kind: DirectoryKind { .department } }
enum WindowRecords: DirectoryKindMarker { static var kind: DirectoryKind { .window } }
enum ItemRecords: DirectoryKindMarker { static var kind: DirectoryKind { .item } }
enum StaffRecords: DirectoryKindMarker { static var kind: DirectoryKind { .staff } }

typealias DepartmentCommand = RecordCommand<DepartmentRecords>
typealias WindowCommand = RecordCommand<WindowRecords>
typealias ItemCommand = RecordCommand<ItemRecords>
typealias StaffCommand = RecordCommand<StaffRecords>

/// `pingjia department|window|item|staff add|edit|deactivate|reactivate|list`. Every change
/// is audited as the Unix user who ran it (`cli:NAME`) and reaches a running server within
/// a few seconds. A refused change exits with status 1 and says why, in Chinese and English.
struct RecordCommand<K: DirectoryKindMarker>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: K.kind.rawValue,
            abstract: "Adds, edits, deactivates, reactivates and lists the center's \(K.kind.plural).",
            subcommands: [Add.self, Edit.self, Deactivate.self, Reactivate.self, List.self]
        )
    }

    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: "Adds a \(K.kind.rawValue).") }

        @OptionGroup var common: CommonOptions
        @Argument(help: "The code: 1–32 letters, digits or _ . -.") var code: String
        @Option(help: "The name people read.") var name: String
        @Option(help: "The English name English pages show (departments, windows and items).") var nameEn: String?
        @Option(help: "The department's code (windows, items and staff).") var department: String?
        @Option(help: "A member of staff's usual window, by code.") var window: String?

        func validate() throws {
            try RecordOptions.check(department: department, window: window, englishName: nameEn, adding: true, kind: K.kind)
        }

        func run() throws {
            let entry = DirectoryEntry(kind: K.kind, code: code, name: name, englishName: nameEn, department: department, window: window)
            let added = try RecordOptions.changing(common) { store in try store.addDirectoryEntry(entry, actor: CommandLineActor.name) }
            print(DirectoryChange(before: nil, after: added).summary)
        }
    }

    struct Edit: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Renames a \(K.kind.rawValue), gives it a new code (only while no rating uses it), or moves it.")
        }

        @OptionGroup var common: CommonOptions
        @Argument(help: "The current code.") var code: String
        @Option(help: "A new name.") var name: String?
        @Option(help: "A new English name; an empty value removes it (English pages then show the Chinese name).") var nameEn: String?
        @Flag(help: "Removes the English name.") var clearNameEn = false
        @Option(name: .customLong("code"), help: "A new code; refused once ratings use the old one.") var newCode: String?
        @Option(help: "Another department, by code: applies to ratings from now on.") var department: String?
        @Option(help: "A member of staff's usual window; an empty value clears it.") var window: String?

        func validate() throws {
            try RecordOptions.check(department: department, window: window, englishName: clearNameEn ? "" : nameEn, adding: false, kind: K.kind)
            if clearNameEn && nameEn != nil { throw ValidationError("Give either --name-en or --clear-name-en, not both.") }
            if name == nil && nameEn == nil && !clearNameEn && newCode == nil && department == nil && window == nil {
                let english = K.kind.hasEnglishName ? ", --name-en, --clear-name-en" : ""
                throw ValidationError("Give at least one of --name\(english), --code, --department\(K.kind == .staff ? ", --window" : "").")
            }
        }

        func run() throws {
            let english: String?? = clearNameEn ? .some(nil) : nameEn.map { Optional($0) }
            let edit = DirectoryEdit(
                name: name, englishName: english, code: newCode, department: department, window: window.map { Optional($0) }
            )
            let change = try RecordOptions.changing(common) { store in
                try store.editDirectoryEntry(K.kind, code: code, edit, actor: CommandLineActor.name)
            }
            print(change?.summary ?? "\(K.kind.rawValue) \(code): nothing changed")
        }
    }

    struct Deactivate: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Deactivates a \(K.kind.rawValue): it keeps its history and takes no new ratings.")
        }

        @OptionGroup var common: CommonOptions
        @Argument(help: "The code.") var code: String

        func run() throws {
            try RecordOptions.setActive(false, kind: K.kind, code: code, common: common)
        }
    }

    struct Reactivate: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: "Makes a deactivated \(K.kind.rawValue) active again.") }

        @OptionGroup var common: CommonOptions
        @Argument(help: "The code.") var code: String

        func run() throws {
            try RecordOptions.setActive(true, kind: K.kind, code: code, common: common)
        }
    }

    struct List: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: "Lists the \(K.kind.plural): code, name, \(K.kind.hasEnglishName ? "English name (- for none), " : "")"
                    + "department, usual window, state."
            )
        }

        @OptionGroup var common: CommonOptions

        func run() throws {
            let store = try common.openStore()
            defer { try? store.close() }
            for entry in try store.directory().entries where entry.kind == K.kind {
                let columns = [entry.code, entry.name] + (K.kind.hasEnglishName ? [entry.englishName ?? "-"] : []) + (K.kind.hasDepartment ? [entry.department ?? "-"] : [])
                    + (K.kind == .staff ? [entry.window ?? "-"] : []) + [entry.active ? "active" : "inactive"]
                print(columns.joined(separator: "\t"))
            }
        }
    }
}

/// What the record commands share.
enum RecordOptions {
    static func check(department: String?, window: String?, englishName: String?, adding: Bool, kind: DirectoryKind) throws {
        if !kind.hasEnglishName && englishName != nil {
            throw ValidationError("Staff names have no English name: leave out --name-en.")
        }
        if !kind.hasDepartment && department != nil {
            throw ValidationError("A department belongs to no department: leave out --department.")
        }
        if adding && kind.hasDepartment && department == nil {
            throw ValidationError("Give the \(kind.rawValue)'s department: --department CODE.")
        }
        if kind != .staff && window != nil {
            throw ValidationError("Only staff have a usual window: leave out --window.")
        }
    }

    /// Deactivates or reactivates a record and says what was done.
    static func setActive(_ active: Bool, kind: DirectoryKind, code: String, common: CommonOptions) throws {
        let change = try changing(common) { store in
            active ? try store.reactivateDirectoryEntry(kind, code: code, actor: CommandLineActor.name)
                : try store.deactivateDirectoryEntry(kind, code: code, actor: CommandLineActor.name)
        }
        print(change?.summary ?? "\(kind.rawValue) \(code): already \(active ? "active" : "deactivated")")
    }

    /// Opens the store named by the command line's own options, makes the change and
    /// words a refusal for the operator.
    static func changing<T>(_ common: CommonOptions, _ body: (SurveyStore) throws -> T) throws -> T {
        let store = try common.openStore()
        defer { try? store.close() }
        return try worded { try body(store) }
    }

    static func worded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            if let text = DirectoryMessages.bilingual(error) { throw AccountCommandError(description: text) }
            throw error
        }
    }
}
