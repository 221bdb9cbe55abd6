import Foundation
import GRDB
import SurveyCore

/// Reads for the staff's live 差评 feed: where the responses stand now, and the 差评
/// stored after a given response, for an event stream that reconnects (`Last-Event-ID`)
/// and for the polling fallback.
extension SurveyStore {
    /// The most 差评 `negativeResponses(after:scope:limit:)` returns at once.
    public static let maxNegativeCatchUp = 200

    /// The id of the newest response stored, 0 when there is none. Ids grow with each
    /// commit (one writer), so "after this id" means "stored after this moment".
    public func latestResponseID() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM response") ?? 0 }
    }

    /// The 差评 within `scope` stored after response `id`, oldest first, at most `limit`
    /// (clamped to `maxNegativeCatchUp`).
    public func negativeResponses(after id: Int64, scope: DepartmentScope, limit: Int = 50) throws -> [FeedbackEntry] {
        var filter = FeedbackFilter()
        filter.negativeOnly = true
        var sql = FeedbackSQL(filter: filter, scope: scope, timeZone: timeZone)
        sql.conditions.append("r.id > ?")
        sql.arguments += [id]
        sql.arguments += [min(max(limit, 1), Self.maxNegativeCatchUp)]
        let text = FeedbackSQL.select + " WHERE " + sql.conditions.joined(separator: " AND ") + " ORDER BY r.id LIMIT ?"
        return try pool.read { db in try Row.fetchAll(db, sql: text, arguments: sql.arguments).map(FeedbackSQL.decode) }
    }
}
