import Foundation
import GRDB
import SurveyCore
#if canImport(Glibc)
import Glibc
#endif

/// What `SurveyStore.backup(databaseAt:to:)` wrote.
public struct BackupSummary: Sendable {
    /// The copy's path.
    public var path: String
    /// Responses in the copy, whatever their status.
    public var responses: Int
    /// The copy's size in bytes.
    public var bytes: Int64
}

/// What `SurveyStore.restore(copyAt:toDatabaseAt:timeZone:)` checked and did.
public struct RestoreOutcome: Sendable {
    /// Responses in the restored database, whatever their status.
    public var responses: Int
    /// The rollups recomputed from the restored responses (consistent, or it would not be
    /// in place).
    public var verification: VerificationReport
    /// The folder holding the database that was replaced, with its `-wal` and `-shm`;
    /// nil when there was none.
    public var keptAside: String?
}

extension SurveyStore {
    /// Copies the database at `source` into a new file at `destination` while the database
    /// keeps taking ratings: SQLite's backup API copies one consistent snapshot (every
    /// commit made before the copy began, none made during it) in one step, holding only
    /// a read transaction, which WAL mode lets run beside the writer.
    ///
    /// The copy is written beside `destination`, switched to a single file (rollback
    /// journal rather than WAL), checked with `PRAGMA integrity_check`, fsynced and renamed
    /// into place, so `destination` is either the previous file or a whole, checked copy.
    /// It is created with mode 0600: it holds citizens' comments. The source is opened
    /// without migrating it, so a newer binary never changes a database an older server runs.
    @discardableResult
    public static func backup(databaseAt source: String, to destination: String) throws -> BackupSummary {
        guard FileManager.default.fileExists(atPath: source) else {
            throw StoreError.cannotOpen(path: source, reason: "there is no database file there")
        }
        let partial = destination + ".partial"
        removeDatabaseFiles(at: partial)
        do {
            try copyDatabase(from: source, to: partial)
            let problems = try integrityProblems(databaseAt: partial)
            guard problems.isEmpty else {
                throw StoreError.unusableCopy(path: destination, problems: problems)
            }
            let responses = try DatabaseQueue(path: partial).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM response") ?? 0
            }
            try DurableFiles.sync(partial)
            try DurableFiles.rename(partial, to: destination)
            let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value ?? 0
            return BackupSummary(path: destination, responses: responses, bytes: size)
        } catch {
            removeDatabaseFiles(at: partial)
            throw error
        }
    }

    /// Replaces the database at `destination` with the backup copy at `source`, after
    /// checking the copy, and only if no server is using `destination`.
    ///
    /// In order: takes the database's `DatabaseLock` (a running `pingjia serve` holds it:
    /// then `StoreError.inUse`, nothing touched); copies `source` to
    /// `<destination>.restoring`; checks that copy with `PRAGMA integrity_check`, that it
    /// has Pingjia's schema and no migration this release does not know, migrates it
    /// forward, and recomputes its rollups as `pingjia verify` does (any failure:
    /// `StoreError.unusableCopy`, the copy removed, `destination` untouched); fsyncs it;
    /// keeps the current database aside in `<destination>.before-restore-<time>/` (a hard
    /// link of the file, and its `-wal` and `-shm` moved there, so a log of the old
    /// database can never be applied to the new one); renames the copy into place and
    /// fsyncs the folder. Run as root, the new file gets the folder's owner.
    public static func restore(copyAt source: String, toDatabaseAt destination: String, timeZone: TimeZone) throws -> RestoreOutcome {
        let lock = try DatabaseLock(forDatabaseAt: destination)
        defer { lock.release() }
        guard FileManager.default.fileExists(atPath: source) else {
            throw StoreError.unusableCopy(path: source, problems: ["there is no file there"])
        }
        let staged = destination + ".restoring"
        removeDatabaseFiles(at: staged)
        do {
            do {
                try copyDatabase(from: source, to: staged)
            } catch {
                throw StoreError.unusableCopy(path: source, problems: ["it cannot be read as an SQLite database: \(error)"])
            }
            let (verification, responses) = try checkCopy(at: staged, named: source, timeZone: timeZone)
            let fd = open(staged, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                FileOwnership.giveToDirectoryOwner(fd, of: destination)
                Glibc.close(fd)
            }
            try DurableFiles.sync(staged)
            let keptAside = try keepAside(destination)
            try DurableFiles.rename(staged, to: destination)
            return RestoreOutcome(responses: responses, verification: verification, keptAside: keptAside)
        } catch {
            removeDatabaseFiles(at: staged)
            throw error
        }
    }

    /// Copies with the backup API into a new file of mode 0600, then makes it a single file.
    private static func copyDatabase(from source: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        Glibc.close(fd)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "pingjia-backup"
        let from = try DatabaseQueue(path: source, configuration: configuration)
        let to = try DatabaseQueue(path: path)
        try from.backup(to: to)
        try from.close()
        try to.close()
        // The source's WAL mode came along with its pages; a backup file is easier to
        // handle (copy, checksum, restore) as one file.
        try makeSingleFile(path)
    }

    /// What `PRAGMA integrity_check` reports for the database at `path`; empty when it
    /// reports "ok".
    public static func integrityProblems(databaseAt path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let lines = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return lines == ["ok"] ? [] : lines.map { "integrity_check: \($0)" }
    }

    /// Checks a staged copy as `restore` describes, migrating it forward; its verification
    /// and response count, or `StoreError.unusableCopy` naming `name`.
    private static func checkCopy(at path: String, named name: String, timeZone: TimeZone) throws -> (VerificationReport, Int) {
        var problems: [String]
        do {
            problems = try integrityProblems(databaseAt: path)
        } catch {
            problems = ["it cannot be read as an SQLite database: \(error)"]
        }
        guard problems.isEmpty else { throw StoreError.unusableCopy(path: name, problems: problems) }

        let migrator = Migrations.migrator(timeZone: timeZone, casePolicy: CasePolicy())
        let applied = try DatabaseQueue(path: path).read { db in try migrator.appliedIdentifiers(db) }
        if applied.isEmpty {
            problems.append("it is not a Pingjia database (no migrations recorded)")
        }
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty {
            problems.append("it was made by a newer release (unknown migrations: \(unknown.sorted().joined(separator: ", ")))")
        }
        guard problems.isEmpty else { throw StoreError.unusableCopy(path: name, problems: problems) }

        let store: SurveyStore
        do {
            store = try SurveyStore(path: path, timeZone: timeZone)
        } catch {
            throw StoreError.unusableCopy(path: name, problems: ["it could not be opened and migrated: \(error)"])
        }
        let report = try store.verify(limit: 10)
        let responses = try store.responseCount()
        try store.close()
        if !report.isConsistent {
            problems.append("its rollups do not match its responses (pingjia verify): \(report.differenceCount) rows differ, \(report.wrongLocalDays) responses on a wrong local day")
            problems += report.differences.map(\.description)
            throw StoreError.unusableCopy(path: name, problems: problems)
        }
        try makeSingleFile(path)
        return (report, responses)
    }

    /// Switches the database at `path` to a rollback journal, which folds its WAL into the
    /// file, and removes the `-wal` and `-shm` left beside it, so the file can be copied or
    /// renamed alone. The server switches it back to WAL when it opens it.
    private static func makeSingleFile(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
        try queue.close()
        unlink(path + "-wal")
        unlink(path + "-shm")
    }

    /// Moves the database at `path` out of the way into a new folder beside it, as
    /// `restore` describes; the folder, or nil when there is no database.
    private static func keepAside(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let stamp = UTCTimestamp.string(millis: UTCTimestamp.nowMillis()).replacingOccurrences(of: ":", with: "")
        let folder = "\(path).before-restore-\(stamp)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let name = (path as NSString).lastPathComponent
        try DurableFiles.link(path, to: "\(folder)/\(name)")
        // The log first: from here on, the old file under its old name has no -wal to be
        // confused with the new one's, and the old database is whole in `folder`.
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try DurableFiles.rename(path + suffix, to: "\(folder)/\(name)\(suffix)")
        }
        try DurableFiles.syncDirectory(folder)
        return folder
    }

    /// Deletes a database file and its `-wal`, `-shm` and `-journal`, if present.
    private static func removeDatabaseFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            unlink(path + suffix)
        }
    }
}

/// File operations that must reach the disk before anyone relies on them.
enum DurableFiles {
    private static func failure(_ what: String, _ path: String) -> StoreError {
        .cannotOpen(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }

    /// fsyncs the file at `path`.
    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", path) }
    }

    /// fsyncs a folder, so the names created, renamed or removed in it are on disk.
    static func syncDirectory(_ path: String) throws {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", path) }
    }

    /// Atomically gives `source` the name `destination` (replacing it), then fsyncs the folder.
    static func rename(_ source: String, to destination: String) throws {
        guard Glibc.rename(source, destination) == 0 else { throw failure("rename to \(destination)", source) }
        try syncDirectory((destination as NSString).deletingLastPathComponent)
    }

    /// Makes `destination` a second name of `source`.
    static func link(_ source: String, to destination: String) throws {
        guard Glibc.link(source, destination) == 0 else { throw failure("link to \(destination)", source) }
    }
}
