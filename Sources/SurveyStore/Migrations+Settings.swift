import Foundation
import GRDB

extension Migrations {
    static func registerCenterSettings(in migrator: inout DatabaseMigrator) {
        // The settings an administrator changes at run time. The configuration file gives
        // every default; a row here overrides its key until changed again, so the file never
        // has to be edited on a running center. `value` is the setting's JSON document.
        // `calendar_day` lays an administrator's holidays and make-up working days over the
        // shipped calendar files ('ordinary' takes a shipped day off the list).
        // `settings_version` goes up with every change, so a running server (or one of
        // several processes) notices a change with one tiny read instead of rereading all.
        migrator.registerMigration("v11-center-settings") { db in
            try db.execute(sql: """
                CREATE TABLE center_setting (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at INTEGER NOT NULL,
                    updated_by TEXT NOT NULL
                );
                CREATE TABLE calendar_day (
                    day TEXT PRIMARY KEY CHECK (length(day) = 10),
                    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'working_day', 'ordinary')),
                    note TEXT,
                    updated_at INTEGER NOT NULL,
                    updated_by TEXT NOT NULL
                );
                CREATE TABLE settings_version (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    version INTEGER NOT NULL
                );
                INSERT INTO settings_version (singleton, version) VALUES (1, 0);
                """)
        }
    }
}
