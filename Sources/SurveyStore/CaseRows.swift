import Foundation
import GRDB
import SurveyCore

/// The SQL of the `"case"` and `case_event` tables, and the mapping between a row and a
/// `CaseFile`. A case's state is spread over plain columns that can be filtered and
/// counted (`state`, `callback_result`, `closed_as`); only the pending request is JSON.
enum CaseRows {
    /// Opens the case of a negative response; run in the response's own transaction.
    static let openSQL = """
        INSERT INTO "case" (response_id, department_id, opened_at, opened_day, deadline_day)
        VALUES (?1, ?2, ?3, ?4, ?5)
        """

    static let selectSQL = """
        SELECT c.id, c.response_id, d.code AS department_code, c.state, c.pending, c.assignee,
               c.opened_at, c.opened_day, c.deadline_day, c.extension_days, c.callback_attempts,
               c.callback_result, c.callback_note, c.rectified_at, c.closed_at, c.closed_as
        FROM "case" c JOIN department d ON d.id = c.department_id
        """

    static func fetch(id: Int64, in db: Database) throws -> CaseFile? {
        try Row.fetchOne(db.cachedStatement(sql: selectSQL + " WHERE c.id = ?"), arguments: [id]).map(decode)
    }

    static func fetch(responseID: Int64, in db: Database) throws -> CaseFile? {
        try Row.fetchOne(db.cachedStatement(sql: selectSQL + " WHERE c.response_id = ?"), arguments: [responseID]).map(decode)
    }

    static func decode(_ row: Row) -> CaseFile {
        let pending = decodePending(row["pending"])
        let callback = (row["callback_result"] as String?).flatMap(CallbackResult.init(rawValue:))
            .map { Callback(result: $0, note: row["callback_note"] ?? "") }
        let state: CaseState
        switch CaseStateName(rawValue: row["state"]) ?? .new {
        case .new: state = .new(pending: pending)
        case .inProgress: state = .inProgress(pending: pending)
        case .rectified: state = .rectified(callback ?? Callback(result: .unreachable, note: ""))
        case .closed:
            if (row["closed_as"] as String?) == "appeal_upheld", case .appeal(let appeal)? = pending {
                state = .closed(.appealUpheld(appeal))
            } else {
                state = .closed(.rectified(callback ?? Callback(result: .unreachable, note: "")))
            }
        }
        let rectifiedAt: Int64? = row["rectified_at"]
        return CaseFile(
            id: row["id"], responseID: row["response_id"], departmentCode: row["department_code"], state: state,
            assignee: row["assignee"], openedAtMillis: row["opened_at"],
            openedDay: LocalDay(daysSinceEpoch: row["opened_day"]), deadline: LocalDay(daysSinceEpoch: row["deadline_day"]),
            extensionDays: row["extension_days"], callbackAttempts: row["callback_attempts"],
            rectifiedAtMillis: rectifiedAt, closedAtMillis: row["closed_at"]
        )
    }

    /// Writes every changeable column of `file`; `timeZone` gives the rectified day.
    static func update(_ file: CaseFile, timeZone: TimeZone, in db: Database) throws {
        var pending = file.state.pending
        var callback: Callback?
        var closedAs: String?
        switch file.state {
        case .new, .inProgress: break
        case .rectified(let done): callback = done
        case .closed(let closure):
            closedAs = closure.name
            switch closure {
            case .rectified(let done): callback = done
            case .appealUpheld(let appeal): pending = .appeal(appeal)
            }
        }
        let rectifiedDay = file.rectifiedAtMillis.map { LocalDay(instantMillis: $0, in: timeZone).daysSinceEpoch }
        try db.execute(
            sql: """
                UPDATE "case" SET state = ?, pending = ?, assignee = ?, deadline_day = ?, extension_days = ?,
                    callback_attempts = ?, callback_result = ?, callback_note = ?, rectified_at = ?, rectified_day = ?,
                    closed_at = ?, closed_as = ?
                WHERE id = ?
                """,
            arguments: [
                file.state.name.rawValue, encode(pending), file.assignee, file.deadline.daysSinceEpoch, file.extensionDays,
                file.callbackAttempts, callback?.result.rawValue, callback?.note, file.rectifiedAtMillis, rectifiedDay,
                file.closedAtMillis, closedAs, file.id,
            ]
        )
    }

    /// Appends one event to a case's history.
    static func append(_ event: CaseEvent, caseID: Int64, actor: String, atMillis millis: Int64, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO case_event (case_id, at, actor, action, note, from_state, to_state, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                caseID, millis, actor, event.action.rawValue, event.note, event.from.rawValue, event.to.rawValue,
                encode(event.data) ?? "{}",
            ]
        )
    }

    static func history(caseID: Int64, in db: Database) throws -> [CaseHistoryEntry] {
        try Row.fetchAll(
            db,
            sql: "SELECT id, at, actor, action, note, from_state, to_state, data FROM case_event WHERE case_id = ? ORDER BY id",
            arguments: [caseID]
        ).map { row in
            let data = (try? JSONDecoder().decode([String: String].self, from: Data((row["data"] as String).utf8))) ?? [:]
            return CaseHistoryEntry(
                id: row["id"], atMillis: row["at"], actor: row["actor"],
                event: CaseEvent(
                    action: CaseActionName(rawValue: row["action"]) ?? .note,
                    from: CaseStateName(rawValue: row["from_state"]) ?? .new,
                    to: CaseStateName(rawValue: row["to_state"]) ?? .new,
                    note: row["note"], data: data
                )
            )
        }
    }

    /// The case as the audit log records it: what an action can change, and with `event`
    /// the action's note and particulars, as JSON with sorted keys.
    static func auditJSON(_ file: CaseFile, event: CaseEvent? = nil) -> String {
        var object: [String: Any] = [
            "state": file.state.name.rawValue, "assignee": file.assignee ?? NSNull(),
            "deadline": file.deadline.description, "extension_days": file.extensionDays,
            "callback_attempts": file.callbackAttempts, "department": file.departmentCode, "response_id": file.responseID,
        ]
        object["pending"] = CaseMachine.pendingName(file.state.pending) ?? NSNull()
        switch file.state {
        case .rectified(let callback), .closed(.rectified(let callback)):
            object["callback_result"] = callback.result.rawValue
        case .closed(.appealUpheld(let appeal)):
            object["closed_as"] = "appeal_upheld"
            object["ruling"] = appeal.ruling.rawValue
        case .new, .inProgress: break
        }
        if let event {
            object["note"] = event.note ?? NSNull()
            if !event.data.isEmpty { object["data"] = event.data }
        }
        // Strings, numbers, null and a map of strings: serialization cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func encode<Value: Encodable>(_ value: Value?) -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func decodePending(_ text: String?) -> PendingRequest? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(PendingRequest.self, from: Data(text.utf8))
    }
}
