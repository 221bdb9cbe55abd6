import ArgumentParser
import Foundation
import SurveyCore
import SurveyStore
import SurveyWeb

extension DirectoryFile.Format: ExpressibleByArgument {}

/// `pingjia directory export|import`: the whole directory as one JSON or CSV file, so a
/// center can be set up from a spreadsheet.
struct DirectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Exports the whole directory (departments, windows, items, staff) as JSON or CSV, or imports such a file.",
        subcommands: [Export.self, Import.self]
    )

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Writes the whole directory, active and deactivated records alike.")

        @OptionGroup var common: CommonOptions
        @Option(help: "json or csv (default: from --out's extension, else json).") var format: DirectoryFile.Format?
        @Option(help: "The file to write (default: standard output).") var out: String?

        func run() throws {
            let store = try common.openStore()
            defer { try? store.close() }
            let format = format ?? out.flatMap(DirectoryFile.format(ofPath:)) ?? .json
            let text = DirectoryFile.encode(try store.directory().entries, as: format)
            if let out {
                do {
                    try text.write(toFile: out, atomically: true, encoding: .utf8)
                } catch {
                    throw AccountCommandError(description: "Cannot write \(out): \(error.localizedDescription)")
                }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Makes the directory what FILE describes, in one transaction: records are matched by kind and code, new ones added, changed ones renamed or moved, and records missing from the file deactivated. Problems are listed with their line (CSV) or record (JSON) and field; then nothing is changed and the exit status is 65.",
            discussion: "CSV columns: kind,code,name,name_en,department,window,active. JSON: {\"departments\": [...], \"windows\": [...], \"items\": [...], \"staff\": [...]}. A file without the name_en column (CSV) or member (JSON, per record) leaves the English names as they are; an empty name_en removes one. See docs/administration.md."
        )

        @OptionGroup var common: CommonOptions
        @Argument(help: "The file, as written by `pingjia directory export`.") var file: String
        @Option(help: "json or csv (default: from the file's extension).") var format: DirectoryFile.Format?
        @Flag(help: "Print what would change, and change nothing.") var dryRun = false

        func validate() throws {
            if format == nil && DirectoryFile.format(ofPath: file) == nil {
                throw ValidationError("Cannot tell the format of \(file) from its name: give --format json or --format csv.")
            }
        }

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw AccountCommandError(description: "Cannot read \(file).")
            }
            let format = format ?? DirectoryFile.format(ofPath: file) ?? .json
            let contents: DirectoryFile.Contents
            switch DirectoryFile.read([UInt8](data), as: format) {
            case .success(let read): contents = read
            case .failure(let problems): try Self.refuse(problems)
            }
            let store = try common.openStore()
            defer { try? store.close() }
            let outcome: DirectoryImportOutcome
            do {
                outcome = try store.importDirectory(
                    contents.entries, keepingEnglishName: contents.keepingEnglishName, actor: CommandLineActor.name, dryRun: dryRun
                )
            } catch let problems as DirectoryFileProblems {
                try Self.refuse(problems)
            }
            if outcome.changes.isEmpty {
                print("No changes: the directory is already what \(file) describes.")
                return
            }
            print(dryRun ? "Would change \(outcome.changes.count) record(s); nothing was changed:" : "Changed \(outcome.changes.count) record(s):")
            for change in outcome.changes { print("  " + change.summary) }
        }

        private static func refuse(_ problems: DirectoryFileProblems) throws -> Never {
            FileHandle.standardError.write(Data(((DirectoryMessages.bilingual(problems) ?? "") + "\n").utf8))
            FileHandle.standardError.write(Data("Nothing was imported: \(problems.problems.count) problem(s).\n".utf8))
            throw ExitCode(65)
        }
    }
}
