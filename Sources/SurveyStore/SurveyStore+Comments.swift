import Foundation
import GRDB
import SurveyCore

/// What became of a comment sent after its rating.
public enum CommentAttachment: Sendable, Equatable {
    /// The comment is now the response's (also when the same comment was attached before:
    /// a retry of a request whose answer was lost).
    case attached
    /// No response has that client id.
    case notFound
    /// The response was stored before the time allowed, or carries another comment already.
    case closed
}

extension SurveyStore {
    /// Attaches `comment` (already validated) to the response stored under `clientID`, once,
    /// and only if it was stored at or after `storedSinceMillis`: a citizen adds a comment
    /// on the thank-you screen just after rating, and nobody may append to old ratings.
    /// The comment search index follows through the table's update trigger.
    public func attachComment(_ comment: String, toClientID clientID: String, storedSinceMillis: Int64) throws -> CommentAttachment {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE response SET comment = ?
                    WHERE client_id = ? AND comment IS NULL AND created_at >= ?
                    """,
                arguments: [comment, clientID, storedSinceMillis]
            )
            if db.changesCount > 0 { return .attached }
            guard let row = try Row.fetchOne(
                db, sql: "SELECT comment FROM response WHERE client_id = ?", arguments: [clientID]
            ) else { return .notFound }
            let stored: String? = row["comment"]
            return stored == comment ? .attached : .closed
        }
    }
}
