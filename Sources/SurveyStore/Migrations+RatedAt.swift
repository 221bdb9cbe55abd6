import Foundation
import GRDB

extension Migrations {
    /// v14: the time a rating was given, beside the time it was stored (`created_at`).
    ///
    /// A kiosk that lost its network keeps ratings and sends them later; such a rating
    /// counts in the period it was given, so `local_day` follows `rated_at`. Rows stored
    /// before this migration were given when they arrived: NULL reads as `created_at`
    /// (`coalesce(rated_at, created_at)`), so nothing is rewritten and the migration is
    /// instant on a large table. No index: periods are read from the rollups by
    /// `local_day`, and the review keeps paging by arrival.
    static func registerRatedAt(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14-rated-at") { db in
            try db.execute(sql: "ALTER TABLE response ADD COLUMN rated_at INTEGER")
        }
    }
}
