import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on the file `<database>.lock` beside a database: `pingjia serve`
/// holds it for as long as it runs, and `pingjia restore` takes it before replacing the
/// database, so a restore can never pull the file out from under a running server and a
/// server cannot start in the middle of a restore.
///
/// The lock belongs to the open file description, so the kernel releases it when the
/// process exits, however it exits (even SIGKILL): a stale lock file on disk means
/// nothing and is never deleted. A separate file, rather than the database itself, because
/// a restore renames a new database into place and the lock must stay on one inode.
///
/// `@unchecked Sendable`: the descriptor is written once in `init` and closed once in
/// `release`, under `state`'s lock.
public final class DatabaseLock: @unchecked Sendable {
    /// The lock file's path.
    public let path: String
    private let state = NSLock()
    private var descriptor: Int32

    /// The lock file of the database at `databasePath`.
    public static func lockPath(forDatabaseAt databasePath: String) -> String {
        databasePath + ".lock"
    }

    /// Takes the lock of the database at `databasePath` without waiting, creating the lock
    /// file if needed; throws `StoreError.inUse` when another process holds it.
    public init(forDatabaseAt databasePath: String) throws {
        path = Self.lockPath(forDatabaseAt: databasePath)
        // Read-only is enough for flock. 0644: the file is empty, and a lock file created
        // by root (a restore) must still be openable by the service's own user.
        let fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        FileOwnership.giveToDirectoryOwner(fd, of: path)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            close(fd)
            if failure == EWOULDBLOCK {
                throw StoreError.inUse(databasePath: databasePath, lockPath: path)
            }
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(failure)))
        }
        descriptor = fd
    }

    /// Releases the lock; also done when the process ends.
    public func release() {
        state.lock()
        defer { state.unlock() }
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }

    deinit {
        release()
    }
}

/// Files that root creates for the service (a restored database, a lock file) must belong
/// to the service's user, or it could not open them after a restore run as root.
enum FileOwnership {
    /// When running as root, gives the open file `fd` at `path` the owner and group of the
    /// directory holding it (`/var/lib/pingjia` is pingjia:pingjia). Otherwise does nothing:
    /// a non-root process creates files as itself, which is already right.
    static func giveToDirectoryOwner(_ fd: Int32, of path: String) {
        guard geteuid() == 0 else { return }
        let folder = (path as NSString).deletingLastPathComponent
        var directory = stat()
        guard stat(folder.isEmpty ? "." : folder, &directory) == 0 else { return }
        _ = fchown(fd, directory.st_uid, directory.st_gid)
    }
}
