import SurveyCore
import SurveyStore
import Synchronization

/// The center's directory as the running server sees it: an immutable snapshot, replaced
/// whole after every change.
///
/// A request reads `current` once and works with that value to the end, so it sees the
/// directory before a change or after it, never half of each. Changes made through this
/// server replace the snapshot at once (`reload()`); changes made by another process (the
/// command line) are found by `reloadIfChanged()`, which compares the store's directory
/// version, a single row read, and is called every two seconds by the server.
public final class LiveDirectory: Sendable {
    private let store: SurveyStore
    private let snapshot: Mutex<Directory>
    private let replaced: @Sendable (Directory) -> Void

    /// - Parameter replaced: called after each new snapshot is in place (caches keyed by
    ///   the directory are cleared there).
    init(store: SurveyStore, replaced: @escaping @Sendable (Directory) -> Void = { _ in }) throws {
        self.store = store
        self.snapshot = Mutex(try store.directory())
        self.replaced = replaced
    }

    /// The directory in force.
    public var current: Directory { snapshot.withLock { $0 } }

    /// Reads the directory again and puts it in force, unless a newer one already is.
    @discardableResult
    public func reload() throws -> Directory {
        let fresh = try store.directory()
        let installed = snapshot.withLock { current -> Bool in
            // Two reloads may finish out of order: the newer version wins.
            guard fresh.version >= current.version else { return false }
            current = fresh
            return true
        }
        if installed { replaced(fresh) }
        return installed ? fresh : current
    }

    /// Reloads only when the store's directory version differs from the snapshot's; returns
    /// whether it did.
    @discardableResult
    public func reloadIfChanged() throws -> Bool {
        let version = try store.directoryVersion()
        guard version != current.version else { return false }
        try reload()
        return true
    }
}
