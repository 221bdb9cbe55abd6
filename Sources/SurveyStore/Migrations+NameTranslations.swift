import GRDB

extension Migrations {
    /// v15: English names for the names citizens read. Departments, windows and service
    /// items keep their Chinese `name` (stored, counted and reported as before) and gain a
    /// nullable `name_en` that English pages show; NULL means no translation, so existing
    /// records need no backfill. Staff names are people's names and get none.
    static func registerNameTranslations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15-name-translations") { db in
            try db.execute(sql: """
                ALTER TABLE department ADD COLUMN name_en TEXT;
                ALTER TABLE service_window ADD COLUMN name_en TEXT;
                ALTER TABLE service_item ADD COLUMN name_en TEXT;
                """)
        }
    }
}
