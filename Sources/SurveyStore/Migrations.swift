import Foundation
import GRDB
import SurveyCore

/// The schema's history. Each migration is plain SQL, named, and never edited once it is
/// on main: a database in the field may have run it already. Change the schema by
/// appending a new migration.
enum Migrations {
    /// The migrator for a store whose local days are counted in `timeZone`. The zone is
    /// only used by migrations that backfill local days (v2 onwards); the connection must
    /// carry `pingjia_local_day` for that zone (see `Rollups.localDayFunction`).
    /// `casePolicy` counts the deadlines of the cases backfilled by v7.
    static func migrator(timeZone: TimeZone, casePolicy: CasePolicy = CasePolicy()) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-collection") { db in
            try db.execute(sql: """
                CREATE TABLE department (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL
                );
                CREATE TABLE service_window (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    department_id INTEGER NOT NULL REFERENCES department(id),
                    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
                );
                CREATE TABLE service_item (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    department_id INTEGER NOT NULL REFERENCES department(id)
                );
                CREATE TABLE staff (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    department_id INTEGER NOT NULL REFERENCES department(id)
                );
                -- One row per rating. The department is copied from the window when the
                -- response is stored, so moving a window later does not rewrite history.
                -- created_at is UTC milliseconds since 1970-01-01.
                -- status: 'valid' counts; 'misuse', 'invalid' and 'test' are kept but excluded.
                CREATE TABLE response (
                    id INTEGER PRIMARY KEY,
                    client_id TEXT NOT NULL UNIQUE,
                    window_id INTEGER NOT NULL REFERENCES service_window(id),
                    department_id INTEGER NOT NULL REFERENCES department(id),
                    service_item_id INTEGER REFERENCES service_item(id),
                    staff_id INTEGER REFERENCES staff(id),
                    channel TEXT NOT NULL CHECK (channel IN ('kiosk', 'qr', 'web')),
                    attitude INTEGER NOT NULL CHECK (attitude BETWEEN 1 AND 5),
                    efficiency INTEGER NOT NULL CHECK (efficiency BETWEEN 1 AND 5),
                    result INTEGER NOT NULL CHECK (result BETWEEN 1 AND 5),
                    is_negative INTEGER NOT NULL CHECK (is_negative IN (0, 1)),
                    comment TEXT,
                    reasons TEXT NOT NULL DEFAULT '[]',
                    created_at INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'valid'
                        CHECK (status IN ('valid', 'misuse', 'invalid', 'test'))
                );
                -- Aggregation and review read by department or window over a time range.
                CREATE INDEX response_by_department_time ON response(department_id, created_at);
                CREATE INDEX response_by_window_time ON response(window_id, created_at);
                CREATE INDEX response_by_time ON response(created_at);
                """)
        }
        registerVersion2(in: &migrator, timeZone: timeZone)
        registerStaffAccounts(in: &migrator)
        registerCases(in: &migrator, policy: casePolicy)
        registerFeedbackReview(in: &migrator)
        registerDirectoryAdministration(in: &migrator)
        registerCenterSettings(in: &migrator)
        registerProvenance(in: &migrator)
        registerDevicesAndVisits(in: &migrator)
        registerRatedAt(in: &migrator)
        registerNameTranslations(in: &migrator)
        return migrator
    }

    /// v2 and later: the satisfaction indicator and the assessment API.
    ///
    /// The backfill statements are spelled out here rather than shared with
    /// `Rollups.rebuild`, so that a later change to the rebuild cannot change what this
    /// migration did.
    private static func registerVersion2(in migrator: inout DatabaseMigrator, timeZone: TimeZone) {
        // Each response's day in the center's zone, and per-day sums of valid responses kept
        // in the same transaction as every insert and status change. Level columns are
        // numbered the Pingjia way: a5/e5/r5 count 非常满意, a1/e1/r1 非常不满意.
        migrator.registerMigration("v2-rollups") { db in
            try db.execute(sql: """
                ALTER TABLE response ADD COLUMN local_day INTEGER;

                -- One row per setting; 'rollup_time_zone' is the zone local_day and the
                -- rollups were computed in.
                CREATE TABLE store_setting (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;

                -- Center, department and window figures, rankings and trends. The department
                -- is part of the key because a window moved to another department keeps its
                -- old responses under the old department.
                CREATE TABLE rollup_window_day (
                    local_day INTEGER NOT NULL,
                    window_id INTEGER NOT NULL,
                    department_id INTEGER NOT NULL,
                    n INTEGER NOT NULL,
                    negative INTEGER NOT NULL,
                    a1 INTEGER NOT NULL, a2 INTEGER NOT NULL, a3 INTEGER NOT NULL, a4 INTEGER NOT NULL, a5 INTEGER NOT NULL,
                    e1 INTEGER NOT NULL, e2 INTEGER NOT NULL, e3 INTEGER NOT NULL, e4 INTEGER NOT NULL, e5 INTEGER NOT NULL,
                    r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL, r4 INTEGER NOT NULL, r5 INTEGER NOT NULL,
                    PRIMARY KEY (local_day, window_id, department_id)
                ) WITHOUT ROWID;

                -- Staff and service-item breakdowns, always read within one department, so
                -- the department leads the key. 0 stands for "none recorded".
                CREATE TABLE rollup_detail_day (
                    department_id INTEGER NOT NULL,
                    local_day INTEGER NOT NULL,
                    window_id INTEGER NOT NULL,
                    staff_id INTEGER NOT NULL,
                    item_id INTEGER NOT NULL,
                    n INTEGER NOT NULL,
                    negative INTEGER NOT NULL,
                    a1 INTEGER NOT NULL, a2 INTEGER NOT NULL, a3 INTEGER NOT NULL, a4 INTEGER NOT NULL, a5 INTEGER NOT NULL,
                    e1 INTEGER NOT NULL, e2 INTEGER NOT NULL, e3 INTEGER NOT NULL, e4 INTEGER NOT NULL, e5 INTEGER NOT NULL,
                    r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL, r4 INTEGER NOT NULL, r5 INTEGER NOT NULL,
                    PRIMARY KEY (department_id, local_day, window_id, staff_id, item_id)
                ) WITHOUT ROWID;
                """)
            // SQLite has no time-zone rules: pingjia_local_day is Swift, registered on
            // every connection for the store's zone.
            try db.execute(sql: "UPDATE response SET local_day = pingjia_local_day(created_at)")
            try db.execute(sql: """
                INSERT INTO rollup_detail_day
                SELECT department_id, local_day, window_id, coalesce(staff_id, 0), coalesce(service_item_id, 0),
                       count(*), sum(is_negative),
                       sum(attitude = 1), sum(attitude = 2), sum(attitude = 3), sum(attitude = 4), sum(attitude = 5),
                       sum(efficiency = 1), sum(efficiency = 2), sum(efficiency = 3), sum(efficiency = 4), sum(efficiency = 5),
                       sum(result = 1), sum(result = 2), sum(result = 3), sum(result = 4), sum(result = 5)
                FROM response WHERE status = 'valid'
                GROUP BY department_id, local_day, window_id, coalesce(staff_id, 0), coalesce(service_item_id, 0);

                INSERT INTO rollup_window_day
                SELECT local_day, window_id, department_id, sum(n), sum(negative),
                       sum(a1), sum(a2), sum(a3), sum(a4), sum(a5),
                       sum(e1), sum(e2), sum(e3), sum(e4), sum(e5),
                       sum(r1), sum(r2), sum(r3), sum(r4), sum(r5)
                FROM rollup_detail_day
                GROUP BY local_day, window_id, department_id;
                """)
            try db.execute(
                sql: "INSERT INTO store_setting (key, value) VALUES ('rollup_time_zone', ?)",
                arguments: [timeZone.identifier]
            )
        }

        // 申诉复核: every status change of a response, append-only.
        migrator.registerMigration("v3-status-audit") { db in
            try db.execute(sql: """
                CREATE TABLE response_status_change (
                    id INTEGER PRIMARY KEY,
                    response_id INTEGER NOT NULL REFERENCES response(id),
                    from_status TEXT NOT NULL CHECK (from_status IN ('valid', 'misuse', 'invalid', 'test')),
                    to_status TEXT NOT NULL CHECK (to_status IN ('valid', 'misuse', 'invalid', 'test')),
                    reason TEXT NOT NULL,
                    changed_by TEXT,
                    changed_at INTEGER NOT NULL
                );
                CREATE INDEX response_status_change_by_response ON response_status_change(response_id, id);
                CREATE TRIGGER response_status_change_no_update BEFORE UPDATE ON response_status_change
                BEGIN SELECT RAISE(ABORT, 'the status audit is append-only'); END;
                CREATE TRIGGER response_status_change_no_delete BEFORE DELETE ON response_status_change
                BEGIN SELECT RAISE(ABORT, 'the status audit is append-only'); END;
                """)
        }

        // Keys of the assessment API. Only a SHA-256 of each key is kept; the prefix is the
        // non-secret start of the key, used to find the row before comparing hashes.
        migrator.registerMigration("v4-api-keys") { db in
            try db.execute(sql: """
                CREATE TABLE api_key (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    prefix TEXT NOT NULL UNIQUE,
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    scopes TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                """)
        }

        // 公示: the published document of each period, immutable once written. The
        // BEFORE INSERT trigger also stops INSERT OR REPLACE, which deletes without
        // firing delete triggers.
        migrator.registerMigration("v5-publications") { db in
            try db.execute(sql: """
                CREATE TABLE publication (
                    period TEXT PRIMARY KEY NOT NULL,
                    published_at INTEGER NOT NULL,
                    content_hash TEXT NOT NULL,
                    content BLOB NOT NULL
                );
                CREATE TRIGGER publication_no_replace BEFORE INSERT ON publication
                WHEN EXISTS (SELECT 1 FROM publication WHERE period = NEW.period)
                BEGIN SELECT RAISE(ABORT, 'this period is already published; publications are immutable'); END;
                CREATE TRIGGER publication_no_update BEFORE UPDATE ON publication
                BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
                CREATE TRIGGER publication_no_delete BEFORE DELETE ON publication
                BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
                """)
        }

        // Month sums, so a year reads 12 rows per window instead of 365 (at 120 windows a
        // year of window-day rows took ~47 ms to sum by department; the target is 50 ms).
        // From here on the store writes only rollup_detail_day; triggers carry each change
        // on to rollup_window_day and to both month tables, in the same statement, so
        // those are always its exact sums. month_start is the local day number of the 1st.
        // Periods made of whole months read the month tables; the days of a partial month
        // come from the day tables.
        migrator.registerMigration("v6-month-rollups") { db in
            try db.execute(sql: """
                CREATE TABLE rollup_window_month (
                    month_start INTEGER NOT NULL,
                    window_id INTEGER NOT NULL,
                    department_id INTEGER NOT NULL,
                    n INTEGER NOT NULL, negative INTEGER NOT NULL,
                    a1 INTEGER NOT NULL, a2 INTEGER NOT NULL, a3 INTEGER NOT NULL, a4 INTEGER NOT NULL, a5 INTEGER NOT NULL,
                    e1 INTEGER NOT NULL, e2 INTEGER NOT NULL, e3 INTEGER NOT NULL, e4 INTEGER NOT NULL, e5 INTEGER NOT NULL,
                    r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL, r4 INTEGER NOT NULL, r5 INTEGER NOT NULL,
                    PRIMARY KEY (month_start, window_id, department_id)
                ) WITHOUT ROWID;

                CREATE TABLE rollup_detail_month (
                    department_id INTEGER NOT NULL,
                    month_start INTEGER NOT NULL,
                    staff_id INTEGER NOT NULL,
                    item_id INTEGER NOT NULL,
                    n INTEGER NOT NULL, negative INTEGER NOT NULL,
                    a1 INTEGER NOT NULL, a2 INTEGER NOT NULL, a3 INTEGER NOT NULL, a4 INTEGER NOT NULL, a5 INTEGER NOT NULL,
                    e1 INTEGER NOT NULL, e2 INTEGER NOT NULL, e3 INTEGER NOT NULL, e4 INTEGER NOT NULL, e5 INTEGER NOT NULL,
                    r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL, r4 INTEGER NOT NULL, r5 INTEGER NOT NULL,
                    PRIMARY KEY (department_id, month_start, staff_id, item_id)
                ) WITHOUT ROWID;

                -- A day row's key never changes; its counts change only by adding, and each
                -- change is added to the coarser tables. Rows are deleted only when they are
                -- back to zero, or all at once by a rebuild, so no delete trigger is needed.
                CREATE TRIGGER rollup_detail_day_key_is_fixed
                BEFORE UPDATE OF department_id, local_day, window_id, staff_id, item_id ON rollup_detail_day
                BEGIN SELECT RAISE(ABORT, 'rollup keys cannot change'); END;

                CREATE TRIGGER rollup_window_day_key_is_fixed
                BEFORE UPDATE OF local_day, window_id, department_id ON rollup_window_day
                BEGIN SELECT RAISE(ABORT, 'rollup keys cannot change'); END;

                CREATE TRIGGER rollup_detail_day_added AFTER INSERT ON rollup_detail_day
                BEGIN
                    INSERT INTO rollup_window_day VALUES (
                        NEW.local_day, NEW.window_id, NEW.department_id,
                        NEW.n, NEW.negative, NEW.a1, NEW.a2, NEW.a3, NEW.a4, NEW.a5, NEW.e1, NEW.e2, NEW.e3, NEW.e4, NEW.e5, NEW.r1,
                        NEW.r2, NEW.r3, NEW.r4, NEW.r5)
                    ON CONFLICT DO UPDATE SET
                        n = n + excluded.n, negative = negative + excluded.negative, a1 = a1 + excluded.a1, a2 = a2 + excluded.a2,
                        a3 = a3 + excluded.a3, a4 = a4 + excluded.a4, a5 = a5 + excluded.a5, e1 = e1 + excluded.e1,
                        e2 = e2 + excluded.e2, e3 = e3 + excluded.e3, e4 = e4 + excluded.e4, e5 = e5 + excluded.e5,
                        r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + excluded.r3, r4 = r4 + excluded.r4,
                        r5 = r5 + excluded.r5;
                    INSERT INTO rollup_detail_month VALUES (
                        NEW.department_id, CAST(strftime('%s', NEW.local_day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.staff_id, NEW.item_id,
                        NEW.n, NEW.negative, NEW.a1, NEW.a2, NEW.a3, NEW.a4, NEW.a5, NEW.e1, NEW.e2, NEW.e3, NEW.e4, NEW.e5, NEW.r1,
                        NEW.r2, NEW.r3, NEW.r4, NEW.r5)
                    ON CONFLICT DO UPDATE SET
                        n = n + excluded.n, negative = negative + excluded.negative, a1 = a1 + excluded.a1, a2 = a2 + excluded.a2,
                        a3 = a3 + excluded.a3, a4 = a4 + excluded.a4, a5 = a5 + excluded.a5, e1 = e1 + excluded.e1,
                        e2 = e2 + excluded.e2, e3 = e3 + excluded.e3, e4 = e4 + excluded.e4, e5 = e5 + excluded.e5,
                        r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + excluded.r3, r4 = r4 + excluded.r4,
                        r5 = r5 + excluded.r5;
                END;

                CREATE TRIGGER rollup_detail_day_changed AFTER UPDATE ON rollup_detail_day
                BEGIN
                    INSERT INTO rollup_window_day VALUES (
                        NEW.local_day, NEW.window_id, NEW.department_id,
                        NEW.n - OLD.n, NEW.negative - OLD.negative, NEW.a1 - OLD.a1, NEW.a2 - OLD.a2, NEW.a3 - OLD.a3, NEW.a4 - OLD.a4,
                        NEW.a5 - OLD.a5, NEW.e1 - OLD.e1, NEW.e2 - OLD.e2, NEW.e3 - OLD.e3, NEW.e4 - OLD.e4, NEW.e5 - OLD.e5,
                        NEW.r1 - OLD.r1, NEW.r2 - OLD.r2, NEW.r3 - OLD.r3, NEW.r4 - OLD.r4, NEW.r5 - OLD.r5)
                    ON CONFLICT DO UPDATE SET
                        n = n + excluded.n, negative = negative + excluded.negative, a1 = a1 + excluded.a1, a2 = a2 + excluded.a2,
                        a3 = a3 + excluded.a3, a4 = a4 + excluded.a4, a5 = a5 + excluded.a5, e1 = e1 + excluded.e1,
                        e2 = e2 + excluded.e2, e3 = e3 + excluded.e3, e4 = e4 + excluded.e4, e5 = e5 + excluded.e5,
                        r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + excluded.r3, r4 = r4 + excluded.r4,
                        r5 = r5 + excluded.r5;
                    INSERT INTO rollup_detail_month VALUES (
                        NEW.department_id, CAST(strftime('%s', NEW.local_day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.staff_id, NEW.item_id,
                        NEW.n - OLD.n, NEW.negative - OLD.negative, NEW.a1 - OLD.a1, NEW.a2 - OLD.a2, NEW.a3 - OLD.a3, NEW.a4 - OLD.a4,
                        NEW.a5 - OLD.a5, NEW.e1 - OLD.e1, NEW.e2 - OLD.e2, NEW.e3 - OLD.e3, NEW.e4 - OLD.e4, NEW.e5 - OLD.e5,
                        NEW.r1 - OLD.r1, NEW.r2 - OLD.r2, NEW.r3 - OLD.r3, NEW.r4 - OLD.r4, NEW.r5 - OLD.r5)
                    ON CONFLICT DO UPDATE SET
                        n = n + excluded.n, negative = negative + excluded.negative, a1 = a1 + excluded.a1, a2 = a2 + excluded.a2,
                        a3 = a3 + excluded.a3, a4 = a4 + excluded.a4, a5 = a5 + excluded.a5, e1 = e1 + excluded.e1,
                        e2 = e2 + excluded.e2, e3 = e3 + excluded.e3, e4 = e4 + excluded.e4, e5 = e5 + excluded.e5,
                        r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + excluded.r3, r4 = r4 + excluded.r4,
                        r5 = r5 + excluded.r5;
                END;

                CREATE TRIGGER rollup_window_day_added AFTER INSERT ON rollup_window_day
                BEGIN
                    INSERT INTO rollup_window_month VALUES (
                        CAST(strftime('%s', NEW.local_day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.window_id, NEW.department_id,
                        NEW.n, NEW.negative, NEW.a1, NEW.a2, NEW.a3, NEW.a4, NEW.a5, NEW.e1, NEW.e2, NEW.e3, NEW.e4, NEW.e5, NEW.r1,
                        NEW.r2, NEW.r3, NEW.r4, NEW.r5)
                    ON CONFLICT DO UPDATE SET
                        n = n + excluded.n, negative = negative + excluded.negative, a1 = a1 + excluded.a1, a2 = a2 + excluded.a2,
                        a3 = a3 + excluded.a3, a4 = a4 + excluded.a4, a5 = a5 + excluded.a5, e1 = e1 + excluded.e1,
                        e2 = e2 + excluded.e2, e3 = e3 + excluded.e3, e4 = e4 + excluded.e4, e5 = e5 + excluded.e5,
                        r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + excluded.r3, r4 = r4 + excluded.r4,
                        r5 = r5 + excluded.r5;
                END;

                CREATE TRIGGER rollup_window_day_changed AFTER UPDATE ON rollup_window_day
                BEGIN
                    INSERT INTO rollup_window_month VALUES (
                        CAST(strftime('%s', NEW.local_day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400, NEW.window_id, NEW.department_id,
                        NEW.n - OLD.n, NEW.negative - OLD.negative, NEW.a1 - OLD.a1, NEW.a2 - OLD.a2, NEW.a3 - OLD.a3, NEW.a4 - OLD.a4,
                        NEW.a5 - OLD.a5, NEW.e1 - OLD.e1, NEW.e2 - OLD.e2, NEW.e3 - OLD.e3, NEW.e4 - OLD.e4, NEW.e5 - OLD.e5,
                        NEW.r1 - OLD.r1, NEW.r2 - OLD.r2, NEW.r3 - OLD.r3, NEW.r4 - OLD.r4, NEW.r5 - OLD.r5)
                    ON CONFLICT DO UPDATE SET
                        n = n + excluded.n, negative = negative + excluded.negative, a1 = a1 + excluded.a1, a2 = a2 + excluded.a2,
                        a3 = a3 + excluded.a3, a4 = a4 + excluded.a4, a5 = a5 + excluded.a5, e1 = e1 + excluded.e1,
                        e2 = e2 + excluded.e2, e3 = e3 + excluded.e3, e4 = e4 + excluded.e4, e5 = e5 + excluded.e5,
                        r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + excluded.r3, r4 = r4 + excluded.r4,
                        r5 = r5 + excluded.r5;
                END;
                """)
            // Existing day rows are summed once; the triggers take over from here.
            try db.execute(sql: """
                INSERT INTO rollup_window_month
                SELECT CAST(strftime('%s', local_day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400,
                       window_id, department_id, sum(n), sum(negative),
                       sum(a1), sum(a2), sum(a3), sum(a4), sum(a5), sum(e1), sum(e2), sum(e3), sum(e4), sum(e5),
                       sum(r1), sum(r2), sum(r3), sum(r4), sum(r5)
                FROM rollup_window_day GROUP BY 1, 2, 3;

                INSERT INTO rollup_detail_month
                SELECT department_id, CAST(strftime('%s', local_day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400,
                       staff_id, item_id, sum(n), sum(negative),
                       sum(a1), sum(a2), sum(a3), sum(a4), sum(a5), sum(e1), sum(e2), sum(e3), sum(e4), sum(e5),
                       sum(r1), sum(r2), sum(r3), sum(r4), sum(r5)
                FROM rollup_detail_day GROUP BY 1, 2, 3, 4;
                """)
        }
    }
}
