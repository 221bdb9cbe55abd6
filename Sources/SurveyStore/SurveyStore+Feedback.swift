import Foundation
import GRDB
import SurveyCore

/// The SQL of the feedback review: one WHERE clause built from a filter and a scope, read
/// newest first by keyset on `(created_at, id)`.
///
/// Indexes: with a window or department the `(window_id, created_at)` and
/// `(department_id, created_at)` indexes give the order directly; "差评 only" has a partial
/// index of its own; otherwise `response_by_time`. A period is applied as a `created_at`
/// range (the instants its local days span in the center's zone) so those indexes can range
/// over it, and as a `local_day` range, which is what a period means. Staff, service item,
/// channel, level and comment filters are checked on the rows the index yields.
/// `FeedbackQueryPlanTests` checks these plans.
struct FeedbackSQL {
    var conditions: [String] = []
    var arguments: StatementArguments = []

    init(filter: FeedbackFilter, scope: DepartmentScope, timeZone: TimeZone) {
        if case .only(let codes) = scope {
            let sorted = codes.sorted()
            if sorted.isEmpty {
                conditions.append("0 = 1")
            } else if sorted.count == 1 {
                // One department (a head's usual scope) reads its index in order; a list
                // of several is merged and sorted, within the period asked for.
                conditions.append("r.department_id = (SELECT id FROM department WHERE code = ?)")
                arguments += StatementArguments(sorted)
            } else {
                conditions.append(
                    "r.department_id IN (SELECT id FROM department WHERE code IN (\(sorted.map { _ in "?" }.joined(separator: ", "))))"
                )
                arguments += StatementArguments(sorted)
            }
        }
        if let period = filter.period {
            conditions.append("r.created_at >= ? AND r.created_at < ? AND r.local_day BETWEEN ? AND ?")
            arguments += [
                period.firstDay.startMillis(in: timeZone), period.lastDay.advanced(by: 1).startMillis(in: timeZone),
                period.firstDay.daysSinceEpoch, period.lastDay.daysSinceEpoch,
            ]
        }
        // Codes become ids through the directory's unique code indexes. The column and
        // table names are fixed here, never taken from the client.
        let codes = [
            ("department_id", "department", filter.departmentCode), ("window_id", "service_window", filter.windowCode),
            ("staff_id", "staff", filter.staffCode), ("service_item_id", "service_item", filter.serviceItemCode),
        ]
        for case let (column, table, code?) in codes {
            conditions.append("r.\(column) = (SELECT id FROM \(table) WHERE code = ?)")
            arguments += [code]
        }
        if let channel = filter.channel {
            conditions.append("r.channel = ?")
            arguments += [channel.rawValue]
        }
        if let level = filter.level {
            if let dimension = level.dimension {
                // The column name comes from the enum, never from the client.
                conditions.append("r.\(dimension.rawValue) = ?")
                arguments += [level.level.rawValue]
            } else {
                conditions.append("(r.attitude = ? OR r.efficiency = ? OR r.result = ?)")
                arguments += [level.level.rawValue, level.level.rawValue, level.level.rawValue]
            }
        }
        if filter.negativeOnly {
            conditions.append("r.is_negative = 1")
        }
        switch filter.hasComment {
        case true?: conditions.append("r.comment IS NOT NULL AND r.comment <> ''")
        case false?: conditions.append("(r.comment IS NULL OR r.comment = '')")
        case nil: break
        }
        if !filter.statuses.isEmpty {
            let sorted = filter.statuses.map(\.rawValue).sorted()
            conditions.append("r.status IN (\(sorted.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(sorted)
        }
        switch FeedbackSearch(filter.search) {
        case .index(let phrase, let text)?:
            // The index covers rows up to `indexed_through`; newer ones are read directly.
            conditions.append("""
                (r.id IN (SELECT rowid FROM response_fts WHERE response_fts MATCH ?)
                 OR (r.id > (SELECT indexed_through FROM response_fts_progress) AND instr(lower(r.comment), lower(?)) > 0))
                """)
            arguments += [phrase, text]
        case .substring(let text)?:
            // lower() folds ASCII only, as the trigram tokenizer's folding matters only there
            // for the one- and two-character queries this serves.
            conditions.append("instr(lower(r.comment), lower(?)) > 0")
            arguments += [text]
        case nil:
            break
        }
    }

    static let select = """
        SELECT r.id, r.client_id, w.code AS window_code, d.code AS department_code,
               r.attitude, r.efficiency, r.result, r.comment, r.reasons, r.channel,
               i.code AS item_code, s.code AS staff_code, r.created_at, r.status, r.local_day, r.provenance, r.flag_rule
        FROM response r
        JOIN service_window w ON w.id = r.window_id
        JOIN department d ON d.id = r.department_id
        LEFT JOIN service_item i ON i.id = r.service_item_id
        LEFT JOIN staff s ON s.id = r.staff_id
        """

    /// The page after `cursor` (from the newest when nil), `limit` rows at most.
    func page(after cursor: FeedbackCursor?, limit: Int) -> (sql: String, arguments: StatementArguments) {
        var conditions = self.conditions
        var arguments = self.arguments
        if let cursor {
            conditions.append("(r.created_at, r.id) < (?, ?)")
            arguments += [cursor.createdAtMillis, cursor.id]
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit]
        return (Self.select + whereClause + " ORDER BY r.created_at DESC, r.id DESC LIMIT ?", arguments)
    }

    static func decode(_ row: Row) -> FeedbackEntry {
        FeedbackEntry(
            response: ResponseRows.decode(row),
            status: ResponseStatus(rawValue: row["status"]) ?? .valid,
            localDay: LocalDay(daysSinceEpoch: row["local_day"])
        )
    }
}

extension SurveyStore {
    /// The largest page `feedback(_:scope:after:limit:)` returns.
    public static let maxFeedbackPage = 1000

    /// A page of the responses that match `filter` within `scope`, newest first, starting
    /// after `cursor`. `limit` is clamped to 1...`maxFeedbackPage`.
    public func feedback(
        _ filter: FeedbackFilter, scope: DepartmentScope, after cursor: FeedbackCursor? = nil, limit: Int = 50
    ) throws -> FeedbackPage {
        let limit = min(max(limit, 1), Self.maxFeedbackPage)
        let (sql, arguments) = FeedbackSQL(filter: filter, scope: scope, timeZone: timeZone).page(after: cursor, limit: limit + 1)
        var entries = try pool.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(FeedbackSQL.decode) }
        var next: FeedbackCursor?
        if entries.count > limit {
            entries.removeLast(entries.count - limit)
            next = entries.last?.cursor
        }
        return FeedbackPage(entries: entries, next: next)
    }

    /// SQLite's plan for the first page of `filter`, one line per step, for the tests that
    /// check the review's queries use an index.
    public func feedbackQueryPlan(_ filter: FeedbackFilter, scope: DepartmentScope, paged: Bool = false) throws -> [String] {
        let cursor = paged ? FeedbackCursor(createdAtMillis: Int64.max, id: Int64.max) : nil
        let (sql, arguments) = FeedbackSQL(filter: filter, scope: scope, timeZone: timeZone).page(after: cursor, limit: 50)
        return try pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    /// Everything stored about response `id`, or nil when there is none inside `scope`: a
    /// response of another department is, to the caller, one that does not exist.
    public func feedbackDetail(id: Int64, scope: DepartmentScope) throws -> FeedbackDetail? {
        try pool.read { db in
            var sql = FeedbackSQL(filter: FeedbackFilter(), scope: scope, timeZone: timeZone)
            sql.conditions.append("r.id = ?")
            sql.arguments += [id]
            let (text, arguments) = sql.page(after: nil, limit: 1)
            guard let entry = try Row.fetchOne(db, sql: text, arguments: arguments).map(FeedbackSQL.decode) else { return nil }
            let names = try Row.fetchOne(
                db,
                sql: """
                    SELECT w.name AS window_name, d.name AS department_name, i.name AS item_name, s.name AS staff_name
                    FROM response r
                    JOIN service_window w ON w.id = r.window_id
                    JOIN department d ON d.id = r.department_id
                    LEFT JOIN service_item i ON i.id = r.service_item_id
                    LEFT JOIN staff s ON s.id = r.staff_id
                    WHERE r.id = ?
                    """,
                arguments: [id]
            )
            return FeedbackDetail(
                entry: entry, windowName: names?["window_name"] ?? "", departmentName: names?["department_name"] ?? "",
                serviceItemName: names?["item_name"], staffName: names?["staff_name"],
                statusChanges: try Self.statusChanges(responseID: id, in: db)
            )
        }
    }
}

extension SurveyStore {
    /// Adds up to `batch` responses stored since the last call to the search index, in one
    /// transaction; returns how many responses it covered. Batches stay small because the
    /// transaction holds the write lock that submissions wait for. Run in the background every few seconds (and
    /// safe to run at any time): searches read rows the index does not cover yet directly, so
    /// when this runs changes only how fast a search is, never what it finds.
    @discardableResult
    public func indexNewComments(batch: Int = 2_000) throws -> Int {
        try pool.write { db in
            let from = try Int64.fetchOne(db, sql: "SELECT indexed_through FROM response_fts_progress") ?? 0
            guard let through = try Int64.fetchOne(
                db, sql: "SELECT max(id) FROM (SELECT id FROM response WHERE id > ? ORDER BY id LIMIT ?)", arguments: [from, batch]
            ) else { return 0 }
            try db.execute(
                sql: """
                    INSERT INTO response_fts (rowid, comment)
                    SELECT id, comment FROM response WHERE id > ? AND id <= ? AND comment IS NOT NULL
                    """,
                arguments: [from, through]
            )
            try db.execute(sql: "UPDATE response_fts_progress SET indexed_through = ?", arguments: [through])
            return Int(through - from)
        }
    }
}
