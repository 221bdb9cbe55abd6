import ArgumentParser
import Foundation
import SurveyCore
import SurveyStore

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copies the database, consistently, while the server keeps taking ratings.",
        discussion: """
            With --to, writes one file. With --to-dir, writes pingjia-<UTC time>.sqlite into the \
            folder and, with --keep N, deletes the oldest such files beyond the newest N. Each \
            copy is checked (PRAGMA integrity_check) and only then renamed into place, mode 0600.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "The file to write (replaced if it exists).")
    var to: String?

    @Option(name: .customLong("to-dir"), help: "A folder to write a time-stamped copy into.")
    var toDir: String?

    @Option(help: "With --to-dir: how many copies to keep, the newest (default: all).")
    var keep: Int?

    func validate() throws {
        guard (to == nil) != (toDir == nil) else { throw ValidationError("Give either --to FILE or --to-dir FOLDER.") }
        if let keep {
            guard toDir != nil else { throw ValidationError("--keep goes with --to-dir.") }
            guard keep >= 1 else { throw ValidationError("--keep must be at least 1.") }
        }
    }

    func run() throws {
        let configuration = try common.load()
        let destination: String
        if let toDir {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: toDir, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("The folder \(toDir) does not exist.")
            }
            destination = (toDir as NSString).appendingPathComponent(BackupFolder.newName())
        } else {
            destination = to ?? ""
        }
        let summary = try SurveyStore.backup(databaseAt: configuration.databasePath, to: destination)
        print("Backed up \(configuration.databasePath) to \(summary.path): \(summary.responses) responses, \(summary.bytes) bytes, integrity ok.")
        if let toDir, let keep {
            for removed in try BackupFolder.prune(toDir, keeping: keep) {
                print("Removed the older copy \(removed).")
            }
        }
    }
}

/// The time-stamped copies `backup --to-dir` writes: `pingjia-20261127T023000.123Z.sqlite`,
/// whose names sort in time order.
enum BackupFolder {
    static let prefix = "pingjia-"
    static let suffix = ".sqlite"

    static func newName() -> String {
        let stamp = UTCTimestamp.string(millis: UTCTimestamp.nowMillis())
            .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return prefix + stamp + suffix
    }

    /// Deletes all but the newest `keep` copies in `folder`; the paths deleted. Other files
    /// in the folder are left alone.
    static func prune(_ folder: String, keeping keep: Int) throws -> [String] {
        let copies = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) && $0.dropFirst(prefix.count).first?.isNumber == true }
            .sorted()
        var removed: [String] = []
        for name in copies.dropLast(keep) {
            let path = (folder as NSString).appendingPathComponent(name)
            try FileManager.default.removeItem(atPath: path)
            removed.append(path)
        }
        return removed
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Puts a backup copy in place of the database, after checking it; refused while a server runs.",
        discussion: """
            The copy must pass PRAGMA integrity_check and the checks of pingjia verify, or nothing \
            changes. The database it replaces is kept in <database>.before-restore-<time>/. Stop \
            the server first: a running pingjia serve holds <database>.lock, and restore refuses \
            while it does.
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "The backup copy to restore.")
    var copy: String

    func run() throws {
        let configuration = try common.load()
        let outcome: RestoreOutcome
        do {
            outcome = try SurveyStore.restore(copyAt: copy, toDatabaseAt: configuration.databasePath, timeZone: configuration.timeZone)
        } catch let error as StoreError {
            try? FileHandle.standardError.write(contentsOf: Data("pingjia restore: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print("Restored \(copy) to \(configuration.databasePath): \(outcome.responses) responses; integrity ok; rollups verified (\(outcome.verification.validResponses) valid responses).")
        if let keptAside = outcome.keptAside {
            print("The database it replaced is kept in \(keptAside); delete that folder once you no longer need it.")
        }
    }
}
