import Foundation
import GRDB
import SurveyCore

/// The open 差评 cases of some departments, as the staff dashboard shows them: the ones
/// whose deadline comes first, and how many are open and overdue in all.
public struct OpenCaseSummary: Sendable, Equatable {
    /// Open cases (待核实 or 整改中), earliest deadline first, at most the limit asked for.
    public var earliest: [CaseFile]
    /// Every open case within the scope.
    public var open: Int
    /// Open cases whose deadline is before today.
    public var overdue: Int
}

extension SurveyStore {
    /// The open cases within `scope`: counts, and the `limit` with the earliest deadlines.
    /// `today` decides what is overdue; by default the center's today.
    public func openCases(scope: DepartmentScope, limit: Int = 20, today: LocalDay? = nil) throws -> OpenCaseSummary {
        let today = today ?? LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: timeZone)
        var conditions = ["c.state IN ('new', 'in_progress')"]
        var arguments: [DatabaseValue] = []
        if case .only(let codes) = scope {
            guard !codes.isEmpty else { return OpenCaseSummary(earliest: [], open: 0, overdue: 0) }
            conditions.append("d.code IN (" + Array(repeating: "?", count: codes.count).joined(separator: ", ") + ")")
            arguments += codes.sorted().map(\.databaseValue)
        }
        let whereClause = " WHERE " + conditions.joined(separator: " AND ")
        return try pool.read { db in
            let count = "SELECT count(*) FROM \"case\" c JOIN department d ON d.id = c.department_id" + whereClause
            let open = try Int.fetchOne(db, sql: count, arguments: StatementArguments(arguments)) ?? 0
            let overdue = try Int.fetchOne(
                db, sql: count + " AND c.deadline_day < ?", arguments: StatementArguments(arguments + [today.daysSinceEpoch.databaseValue])
            ) ?? 0
            let earliest = try Row.fetchAll(
                db,
                sql: CaseRows.selectSQL + whereClause + " ORDER BY c.deadline_day, c.id LIMIT ?",
                arguments: StatementArguments(arguments + [min(max(limit, 1), Self.maximumCasePage).databaseValue])
            ).map(CaseRows.decode)
            return OpenCaseSummary(earliest: earliest, open: open, overdue: overdue)
        }
    }
}
