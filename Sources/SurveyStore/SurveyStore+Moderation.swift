import Foundation
import GRDB
import SurveyCore

/// Whether a stored response counts. Only `valid` responses are in tallies; the others
/// are kept, so an appeal (申诉复核) can restore them.
public enum ResponseStatus: String, Sendable, CaseIterable, Codable {
    /// Counts in every figure.
    case valid
    /// Misuse of the device or the form (HappyOrNot's misuse flag), found on review.
    case misuse
    /// Ruled invalid through an audited review (无效差评审核).
    case invalid
    /// A test press by staff or an installer.
    case test
    /// Flagged by a rule when it arrived (its `flag_rule`: a rate limit, the honeypot);
    /// kept for review, where staff restore it (`valid`) or confirm it (`misuse`).
    case suspect
}

/// One entry of the status audit: who moved a response from one status to another, when
/// and why. Entries are never changed or deleted (triggers refuse it).
public struct StatusChange: Sendable, Equatable {
    /// The audit row's id, increasing with time.
    public var id: Int64
    public var responseID: Int64
    /// The status before and after.
    public var from: ResponseStatus
    public var to: ResponseStatus
    /// Why, as the reviewer wrote it (required).
    public var reason: String
    /// Who made the change, as the caller names them (a user name); nil when not given.
    public var changedBy: String?
    /// When, in milliseconds since 1970-01-01T00:00:00Z.
    public var changedAtMillis: Int64
}

/// Why a status change was refused, with a stable `code` and messages for people.
public enum ModerationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No response has this id.
    case responseNotFound(id: Int64)
    /// A change of status needs a reason for the audit.
    case reasonRequired

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .responseNotFound: "response_not_found"
        case .reasonRequired: "status_reason_required"
        }
    }

    /// The message for people, in Chinese.
    public var chineseMessage: String {
        switch self {
        case .responseNotFound(let id): "找不到编号为 \(id) 的评价。"
        case .reasonRequired: "更改评价状态必须填写原因。"
        }
    }

    /// The message for people, in English.
    public var englishMessage: String {
        switch self {
        case .responseNotFound(let id): "No response has id \(id)."
        case .reasonRequired: "A reason is required to change a response's status."
        }
    }

    public var description: String { englishMessage }
}

extension SurveyStore {
    /// Sets a response's status, in one transaction with the rollups and the audit: a
    /// response leaving `valid` is taken out of every tally, one returning to `valid` is
    /// counted again, and an audit row records the change. The response itself is kept.
    ///
    /// Returns the audit entry, or nil when the response already had `status` (nothing
    /// changes and nothing is recorded). Throws `ModerationError` for an unknown response
    /// or a blank reason.
    @discardableResult
    public func setStatus(
        responseID: Int64, status: ResponseStatus, reason: String, by changedBy: String? = nil,
        atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> StatusChange? {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ModerationError.reasonRequired }
        return try pool.write { db in
            let change = try Self.changeStatus(responseID: responseID, to: status, reason: reason, by: changedBy, atMillis: millis, in: db)
            if change != nil, status == .valid { try openCaseIfMissing(responseID: responseID, atMillis: millis, in: db) }
            return change
        }
    }

    /// Opens the 差评 case of a negative response made valid now, if it has none: a
    /// suspect 差评 opens no case when it arrives, so its case starts when staff restore it.
    private func openCaseIfMissing(responseID: Int64, atMillis millis: Int64, in db: Database) throws {
        let day = LocalDay(instantMillis: millis, in: timeZone)
        let deadline = casePolicy.deadline(openedOn: day)
        try db.execute(
            sql: """
                INSERT INTO "case" (response_id, department_id, opened_at, opened_day, deadline_day)
                SELECT id, department_id, ?, ?, ? FROM response
                WHERE id = ? AND is_negative = 1 AND NOT EXISTS (SELECT 1 FROM "case" WHERE response_id = response.id)
                """,
            arguments: [millis, day.daysSinceEpoch, deadline.daysSinceEpoch, responseID]
        )
    }

    /// `setStatus` inside the caller's transaction: the rollups, the row, the status audit
    /// and the general audit log (`response.status`, by `changedBy` or `cli`) change
    /// together. Also used by an upheld case appeal. `reason` is already trimmed.
    static func changeStatus(
        responseID: Int64, to status: ResponseStatus, reason: String, by changedBy: String?, atMillis millis: Int64,
        in db: Database
    ) throws -> StatusChange? {
        guard let text = try String.fetchOne(db, sql: "SELECT status FROM response WHERE id = ?", arguments: [responseID]),
              let current = ResponseStatus(rawValue: text) else {
            throw ModerationError.responseNotFound(id: responseID)
        }
        guard current != status else { return nil }
        // Each call counts the row only if it is valid at that moment.
        try Rollups.uncount(responseID: responseID, in: db)
        try db.execute(sql: "UPDATE response SET status = ? WHERE id = ?", arguments: [status.rawValue, responseID])
        try Rollups.count(responseID: responseID, in: db)
        try db.execute(
            sql: """
                INSERT INTO response_status_change (response_id, from_status, to_status, reason, changed_by, changed_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [responseID, current.rawValue, status.rawValue, reason, changedBy, millis]
        )
        let changeID = db.lastInsertedRowID
        try StaffRows.insert(AuditEntry(
            actor: changedBy ?? "cli", action: "response.status", subjectType: "response", subjectID: String(responseID),
            beforeJSON: statusJSON(current, reason: nil), afterJSON: statusJSON(status, reason: reason)
        ), atMillis: millis, in: db)
        return StatusChange(
            id: changeID, responseID: responseID, from: current, to: status,
            reason: reason, changedBy: changedBy, changedAtMillis: millis
        )
    }

    /// A response's status as the audit log records it.
    private static func statusJSON(_ status: ResponseStatus, reason: String?) -> String {
        var object: [String: String] = ["status": status.rawValue]
        object["reason"] = reason
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The status of a response, or nil when there is no such response.
    public func status(responseID: Int64) throws -> ResponseStatus? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM response WHERE id = ?", arguments: [responseID])
                .flatMap(ResponseStatus.init(rawValue:))
        }
    }

    /// Every status change of a response, oldest first.
    public func statusChanges(responseID: Int64) throws -> [StatusChange] {
        try pool.read { db in try Self.statusChanges(responseID: responseID, in: db) }
    }

    /// Every status change of a response, oldest first, read in the caller's transaction.
    static func statusChanges(responseID: Int64, in db: Database) throws -> [StatusChange] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, response_id, from_status, to_status, reason, changed_by, changed_at
                FROM response_status_change WHERE response_id = ? ORDER BY id
                """,
            arguments: [responseID]
        ).map { row in
            StatusChange(
                id: row["id"], responseID: row["response_id"],
                from: ResponseStatus(rawValue: row["from_status"]) ?? .valid,
                to: ResponseStatus(rawValue: row["to_status"]) ?? .valid,
                reason: row["reason"], changedBy: row["changed_by"], changedAtMillis: row["changed_at"]
            )
        }
    }
}
