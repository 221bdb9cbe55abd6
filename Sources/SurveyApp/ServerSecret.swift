import Foundation
import Hashing

/// The server's secret key, kept in a file of its own outside the database, so that a copy
/// of the database (a backup, an export) cannot be used to forge what the server signs.
///
/// The file is created on first start with mode 0600 and holds one line per key, the
/// newest last: a key id, a space, and 64 hexadecimal digits. Signing uses the newest key.
enum ServerSecret {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The default place: `pingjia.secret` in the database's folder.
    static func defaultPath(besideDatabase database: String) -> String {
        URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("pingjia.secret").path
    }

    /// Reads the newest key, creating the file with a fresh key if there is none.
    static func loadOrCreate(at path: String) throws -> HMACKey {
        if !FileManager.default.fileExists(atPath: path) {
            try create(at: path)
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "The secret file \(path) cannot be read. It must belong to the user Pingjia runs as (mode 0600).")
        }
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
        guard let last = lines.last, let hexKey = last.split(separator: " ").last,
              let bytes = decodeHex(hexKey), let key = HMACKey(bytes: bytes) else {
            throw Problem(description: "The secret file \(path) is damaged: each line must be a key id, a space and 64 hexadecimal digits. Restore it from a backup; deleting it makes every printed QR card and open form invalid.")
        }
        return key
    }

    private static func create(at path: String) throws {
        let line = "k1 \(hex(randomBytes(32)))\n"
        // O_EXCL: two processes starting at once cannot both write a key.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return }
            throw Problem(description: "The secret file \(path) cannot be created (\(String(cString: strerror(errno)))). Its folder must be writable, or set server.secret_path.")
        }
        defer { close(descriptor) }
        let bytes = Array(line.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw Problem(description: "The secret file \(path) could not be written.")
        }
    }

    private static func decodeHex(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
