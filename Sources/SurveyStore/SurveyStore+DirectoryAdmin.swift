import Foundation
import GRDB
import SurveyCore

/// What an import did, or would do in a dry run.
public struct DirectoryImportOutcome: Sendable, Equatable {
    /// Every change, departments added first and deactivated last.
    public var changes: [DirectoryChange]
    /// Whether the changes were written (false for a dry run).
    public var applied: Bool
}

extension SurveyStore {
    // MARK: Administration of the directory

    /// Adds a department, window, service item or member of staff, checked against the
    /// rules (`DirectoryError`), and audits it as `actor` in the same transaction.
    @discardableResult
    public func addDirectoryEntry(_ entry: DirectoryEntry, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws -> DirectoryEntry {
        try changeDirectory(actor: actor, atMillis: millis) { db in
            try DirectoryRows.apply(DirectoryChange(before: nil, after: entry), actor: actor, atMillis: millis, in: db)
        }?.after ?? entry
    }

    /// Renames, re-codes or moves a record. A code on stored responses cannot change
    /// (`codeInUse`); a window moved to another department takes only its future responses
    /// there, since each response keeps the department it was given. Returns the change,
    /// or nil when the edit changes nothing.
    @discardableResult
    public func editDirectoryEntry(
        _ kind: DirectoryKind, code: String, _ edit: DirectoryEdit, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> DirectoryChange? {
        guard !edit.isEmpty else { throw DirectoryError.nothingToChange }
        return try changeDirectory(actor: actor, atMillis: millis) { db in
            guard let current = try DirectoryRows.entry(kind, code: code, in: db)?.entry else { throw DirectoryError.notFound(kind, code) }
            return try DirectoryRows.apply(DirectoryChange(before: current, after: edit.applied(to: current)), actor: actor, atMillis: millis, in: db)
        }
    }

    /// Deactivates a record: it keeps its history and its code, and takes no new ratings.
    /// A department must first lose its active windows, items and staff. Deactivating an
    /// inactive record changes nothing and returns nil.
    @discardableResult
    public func deactivateDirectoryEntry(
        _ kind: DirectoryKind, code: String, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> DirectoryChange? {
        try setDirectoryEntry(kind, code: code, active: false, actor: actor, atMillis: millis)
    }

    /// Makes a deactivated record active again.
    @discardableResult
    public func reactivateDirectoryEntry(
        _ kind: DirectoryKind, code: String, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> DirectoryChange? {
        try setDirectoryEntry(kind, code: code, active: true, actor: actor, atMillis: millis)
    }

    private func setDirectoryEntry(_ kind: DirectoryKind, code: String, active: Bool, actor: String, atMillis millis: Int64) throws -> DirectoryChange? {
        try changeDirectory(actor: actor, atMillis: millis) { db in
            guard let current = try DirectoryRows.entry(kind, code: code, in: db)?.entry else { throw DirectoryError.notFound(kind, code) }
            var after = current
            after.active = active
            return try DirectoryRows.apply(DirectoryChange(before: current, after: after), actor: actor, atMillis: millis, in: db)
        }
    }

    /// Makes the directory what `entries` (a whole directory, as read by `DirectoryFile`)
    /// describes, in one transaction: all of it or nothing. Records missing from the file
    /// are deactivated. With `dryRun`, every change is made and checked, then rolled back.
    /// A change the stored directory refuses throws `DirectoryFileProblems`, naming it.
    /// Records in `keepingEnglishName` (`DirectoryFile.Contents`) keep their English names.
    public func importDirectory(
        _ entries: [DirectoryEntry], keepingEnglishName: Set<String> = [], actor: String, dryRun: Bool,
        atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> DirectoryImportOutcome {
        var outcome = DirectoryImportOutcome(changes: [], applied: false)
        try pool.writeWithoutTransaction { db in
            try db.inTransaction {
                let current = try DirectoryRows.directory(in: db).entries
                var stored: [DirectoryChange] = []
                for change in DirectoryPlan.changes(from: current, to: entries, keepingEnglishName: keepingEnglishName) {
                    do {
                        if let done = try DirectoryRows.apply(change, actor: actor, atMillis: millis, in: db) { stored.append(done) }
                    } catch let error as DirectoryError {
                        throw DirectoryFileProblems(problems: [DirectoryFileProblem(
                            place: "\(change.kind.rawValue) \(change.after.code)", field: error.field, error: .record(error)
                        )])
                    }
                }
                if !stored.isEmpty { try DirectoryRows.bumpVersion(in: db) }
                outcome = DirectoryImportOutcome(changes: stored, applied: !dryRun && !stored.isEmpty)
                return dryRun ? .rollback : .commit
            }
        }
        return outcome
    }

    /// Runs one change in a write transaction and bumps the version if it changed anything.
    private func changeDirectory(actor: String, atMillis millis: Int64, _ body: (Database) throws -> DirectoryChange?) throws -> DirectoryChange? {
        try pool.write { db in
            let change = try body(db)
            if change != nil { try DirectoryRows.bumpVersion(in: db) }
            return change
        }
    }
}
