import GRDB

/// The schema's history. Each migration is plain SQL, named, and never edited once it is
/// on main: a database in the field may have run it already. Change the schema by
/// appending a new migration.
enum Migrations {
    static var migrator: DatabaseMigrator {
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
        return migrator
    }
}
