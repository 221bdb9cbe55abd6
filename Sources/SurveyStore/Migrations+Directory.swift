import GRDB

extension Migrations {
    static func registerDirectoryAdministration(in migrator: inout DatabaseMigrator) {
        // The directory is administered while the server runs. Records are deactivated,
        // never deleted, so departments, items and staff gain the `active` flag windows
        // already had; a member of staff may have a usual window. `directory_version` is
        // one row bumped in the transaction of every change: a running server polls it and
        // reloads its snapshot of the directory when it moves, whichever process made the
        // change.
        migrator.registerMigration("v10-directory-admin") { db in
            try db.execute(sql: """
                ALTER TABLE department ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
                ALTER TABLE service_item ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
                ALTER TABLE staff ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
                ALTER TABLE staff ADD COLUMN window_id INTEGER REFERENCES service_window(id);
                CREATE TABLE directory_version (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    version INTEGER NOT NULL
                );
                INSERT INTO directory_version (id, version) VALUES (1, 1);
                """)
        }
    }
}
