import Foundation
import GRDB
import SurveyCore

/// A kiosk tablet paired with a window. Its token is never stored, only its SHA-256.
public struct KioskDevice: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var windowID: Int64
    public var windowCode: String
    public var pairedAtMillis: Int64
    public var pairedBy: String
    /// When the tablet was last seen, as last written; the web layer keeps fresher times
    /// in memory and writes them at most once a minute.
    public var lastSeenAtMillis: Int64?
    public var revokedAtMillis: Int64?

    public var isRevoked: Bool { revokedAtMillis != nil }
}

/// What redeeming a pairing code found.
public enum PairingRedemption: Sendable, Equatable {
    /// The code was good: this device now exists.
    case paired(KioskDevice)
    /// No code in force has this hash: unknown, used already, or past its ten minutes.
    case refused
}

enum DeviceRows {
    static let select = """
        SELECT d.id, d.name, d.window_id, w.code AS window_code, d.paired_at, d.paired_by, d.last_seen_at, d.revoked_at
        FROM kiosk_device d JOIN service_window w ON w.id = d.window_id
        """

    static func decode(_ row: Row) -> KioskDevice {
        KioskDevice(
            id: row["id"], name: row["name"], windowID: row["window_id"], windowCode: row["window_code"],
            pairedAtMillis: row["paired_at"], pairedBy: row["paired_by"], lastSeenAtMillis: row["last_seen_at"],
            revokedAtMillis: row["revoked_at"]
        )
    }

    static func fetch(id: Int64, in db: Database) throws -> KioskDevice? {
        try Row.fetchOne(db, sql: select + " WHERE d.id = ?", arguments: [id]).map(decode)
    }

    static func auditJSON(_ device: KioskDevice) -> String {
        let object: [String: Any] = [
            "id": device.id, "name": device.name, "window": device.windowCode,
            "revoked": device.isRevoked,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension SurveyStore {
    // MARK: Kiosk devices

    /// Stores a new pairing code for the window (its hash only), valid until
    /// `expiresAtMillis`, and audits it. Throws a constraint error in the one-in-billions
    /// case that the hash is taken; the caller draws another code.
    public func createPairingCode(
        codeHash: [UInt8], windowID: Int64, deviceName: String?, actor: String, atMillis millis: Int64, expiresAtMillis: Int64
    ) throws {
        try pool.write { db in
            // Codes past their time are of no use to anyone; they go as new ones come.
            try db.execute(sql: "DELETE FROM device_pairing WHERE used_at IS NULL AND expires_at < ?", arguments: [millis])
            try db.execute(sql: """
                INSERT INTO device_pairing (code_hash, window_id, device_name, created_by, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [Data(codeHash), windowID, deviceName, actor, millis, expiresAtMillis])
            try StaffRows.insert(AuditEntry(
                actor: actor, action: "device.pairing_code", subjectType: "window", subjectID: String(windowID),
                beforeJSON: nil, afterJSON: nil
            ), atMillis: millis, in: db)
        }
    }

    /// Uses up the pairing code with this hash, if it is in force, and pairs a device
    /// whose token has `tokenHash` with the code's window, in one transaction: a code pairs
    /// one tablet only, even when two try it at once.
    public func redeemPairingCode(codeHash: [UInt8], tokenHash: [UInt8], atMillis millis: Int64) throws -> PairingRedemption {
        try pool.write { db in
            guard let code = try Row.fetchOne(db, sql: """
                SELECT p.id, p.window_id, p.device_name, p.created_by, w.code AS window_code
                FROM device_pairing p JOIN service_window w ON w.id = p.window_id
                WHERE p.code_hash = ? AND p.used_at IS NULL AND p.expires_at > ?
                """, arguments: [Data(codeHash), millis]) else { return .refused }
            let windowCode: String = code["window_code"]
            let name: String = code["device_name"] ?? windowCode
            try db.execute(sql: """
                INSERT INTO kiosk_device (window_id, name, token_hash, paired_at, paired_by)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [code["window_id"] as Int64, name, Data(tokenHash), millis, code["created_by"] as String])
            let deviceID = db.lastInsertedRowID
            try db.execute(sql: "UPDATE device_pairing SET used_at = ?, device_id = ? WHERE id = ? AND used_at IS NULL",
                           arguments: [millis, deviceID, code["id"] as Int64])
            guard db.changesCount == 1, let device = try DeviceRows.fetch(id: deviceID, in: db) else {
                throw StoreError.notStored(reason: "pairing code used twice in one transaction")
            }
            try StaffRows.insert(AuditEntry(
                actor: device.pairedBy, action: "device.pair", subjectType: "device", subjectID: String(deviceID),
                beforeJSON: nil, afterJSON: DeviceRows.auditJSON(device)
            ), atMillis: millis, in: db)
            return .paired(device)
        }
    }

    /// The device whose token has this hash, revoked or not; nil for a token never issued.
    public func device(tokenHash: [UInt8]) throws -> KioskDevice? {
        try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: DeviceRows.select + " WHERE d.token_hash = ?"), arguments: [Data(tokenHash)])
                .map(DeviceRows.decode)
        }
    }

    public func device(id: Int64) throws -> KioskDevice? {
        try pool.read { db in try DeviceRows.fetch(id: id, in: db) }
    }

    /// Every device ever paired, in force first, then by window and id.
    public func devices() throws -> [KioskDevice] {
        try pool.read { db in
            try Row.fetchAll(db, sql: DeviceRows.select + " ORDER BY d.revoked_at IS NOT NULL, w.code, d.id").map(DeviceRows.decode)
        }
    }

    /// Renames a device, audited; nil when no device has the id.
    public func renameDevice(id: Int64, to name: String, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws -> KioskDevice? {
        try changeDevice(id: id, actor: actor, action: "device.rename", atMillis: millis) { db in
            try db.execute(sql: "UPDATE kiosk_device SET name = ? WHERE id = ?", arguments: [name, id])
        }
    }

    /// Revokes a device, audited: its ratings are unverified from then on. Revoking again
    /// changes nothing. Nil when no device has the id.
    public func revokeDevice(id: Int64, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws -> KioskDevice? {
        try changeDevice(id: id, actor: actor, action: "device.revoke", atMillis: millis) { db in
            try db.execute(sql: "UPDATE kiosk_device SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [millis, actor, id])
        }
    }

    private func changeDevice(
        id: Int64, actor: String, action: String, atMillis millis: Int64, _ change: (Database) throws -> Void
    ) throws -> KioskDevice? {
        try pool.write { db in
            guard let before = try DeviceRows.fetch(id: id, in: db) else { return nil }
            try change(db)
            guard let after = try DeviceRows.fetch(id: id, in: db) else { return nil }
            if after != before {
                try StaffRows.insert(AuditEntry(
                    actor: actor, action: action, subjectType: "device", subjectID: String(id),
                    beforeJSON: DeviceRows.auditJSON(before), afterJSON: DeviceRows.auditJSON(after)
                ), atMillis: millis, in: db)
            }
            return after
        }
    }

    /// Writes when devices were last seen, in one transaction; an older time never
    /// replaces a newer one.
    public func recordDevicesSeen(_ lastSeen: [Int64: Int64]) throws {
        guard !lastSeen.isEmpty else { return }
        try pool.write { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE kiosk_device SET last_seen_at = ?1 WHERE id = ?2 AND (last_seen_at IS NULL OR last_seen_at < ?1)
                """)
            for (id, millis) in lastSeen {
                try statement.execute(arguments: [millis, id])
            }
        }
    }
}
