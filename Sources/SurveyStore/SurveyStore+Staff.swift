import Foundation
import GRDB
import Hashing
import SurveyCore

/// A staff account as stored, without its password hash.
public struct StaffUser: Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var role: StaffRole
    public var disabled: Bool
    /// The codes of the departments the account is linked to, sorted.
    public var departmentCodes: [String]
    public var createdAtMillis: Int64
    public var updatedAtMillis: Int64

    /// The departments the account may see: every one for admins and viewers.
    public var departmentScope: DepartmentScope {
        role.seesEveryDepartment ? .all : .only(Set(departmentCodes))
    }

    /// The account as the audit log records it: never the password hash.
    var auditJSON: String {
        let object: [String: Any] = ["username": username, "role": role.rawValue, "disabled": disabled, "departments": departmentCodes]
        // Plain strings, bools and arrays of strings: serialization cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A signed-in session as stored, with its account.
public struct StaffSession: Sendable, Equatable {
    public var user: StaffUser
    /// The token every state-changing request of this session must carry.
    public var csrfToken: String
    public var createdAtMillis: Int64
    public var lastSeenAtMillis: Int64
    /// The absolute end of the session, however active it is.
    public var expiresAtMillis: Int64
}

/// One row of the audit log: who did what to which record, with the record before and after.
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    /// The username, `key:NAME` for an API key, or `cli:USER` for the command line.
    public var actor: String
    /// What was done, such as `user.create` or `session.start`.
    public var action: String
    public var subjectType: String
    public var subjectID: String?
    /// The record before the action, as JSON; nil when it did not exist.
    public var beforeJSON: String?
    /// The record after the action, as JSON; nil when it no longer exists.
    public var afterJSON: String?
    public var atMillis: Int64

    /// An entry to record; `id` and the time are set when it is stored.
    public init(actor: String, action: String, subjectType: String, subjectID: String?, beforeJSON: String?, afterJSON: String?) {
        self.init(id: 0, actor: actor, action: action, subjectType: subjectType, subjectID: subjectID,
                  beforeJSON: beforeJSON, afterJSON: afterJSON, atMillis: 0)
    }

    init(id: Int64, actor: String, action: String, subjectType: String, subjectID: String?, beforeJSON: String?, afterJSON: String?, atMillis: Int64) {
        self.id = id
        self.actor = actor
        self.action = action
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.beforeJSON = beforeJSON
        self.afterJSON = afterJSON
        self.atMillis = atMillis
    }
}

enum StaffRows {
    static let selectUser = "SELECT id, username, role, disabled, created_at, updated_at FROM staff_user"

    static func user(_ row: Row, in db: Database) throws -> StaffUser {
        let id: Int64 = row["id"]
        let codes = try String.fetchAll(db, sql: """
            SELECT d.code FROM staff_user_department l JOIN department d ON d.id = l.department_id
            WHERE l.user_id = ? ORDER BY d.code
            """, arguments: [id])
        let role: String = row["role"]
        return StaffUser(
            id: id, username: row["username"], role: StaffRole(rawValue: role) ?? .viewer, disabled: row["disabled"],
            departmentCodes: codes, createdAtMillis: row["created_at"], updatedAtMillis: row["updated_at"]
        )
    }

    static func user(named name: String, in db: Database) throws -> (user: StaffUser, passwordHash: String)? {
        guard let row = try Row.fetchOne(db, sql: selectUser.replacingOccurrences(of: "SELECT id,", with: "SELECT password_hash, id,")
            + " WHERE username = ?", arguments: [name.lowercased()]) else { return nil }
        return (try user(row, in: db), row["password_hash"])
    }

    static func insert(_ entry: AuditEntry, atMillis millis: Int64, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO audit_log (actor, action, subject_type, subject_id, before_json, after_json, at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [entry.actor, entry.action, entry.subjectType, entry.subjectID, entry.beforeJSON, entry.afterJSON, millis])
    }
}

extension SurveyStore {
    // MARK: Staff accounts

    /// Creates an account, linked to the departments with these codes, and audits it in
    /// the same transaction. The password must follow `StaffAccountRules`.
    @discardableResult
    public func createStaffUser(
        username: String, role: StaffRole, password: String, departmentCodes: [String], actor: String,
        atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> StaffUser {
        let name = try StaffAccountRules.normalizedUsername(username)
        try StaffAccountRules.checkPassword(password, username: name)
        let hash = PasswordHash.hash(password)
        return try pool.write { db in
            guard try StaffRows.user(named: name, in: db) == nil else { throw StaffAccountError.duplicateUsername(name) }
            try db.execute(
                sql: "INSERT INTO staff_user (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, role.rawValue, hash, millis, millis]
            )
            let id = db.lastInsertedRowID
            for code in Set(departmentCodes) {
                guard let department = try Int64.fetchOne(db, sql: "SELECT id FROM department WHERE code = ?", arguments: [code]) else {
                    throw StaffAccountError.unknownDepartment(code)
                }
                try db.execute(sql: "INSERT INTO staff_user_department (user_id, department_id) VALUES (?, ?)", arguments: [id, department])
            }
            let user = try StaffRows.user(named: name, in: db)!.user
            try StaffRows.insert(AuditEntry(
                actor: actor, action: "user.create", subjectType: "staff_user", subjectID: name, beforeJSON: nil, afterJSON: user.auditJSON
            ), atMillis: millis, in: db)
            return user
        }
    }

    /// The account with this name (in any letter case), or nil.
    public func staffUser(named name: String) throws -> StaffUser? {
        try pool.read { db in try StaffRows.user(named: name, in: db)?.user }
    }

    /// The account with this name and its stored password hash, for signing in; nil when
    /// there is no such account.
    public func staffCredentials(named name: String) throws -> (user: StaffUser, passwordHash: String)? {
        try pool.read { db in try StaffRows.user(named: name, in: db) }
    }

    /// Every account, by name.
    public func staffUsers() throws -> [StaffUser] {
        try pool.read { db in
            try Row.fetchAll(db, sql: StaffRows.selectUser + " ORDER BY username").map { try StaffRows.user($0, in: db) }
        }
    }

    /// Disables an account and ends its sessions; audited. Disabling twice changes nothing more.
    @discardableResult
    public func disableStaffUser(named name: String, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws -> StaffUser {
        try pool.write { db in
            guard let before = try StaffRows.user(named: name, in: db)?.user else { throw StaffAccountError.unknownUser(name) }
            try db.execute(sql: "UPDATE staff_user SET disabled = 1, updated_at = ? WHERE id = ?", arguments: [millis, before.id])
            try db.execute(sql: "DELETE FROM staff_session WHERE user_id = ?", arguments: [before.id])
            let after = try StaffRows.user(named: name, in: db)!.user
            try StaffRows.insert(AuditEntry(
                actor: actor, action: "user.disable", subjectType: "staff_user", subjectID: after.username,
                beforeJSON: before.auditJSON, afterJSON: after.auditJSON
            ), atMillis: millis, in: db)
            return after
        }
    }

    /// Sets a new password and ends every session of the account; audited (without the
    /// hashes). The password must follow `StaffAccountRules`.
    public func setStaffPassword(
        named name: String, password: String, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws {
        guard let existing = try staffUser(named: name) else { throw StaffAccountError.unknownUser(name) }
        try StaffAccountRules.checkPassword(password, username: existing.username)
        let hash = PasswordHash.hash(password)
        try pool.write { db in
            guard let user = try StaffRows.user(named: name, in: db)?.user else { throw StaffAccountError.unknownUser(name) }
            try db.execute(sql: "UPDATE staff_user SET password_hash = ?, updated_at = ? WHERE id = ?", arguments: [hash, millis, user.id])
            let ended = try Self.deleteSessions(ofUserID: user.id, in: db)
            try StaffRows.insert(AuditEntry(
                actor: actor, action: "user.password", subjectType: "staff_user", subjectID: user.username,
                beforeJSON: nil, afterJSON: "{\"sessions_ended\":\(ended)}"
            ), atMillis: millis, in: db)
        }
    }

    // MARK: Sessions

    /// Starts a session for `user`: `tokenHash` is the SHA-256 of the cookie's token (the
    /// token itself is never stored), the session ends at the latest at `expiresAtMillis`.
    /// Audited as `session.start`.
    public func startSession(
        tokenHash: [UInt8], csrfToken: String, user: StaffUser, expiresAtMillis: Int64, atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO staff_session (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [Data(tokenHash), user.id, csrfToken, millis, millis, expiresAtMillis])
            try StaffRows.insert(AuditEntry(
                actor: user.username, action: "session.start", subjectType: "staff_user", subjectID: user.username,
                beforeJSON: nil, afterJSON: nil
            ), atMillis: millis, in: db)
        }
    }

    /// The session whose token hashes to `tokenHash`, if its account is enabled. Expiry is
    /// the caller's to judge (it knows the idle limit); see `endSession(tokenHash:)`.
    public func session(forTokenHash tokenHash: [UInt8]) throws -> StaffSession? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.username
                FROM staff_session s JOIN staff_user u ON u.id = s.user_id
                WHERE s.token_hash = ? AND u.disabled = 0
                """, arguments: [Data(tokenHash)]) else { return nil }
            let name: String = row["username"]
            guard let user = try StaffRows.user(named: name, in: db)?.user else { return nil }
            return StaffSession(
                user: user, csrfToken: row["csrf_token"], createdAtMillis: row["created_at"],
                lastSeenAtMillis: row["last_seen_at"], expiresAtMillis: row["expires_at"]
            )
        }
    }

    /// Records that the session was used now, which restarts its idle time.
    public func touch(sessionTokenHash tokenHash: [UInt8], atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE staff_session SET last_seen_at = ? WHERE token_hash = ?", arguments: [millis, Data(tokenHash)])
        }
    }

    /// Ends one session. With an `actor`, audited as `session.end` (a sign-out); without,
    /// it is an expiry and only removed.
    public func endSession(tokenHash: [UInt8], actor: String? = nil, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM staff_session WHERE token_hash = ?", arguments: [Data(tokenHash)])
            if let actor {
                try StaffRows.insert(AuditEntry(
                    actor: actor, action: "session.end", subjectType: "staff_user", subjectID: actor, beforeJSON: nil, afterJSON: nil
                ), atMillis: millis, in: db)
            }
        }
    }

    /// Removes every session past its absolute end at `millis` or unused since
    /// `idleSinceMillis`, so sessions nobody comes back to do not pile up; returns how many.
    @discardableResult
    public func endExpiredSessions(atMillis millis: Int64, idleSinceMillis: Int64) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: "DELETE FROM staff_session WHERE expires_at <= ? OR last_seen_at <= ?", arguments: [millis, idleSinceMillis]
            )
            return db.changesCount
        }
    }

    /// Ends every session of the account; returns how many there were.
    @discardableResult
    public func endSessions(ofUser name: String) throws -> Int {
        try pool.write { db in
            guard let user = try StaffRows.user(named: name, in: db)?.user else { return 0 }
            return try Self.deleteSessions(ofUserID: user.id, in: db)
        }
    }

    /// How many sessions of the account are stored (expired ones are removed when next seen).
    public func sessionCount(ofUser name: String) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM staff_session s JOIN staff_user u ON u.id = s.user_id WHERE u.username = ?
                """, arguments: [name.lowercased()]) ?? 0
        }
    }

    private static func deleteSessions(ofUserID id: Int64, in db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM staff_session WHERE user_id = ?", arguments: [id])
        return db.changesCount
    }

    // MARK: Audit log

    /// Appends an entry to the audit log. Prefer the audited store methods, which write
    /// their entry in the transaction of the change itself.
    public func record(audit entry: AuditEntry, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws {
        try pool.write { db in try StaffRows.insert(entry, atMillis: millis, in: db) }
    }

    /// The latest `limit` entries, newest first; with `before`, only entries older than that id.
    public func auditEntries(limit: Int, before: Int64? = nil) throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, actor, action, subject_type, subject_id, before_json, after_json, at FROM audit_log
                WHERE id < ? ORDER BY id DESC LIMIT ?
                """, arguments: [before ?? Int64.max, max(0, limit)]).map { row in
                AuditEntry(
                    id: row["id"], actor: row["actor"], action: row["action"], subjectType: row["subject_type"],
                    subjectID: row["subject_id"], beforeJSON: row["before_json"], afterJSON: row["after_json"], atMillis: row["at"]
                )
            }
        }
    }
}
