/// Failures of the store that a caller may want to tell apart.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The database could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// The write was not committed; nothing of it was stored.
    case notStored(reason: String)
    /// The writer is shutting down and takes no more work.
    case closed

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "Cannot open the database at \(path): \(reason)"
        case .notStored(let reason): "The response was not stored: \(reason)"
        case .closed: "The store is closed."
        }
    }
}
