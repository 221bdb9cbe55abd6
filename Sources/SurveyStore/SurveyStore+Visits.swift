import Foundation
import GRDB
import SurveyCore

/// A visit (办件) as stored: a ticket or case served at a window, and the rating bound to
/// it if any. Its token is never stored, only its SHA-256.
public struct VisitRecord: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Waiting for its rating.
        case open
        /// A rating is bound to it.
        case rated
        /// Its rating window passed without a rating: it counts as an unrated visit.
        case unrated
    }

    public var id: Int64
    public var ticket: String
    public var windowID: Int64
    public var windowCode: String
    public var departmentCode: String
    public var staffCode: String?
    public var serviceItemCode: String?
    public var startedAtMillis: Int64?
    public var endedAtMillis: Int64?
    public var createdAtMillis: Int64
    public var createdBy: String
    public var expiresAtMillis: Int64
    public var linkExpiresAtMillis: Int64
    /// The response bound to the visit, and its client id.
    public var responseID: Int64?
    public var ratingClientID: String?

    /// Where the visit stands at `millis`: a visit closes as unrated at `expiresAtMillis`
    /// without any write, so no sweeper is needed and no clock can skip a closing.
    public func state(atMillis millis: Int64) -> State {
        if responseID != nil { return .rated }
        return millis < expiresAtMillis ? .open : .unrated
    }
}

/// A visit to record; the store adds the department and the local day.
public struct NewVisit: Sendable {
    public var tokenHash: [UInt8]
    public var ticket: String
    public var window: ServiceWindow
    public var staff: StaffMember?
    public var serviceItem: ServiceItem?
    public var startedAtMillis: Int64?
    public var endedAtMillis: Int64?
    public var createdBy: String
    public var expiresAtMillis: Int64
    public var linkExpiresAtMillis: Int64

    public init(
        tokenHash: [UInt8], ticket: String, window: ServiceWindow, staff: StaffMember?, serviceItem: ServiceItem?,
        startedAtMillis: Int64?, endedAtMillis: Int64?, createdBy: String, expiresAtMillis: Int64, linkExpiresAtMillis: Int64
    ) {
        self.tokenHash = tokenHash
        self.ticket = ticket
        self.window = window
        self.staff = staff
        self.serviceItem = serviceItem
        self.startedAtMillis = startedAtMillis
        self.endedAtMillis = endedAtMillis
        self.createdBy = createdBy
        self.expiresAtMillis = expiresAtMillis
        self.linkExpiresAtMillis = linkExpiresAtMillis
    }
}

/// How visit facts are grouped for the indicators.
public enum VisitGrouping: Sendable {
    case center
    case department
    /// Windows, of one department or of all.
    case window(departmentID: Int64?)
    /// Staff members of one department; visits that name no one form a group of their own.
    case staff(departmentID: Int64)
}

extension VisitGrouping {
    var isCenter: Bool {
        if case .center = self { return true }
        return false
    }
}

/// One group of visit facts.
public enum VisitGroup: Hashable, Sendable {
    case center
    case department(id: Int64)
    case window(id: Int64)
    case staff(id: Int64?)
}

extension SurveyStore {
    // MARK: Visits (一次一评)

    /// Records a visit; its token's hash must be new.
    public func createVisit(_ visit: NewVisit, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws -> VisitRecord {
        try pool.write { db in
            try VisitRows.insert(visit, atMillis: millis, in: db)
            guard let record = try VisitRows.fetch(id: db.lastInsertedRowID, in: db) else {
                throw StoreError.notStored(reason: "visit not found after its insert")
            }
            return record
        }
    }

    /// Stores visits of the past with the times they were recorded, each bound to the
    /// stored response with `ratedBy`'s client id if there is one, in one transaction: for
    /// loading history (the demo center, migrations from other systems). A client id not
    /// stored leaves its visit unrated. Returns how many visits were bound to a rating.
    @discardableResult
    public func importVisits(_ visits: [(visit: NewVisit, atMillis: Int64, ratedBy: String?)]) throws -> Int {
        try pool.write { db in
            var bound = 0
            for (visit, millis, clientID) in visits {
                try VisitRows.insert(visit, atMillis: millis, in: db)
                guard let clientID else { continue }
                // Rated when the response was stored, as the writer binds a live rating.
                try db.cachedStatement(sql: """
                    INSERT INTO visit_rating (visit_id, response_id, rated_at)
                    SELECT ?, id, created_at FROM response WHERE client_id = ?
                    """).execute(arguments: [db.lastInsertedRowID, clientID])
                bound += db.changesCount
            }
            return bound
        }
    }

    /// The visit whose token has this hash.
    public func visit(tokenHash: [UInt8]) throws -> VisitRecord? {
        try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: VisitRows.select + " WHERE v.token_hash = ?"), arguments: [Data(tokenHash)])
                .map(VisitRows.decode)
        }
    }

    public func visit(id: Int64) throws -> VisitRecord? {
        try pool.read { db in try VisitRows.fetch(id: id, in: db) }
    }

    /// The latest visits, newest first, optionally of one window.
    public func recentVisits(windowID: Int64? = nil, limit: Int = 50) throws -> [VisitRecord] {
        try pool.read { db in
            let filter = windowID == nil ? "" : " WHERE v.window_id = ?"
            let arguments: StatementArguments = windowID.map { [$0, limit] } ?? [limit]
            return try Row.fetchAll(db, sql: VisitRows.select + filter + " ORDER BY v.id DESC LIMIT ?", arguments: arguments)
                .map(VisitRows.decode)
        }
    }

    /// The visit facts of `period`, by `grouping`: visits created on the period's days,
    /// those rated (whenever the rating came), the days with visits, and handling times.
    public func visitFacts(_ period: Period, by grouping: VisitGrouping) throws -> [VisitGroup: VisitFacts] {
        try pool.read { db in try VisitRows.facts(period, by: grouping, in: db) }
    }
}

/// The SQL of visits, including the binding of a rating to its visit on the writer's path.
enum VisitRows {
    static let select = """
        SELECT v.id, v.ticket, v.window_id, w.code AS window_code, d.code AS department_code, s.code AS staff_code,
               i.code AS item_code, v.started_at, v.ended_at, v.created_at, v.created_by, v.expires_at, v.link_expires_at,
               vr.response_id, r.client_id AS rating_client_id
        FROM visit v
        JOIN service_window w ON w.id = v.window_id
        JOIN department d ON d.id = v.department_id
        LEFT JOIN staff s ON s.id = v.staff_id
        LEFT JOIN service_item i ON i.id = v.service_item_id
        LEFT JOIN visit_rating vr ON vr.visit_id = v.id
        LEFT JOIN response r ON r.id = vr.response_id
        """

    static func decode(_ row: Row) -> VisitRecord {
        VisitRecord(
            id: row["id"], ticket: row["ticket"], windowID: row["window_id"], windowCode: row["window_code"],
            departmentCode: row["department_code"], staffCode: row["staff_code"], serviceItemCode: row["item_code"],
            startedAtMillis: row["started_at"], endedAtMillis: row["ended_at"], createdAtMillis: row["created_at"],
            createdBy: row["created_by"], expiresAtMillis: row["expires_at"], linkExpiresAtMillis: row["link_expires_at"],
            responseID: row["response_id"], ratingClientID: row["rating_client_id"]
        )
    }

    static func insert(_ visit: NewVisit, atMillis millis: Int64, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO visit (token_hash, ticket, window_id, department_id, staff_id, service_item_id, started_at, ended_at,
                               created_at, created_by, local_day, expires_at, link_expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, pingjia_local_day(?), ?, ?)
            """).execute(arguments: [
                Data(visit.tokenHash), visit.ticket, visit.window.id, visit.window.departmentID, visit.staff?.id,
                visit.serviceItem?.id, visit.startedAtMillis, visit.endedAtMillis, millis, visit.createdBy, millis,
                visit.expiresAtMillis, visit.linkExpiresAtMillis,
            ])
    }

    static func fetch(id: Int64, in db: Database) throws -> VisitRecord? {
        try Row.fetchOne(db, sql: select + " WHERE v.id = ?", arguments: [id]).map(decode)
    }

    static let ratingSQL = """
        SELECT vr.response_id, r.client_id FROM visit_rating vr JOIN response r ON r.id = vr.response_id WHERE vr.visit_id = ?
        """
    static let bindSQL = "INSERT INTO visit_rating (visit_id, response_id, rated_at) VALUES (?, ?, ?)"

    /// `ResponseRows.insert`, and for a submission bound to a visit, the binding in the same
    /// transaction. A visit rated already under another client id gets
    /// `.visitAlreadyRated` and nothing is stored; the same client id is a replay (or a
    /// conflict) of the rating it sent. Submissions without a visit pay one nil check.
    static func insert(
        _ submission: ValidatedSubmission, atMillis millis: Int64, in db: Database, rollups: inout RollupBatch,
        cases: CasePolicy
    ) throws -> RecordOutcome {
        guard let visitID = submission.visitID else {
            return try ResponseRows.insert(submission, atMillis: millis, in: db, rollups: &rollups, cases: cases)
        }
        if let bound = try Row.fetchOne(db.cachedStatement(sql: ratingSQL), arguments: [visitID]) {
            let clientID: String = bound["client_id"]
            if clientID != submission.clientID, let original = try ResponseRows.fetch(id: bound["response_id"], in: db) {
                return RecordOutcome(response: original, kind: .visitAlreadyRated)
            }
        }
        let outcome = try ResponseRows.insert(submission, atMillis: millis, in: db, rollups: &rollups, cases: cases)
        if outcome.kind == .stored {
            // The visit's primary key in visit_rating is the database's own guard of 一次一评.
            try db.cachedStatement(sql: bindSQL).execute(arguments: [visitID, outcome.response.id, millis])
        }
        return outcome
    }

    static func facts(_ period: Period, by grouping: VisitGrouping, in db: Database) throws -> [VisitGroup: VisitFacts] {
        let key: String
        var filter = ""
        var arguments: StatementArguments = [period.firstDay.daysSinceEpoch, period.lastDay.daysSinceEpoch]
        switch grouping {
        case .center:
            key = "0"
        case .department:
            key = "v.department_id"
        case .window(let departmentID):
            key = "v.window_id"
            if let departmentID {
                filter = " AND v.department_id = ?"
                arguments += [departmentID]
            }
        case .staff(let departmentID):
            key = "v.staff_id"
            filter = " AND v.department_id = ?"
            arguments += [departmentID]
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(key) AS group_key, count(*) AS visits, count(vr.visit_id) AS rated,
                   count(DISTINCT v.local_day) AS days,
                   sum(CASE WHEN v.started_at IS NOT NULL AND v.ended_at >= v.started_at THEN 1 ELSE 0 END) AS timed,
                   sum(CASE WHEN v.started_at IS NOT NULL AND v.ended_at >= v.started_at THEN v.ended_at - v.started_at ELSE 0 END) AS handling
            FROM visit v LEFT JOIN visit_rating vr ON vr.visit_id = v.id
            WHERE v.local_day BETWEEN ? AND ?\(filter)
            \(grouping.isCenter ? "" : "GROUP BY \(key)")
            """, arguments: arguments)
        var result: [VisitGroup: VisitFacts] = [:]
        for row in rows where (row["visits"] as Int64? ?? 0) > 0 {
            let facts = VisitFacts(
                visits: row["visits"], ratedVisits: row["rated"], daysWithVisits: row["days"],
                timedVisits: row["timed"] ?? 0, handlingMillis: row["handling"] ?? 0
            )
            let id: Int64? = row["group_key"]
            switch grouping {
            case .center: result[.center] = facts
            case .department: result[.department(id: id ?? 0)] = facts
            case .window: result[.window(id: id ?? 0)] = facts
            case .staff: result[.staff(id: id)] = facts
            }
        }
        return result
    }
}
