import Foundation
import GRDB

extension Migrations {
    // MARK: Kiosk devices and visits (一次一评)

    /// v13: paired kiosk tablets, their one-use pairing codes, visits and the binding of at
    /// most one rating to each visit.
    ///
    /// Only hashes of codes and tokens are stored: a copy of the database cannot pair a
    /// tablet or rate a visit. `visit_rating`'s primary key is the visit, so the database
    /// itself refuses a second rating of a visit, whatever the code above it does.
    static func registerDevicesAndVisits(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13-devices-visits") { db in
            try db.execute(sql: """
                CREATE TABLE kiosk_device (
                    id INTEGER PRIMARY KEY,
                    window_id INTEGER NOT NULL REFERENCES service_window(id),
                    name TEXT NOT NULL,
                    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
                    paired_at INTEGER NOT NULL,
                    paired_by TEXT NOT NULL,
                    last_seen_at INTEGER,
                    revoked_at INTEGER,
                    revoked_by TEXT
                );
                CREATE TABLE device_pairing (
                    id INTEGER PRIMARY KEY,
                    code_hash BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
                    window_id INTEGER NOT NULL REFERENCES service_window(id),
                    device_name TEXT,
                    created_by TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER,
                    device_id INTEGER REFERENCES kiosk_device(id)
                );
                -- A visit (办件): a ticket or case served at a window. Times are UTC
                -- milliseconds; local_day is the day the visit was recorded, in the center's
                -- zone. expires_at: when it closes as unrated; link_expires_at: when its
                -- signed rating link stops working (never after expires_at).
                CREATE TABLE visit (
                    id INTEGER PRIMARY KEY,
                    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
                    ticket TEXT NOT NULL,
                    window_id INTEGER NOT NULL REFERENCES service_window(id),
                    department_id INTEGER NOT NULL REFERENCES department(id),
                    staff_id INTEGER REFERENCES staff(id),
                    service_item_id INTEGER REFERENCES service_item(id),
                    started_at INTEGER,
                    ended_at INTEGER,
                    created_at INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    local_day INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    link_expires_at INTEGER NOT NULL
                );
                -- The indicators read visits by day, per window (and so per department and staff).
                CREATE INDEX visit_by_day_window ON visit(local_day, window_id);
                CREATE TABLE visit_rating (
                    visit_id INTEGER PRIMARY KEY REFERENCES visit(id),
                    response_id INTEGER NOT NULL UNIQUE REFERENCES response(id),
                    rated_at INTEGER NOT NULL
                );
                """)
        }
    }
}
