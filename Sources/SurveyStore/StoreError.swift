/// Failures of the store that a caller may want to tell apart.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The database could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// The write was not committed; nothing of it was stored.
    case notStored(reason: String)
    /// The writer is shutting down and takes no more work.
    case closed
    /// Another process (a running `pingjia serve`, or a restore) holds the database's lock.
    case inUse(databasePath: String, lockPath: String)
    /// A backup copy failed a check and was not restored; `problems` says what was found.
    case unusableCopy(path: String, problems: [String])

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "Cannot open the database at \(path): \(reason)"
        case .notStored(let reason): "The response was not stored: \(reason)"
        case .closed: "The store is closed."
        case .inUse(let databasePath, let lockPath):
            "The database \(databasePath) is in use by a running pingjia serve (or a restore): \(lockPath) is locked. Stop the server first (systemctl stop pingjia)."
        case .unusableCopy(let path, let problems):
            "The copy \(path) was not restored; nothing was changed. It failed these checks:\n  " + problems.joined(separator: "\n  ")
        }
    }
}
