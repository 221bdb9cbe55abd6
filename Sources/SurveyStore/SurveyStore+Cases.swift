import Foundation
import GRDB
import SurveyCore

/// One entry of a case's history: an action, who took it and when. Never changed or
/// deleted (triggers refuse it).
public struct CaseHistoryEntry: Sendable, Equatable {
    /// The event's id, increasing with time.
    public var id: Int64
    public var atMillis: Int64
    /// Who, as `Principal.auditName` names them.
    public var actor: String
    public var event: CaseEvent
}

/// A case with its history, oldest event first.
public struct CaseDetail: Sendable, Equatable {
    public var file: CaseFile
    public var history: [CaseHistoryEntry]
}

/// Which cases a list shows. Every list is inside `scope`, the principal's departments.
public struct CaseFilter: Sendable, Equatable {
    public var scope: DepartmentScope
    /// One state only.
    public var state: CaseStateName?
    /// One department only, by code (still within `scope`).
    public var departmentCode: String?
    /// Only open cases past their deadline (true) or only the others (false).
    public var overdue: Bool?
    /// Only the cases assigned to this username.
    public var assignee: String?

    public init(
        scope: DepartmentScope, state: CaseStateName? = nil, departmentCode: String? = nil,
        overdue: Bool? = nil, assignee: String? = nil
    ) {
        self.scope = scope
        self.state = state
        self.departmentCode = departmentCode
        self.overdue = overdue
        self.assignee = assignee
    }
}

/// A page of cases, newest first, and the cursor of the next page (nil on the last).
/// The cursor is the id of the last case shown: pages stay stable while cases open.
public struct CasePage: Sendable, Equatable {
    public var entries: [CaseFile]
    public var nextCursor: Int64?
}

/// Why the store refused a case operation, besides the machine's `CaseActionError`.
public enum CaseStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No case has this id, or it is outside the principal's departments: the two are
    /// told apart to no one.
    case caseNotFound(id: Int64)

    public var code: String { "case_not_found" }
    public var chineseMessage: String {
        switch self { case .caseNotFound(let id): "找不到编号为 \(id) 的案件。" }
    }
    public var englishMessage: String {
        switch self { case .caseNotFound(let id): "No case has id \(id)." }
    }
    public var description: String { englishMessage }
}

extension SurveyStore {
    /// The largest page `cases(filter:cursor:limit:)` returns.
    public static let maximumCasePage = 500

    /// The cases matching `filter`, newest first, after `cursor` (from the previous page's
    /// `nextCursor`). `today` decides what is overdue; by default, the center's today.
    public func cases(
        filter: CaseFilter, cursor: Int64? = nil, limit: Int = 50, today: LocalDay? = nil
    ) throws -> CasePage {
        let limit = min(max(limit, 1), Self.maximumCasePage)
        let today = today ?? LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: timeZone)
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if case .only(let codes) = filter.scope {
            guard !codes.isEmpty else { return CasePage(entries: [], nextCursor: nil) }
            conditions.append("d.code IN (" + Array(repeating: "?", count: codes.count).joined(separator: ", ") + ")")
            arguments += codes.sorted()
        }
        if let code = filter.departmentCode {
            conditions.append("d.code = ?")
            arguments.append(code)
        }
        if let state = filter.state {
            conditions.append("c.state = ?")
            arguments.append(state.rawValue)
        }
        if let overdue = filter.overdue {
            let open = "(c.state IN ('new', 'in_progress') AND c.deadline_day < ?)"
            conditions.append(overdue ? open : "NOT " + open)
            arguments.append(today.daysSinceEpoch)
        }
        if let assignee = filter.assignee {
            conditions.append("c.assignee = ?")
            arguments.append(assignee)
        }
        if let cursor {
            conditions.append("c.id < ?")
            arguments.append(cursor)
        }
        let sql = CaseRows.selectSQL
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY c.id DESC LIMIT ?"
        arguments.append(limit + 1)
        let files = try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map { $0?.databaseValue ?? .null })).map(CaseRows.decode)
        }
        let entries = Array(files.prefix(limit))
        return CasePage(entries: entries, nextCursor: files.count > limit ? entries.last?.id : nil)
    }

    /// The case with its history, or nil when there is none or it is outside `scope`.
    public func `case`(id: Int64, scope: DepartmentScope) throws -> CaseDetail? {
        try pool.read { db in
            guard let file = try CaseRows.fetch(id: id, in: db), scope.includes(file.departmentCode) else { return nil }
            return CaseDetail(file: file, history: try CaseRows.history(caseID: id, in: db))
        }
    }

    /// The case of a response, with its history, or nil when the response has none (it
    /// is not negative) or it is outside `scope`.
    public func `case`(responseID: Int64, scope: DepartmentScope) throws -> CaseDetail? {
        try pool.read { db in
            guard let file = try CaseRows.fetch(responseID: responseID, in: db), scope.includes(file.departmentCode) else { return nil }
            return CaseDetail(file: file, history: try CaseRows.history(caseID: file.id, in: db))
        }
    }

    /// Takes `action` on a case for `principal`, in one transaction: loads the case, asks
    /// `CaseMachine`, writes the new state, the event and an audit row (`case.<action>`, the
    /// case before and after), and for an upheld appeal flags the response (kept, excluded
    /// from every score, in the status audit and the audit log).
    ///
    /// Throws `CaseStoreError.caseNotFound` for a case outside the principal's departments,
    /// and the machine's `CaseActionError` for anything it refuses; nothing is written then.
    @discardableResult
    public func perform(
        _ action: CaseAction, on caseID: Int64, by principal: Principal, atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> CaseFile {
        try pool.write { db in
            guard let file = try CaseRows.fetch(id: caseID, in: db), principal.departments.includes(file.departmentCode) else {
                throw CaseStoreError.caseNotFound(id: caseID)
            }
            let decision = try CaseMachine.decide(action, on: file, by: principal, atMillis: millis, policy: casePolicy)
            try CaseRows.update(decision.file, timeZone: timeZone, in: db)
            try CaseRows.append(decision.event, caseID: caseID, actor: principal.auditName, atMillis: millis, in: db)
            try StaffRows.insert(AuditEntry(
                actor: principal.auditName, action: "case." + decision.event.action.rawValue, subjectType: "case",
                subjectID: String(caseID), beforeJSON: CaseRows.auditJSON(file),
                afterJSON: CaseRows.auditJSON(decision.file, event: decision.event)
            ), atMillis: millis, in: db)
            for effect in decision.effects {
                switch effect {
                case .flagResponse(let ruling, let reason):
                    let status: ResponseStatus = ruling == .invalid ? .invalid : .misuse
                    _ = try Self.changeStatus(
                        responseID: file.responseID, to: status, reason: "申诉成立 (case \(caseID)): \(reason)",
                        by: principal.auditName, atMillis: millis, in: db
                    )
                }
            }
            return decision.file
        }
    }

    /// The facts the case indicators of `period` are computed from: every case in `scope`
    /// opened in the period or due in it.
    public func caseFacts(period: Period, scope: DepartmentScope = .all) throws -> [CaseFacts] {
        let first = period.firstDay.daysSinceEpoch, last = period.lastDay.daysSinceEpoch
        let rows = try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.code AS department_code, c.opened_day, c.deadline_day, c.state, c.closed_as,
                           c.rectified_day, c.callback_result
                    FROM "case" c JOIN department d ON d.id = c.department_id
                    WHERE c.opened_day BETWEEN ?1 AND ?2 OR c.deadline_day BETWEEN ?1 AND ?2
                    """,
                arguments: [first, last]
            )
        }
        return rows.compactMap { row in
            let code: String = row["department_code"]
            guard scope.includes(code) else { return nil }
            let rectified: Int64? = row["rectified_day"]
            return CaseFacts(
                departmentCode: code, openedDay: LocalDay(daysSinceEpoch: row["opened_day"]),
                deadline: LocalDay(daysSinceEpoch: row["deadline_day"]),
                state: CaseStateName(rawValue: row["state"]) ?? .new,
                closedByAppeal: (row["closed_as"] as String?) == "appeal_upheld",
                rectifiedDay: rectified.map(LocalDay.init(daysSinceEpoch:)),
                callback: (row["callback_result"] as String?).flatMap(CallbackResult.init(rawValue:))
            )
        }
    }

    /// How many negative responses have no case; 0 unless the database was changed by hand.
    public func negativeResponsesWithoutCase() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM response r WHERE r.is_negative = 1
                AND NOT EXISTS (SELECT 1 FROM "case" c WHERE c.response_id = r.id)
                """) ?? 0
        }
    }
}
