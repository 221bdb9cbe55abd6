import Foundation
import GRDB
import SurveyCore

extension Migrations {
    static func registerStaffAccounts(in migrator: inout DatabaseMigrator) {
        // Staff accounts, their departments, server-side sessions and the audit log of
        // every staff action. A session row keeps only the SHA-256 of the cookie's token;
        // the audit log is append-only, enforced by triggers.
        migrator.registerMigration("v7-staff-accounts") { db in
            try db.execute(sql: """
                CREATE TABLE staff_user (
                    id INTEGER PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'head', 'reviewer', 'viewer')),
                    password_hash TEXT NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE staff_user_department (
                    user_id INTEGER NOT NULL REFERENCES staff_user(id),
                    department_id INTEGER NOT NULL REFERENCES department(id),
                    PRIMARY KEY (user_id, department_id)
                );
                CREATE TABLE staff_session (
                    token_hash BLOB PRIMARY KEY NOT NULL CHECK (length(token_hash) = 32),
                    user_id INTEGER NOT NULL REFERENCES staff_user(id),
                    csrf_token TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX staff_session_by_user ON staff_session(user_id);
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject_type TEXT NOT NULL,
                    subject_id TEXT,
                    before_json TEXT,
                    after_json TEXT,
                    at INTEGER NOT NULL
                );
                CREATE INDEX audit_log_by_time ON audit_log(at, id);
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
    }
}
