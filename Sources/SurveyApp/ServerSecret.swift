import Synchronization
import Foundation
import Hashing
import Logging
import SurveyWeb

/// The server's signing keys, kept in a file of their own outside the database, so that a
/// copy of the database (a backup, an export) cannot be used to forge what the server signs.
///
/// The file is created on first start with mode 0600; `SigningKeys` describes its lines.
/// Rotating or retiring a key rewrites it whole (a new file renamed over the old), and a
/// running server picks the change up within seconds (`SecretFileWatcher`).
enum ServerSecret {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The default place: `pingjia.secret` in the database's folder.
    static func defaultPath(besideDatabase database: String) -> String {
        URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("pingjia.secret").path
    }

    /// Reads the keys, creating the file with a fresh key if there is none.
    static func loadOrCreate(at path: String) throws -> SigningKeys {
        if !FileManager.default.fileExists(atPath: path) {
            try create(at: path)
        }
        return try load(at: path)
    }

    static func load(at path: String) throws -> SigningKeys {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "The secret file \(path) cannot be read. It must belong to the user Pingjia runs as (mode 0600).")
        }
        do {
            return try SigningKeys(parsing: text)
        } catch {
            throw Problem(description: "The secret file \(path) is damaged: \(error). Restore it from a backup; a new file makes every printed QR card and every open form invalid.")
        }
    }

    /// Adds a key that signs from now on; returns its id.
    static func rotate(at path: String) throws -> String {
        let (text, id) = try loadOrCreate(at: path).rotated()
        try replace(at: path, with: text)
        return id
    }

    /// Retires a key: links signed with it are refused from now on.
    static func retire(_ id: String, at path: String) throws {
        do {
            try replace(at: path, with: try load(at: path).retiring(id))
        } catch let problem as SigningKeys.Problem {
            throw Problem(description: "Cannot retire \(id): \(problem).")
        }
    }

    private static func create(at path: String) throws {
        let text = SigningKeys.fresh().text
        // O_EXCL: two processes starting at once cannot both write a key.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return }
            throw Problem(description: "The secret file \(path) cannot be created (\(String(cString: strerror(errno)))). Its folder must be writable, or set server.secret_path.")
        }
        defer { close(descriptor) }
        try writeAll(text, to: descriptor, path: path)
    }

    /// Writes the new text beside the file, fsyncs it and renames it over the old one, so a
    /// crash leaves either the old keys or the new, never half a file.
    private static func replace(at path: String, with text: String) throws {
        let temporary = path + ".new"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw Problem(description: "Cannot write \(temporary) (\(String(cString: strerror(errno)))).")
        }
        do {
            try writeAll(text, to: descriptor, path: temporary)
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            throw Problem(description: "Cannot replace \(path) (\(String(cString: strerror(errno)))).")
        }
    }

    private static func writeAll(_ text: String, to descriptor: Int32, path: String) throws {
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw Problem(description: "The secret file \(path) could not be written.")
        }
    }
}

/// Reloads the signing keys into a running server when the secret file changes, so that a
/// rotation or a retirement takes effect within seconds and without a restart.
final class SecretFileWatcher: Sendable {
    private let stopped = Atomic<Bool>(false)

    init(path: String, ring: SigningKeyRing, logger: Logger, intervalSeconds: Double = 2) {
        // Read now, not when the thread first runs: a busy machine can start the thread
        // after a rotation, which it would then take for the state it started from.
        let initial = Self.modification(of: path)
        let thread = Thread { [self] in
            var last = initial
            while !stopped.load(ordering: .acquiring) {
                usleep(UInt32(intervalSeconds * 1_000_000))
                let now = Self.modification(of: path)
                guard now != last else { continue }
                last = now
                do {
                    ring.replace(with: try ServerSecret.load(at: path))
                    logger.notice("Reloaded the signing keys.", metadata: ["path": "\(path)", "current": "\(ring.keysInForce.current.id)"])
                } catch {
                    logger.error("Kept the signing keys in force: the secret file could not be read.", metadata: ["cause": "\(error)"])
                }
            }
        }
        thread.name = "pingjia-secret-watch"
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
    }

    private static func modification(of path: String) -> [Int] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        return [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_ino), Int(info.st_size)]
    }
}
