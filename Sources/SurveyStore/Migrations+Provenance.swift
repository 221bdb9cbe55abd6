import Foundation
import GRDB
import SurveyCore

extension Migrations {
    // MARK: Provenance and suspect ratings

    /// The rollup tables as v12 leaves them: v2/v6's keys with `provenance` last, so a
    /// report can add up the provenances it counts and give every provenance's count
    /// from the same rows. Written out here, not taken from `Rollups`, so that a later
    /// change there cannot change what this migration did.
    static let v12Counts = ["n", "negative"] + ["a", "e", "r"].flatMap { prefix in (1...5).map { "\(prefix)\($0)" } }
    static let v12DetailDay = RollupShape(
        table: "rollup_detail_day",
        key: ["department_id", "local_day", "window_id", "staff_id", "item_id", "provenance"], counts: v12Counts
    )
    static let v12WindowDay = RollupShape(
        table: "rollup_window_day", key: ["local_day", "window_id", "department_id", "provenance"], counts: v12Counts
    )
    static let v12WindowMonth = RollupShape(
        table: "rollup_window_month", key: ["month_start", "window_id", "department_id", "provenance"], counts: v12Counts
    )
    static let v12DetailMonth = RollupShape(
        table: "rollup_detail_month", key: ["department_id", "month_start", "staff_id", "item_id", "provenance"], counts: v12Counts
    )

    /// v12: how each response arrived (`provenance`), automatic flags (`flag_rule` and the
    /// status `suspect`), and provenance as the last key of every rollup table.
    ///
    /// Responses stored before get `legacy`, which the indicator counts, so no past figure
    /// moves. `status` and the status audit have CHECK constraints listing the statuses;
    /// SQLite cannot alter a CHECK, so both tables are rebuilt from their own stored
    /// definitions with `suspect` added (SQLite's documented twelve-step procedure, with
    /// GRDB turning foreign keys off and checking them afterwards): whatever columns
    /// other migrations added are kept, and every id stays, so the comment index and the
    /// cases still point at their rows. Rebuilding copies the table once; at the rate of
    /// the aggregation benchmark's bulk load that is well under a minute per million
    /// responses. A separate flag column beside `status = 'valid'` was the alternative,
    /// but then every query that counts valid responses, and the status audit, would have
    /// to know about it; with `suspect` a status, a suspect rating is simply not valid.
    static func registerProvenance(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12-provenance") { db in
            let provenances = Provenance.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            // Added with the default 'legacy', which old rows then read without being
            // rewritten; the rebuild below makes the default 'unverified', the safe one
            // for anything that might insert without naming a provenance.
            try db.execute(sql: """
                ALTER TABLE response ADD COLUMN provenance TEXT NOT NULL DEFAULT 'legacy' CHECK (provenance IN (\(provenances)));
                ALTER TABLE response ADD COLUMN flag_rule TEXT;
                """)
            let statuses = "IN ('valid', 'misuse', 'invalid', 'test')"
            let withSuspect = "IN ('valid', 'misuse', 'invalid', 'test', 'suspect')"
            try rebuild(table: "response", in: db) { sql in
                try replacing(statuses, with: withSuspect, in: replacing("DEFAULT 'legacy'", with: "DEFAULT 'unverified'", in: sql, times: 1), times: 1)
            }
            try rebuild(table: "response_status_change", in: db) { sql in
                try replacing(statuses, with: withSuspect, in: sql, times: 2)
            }

            // The rollups: each table again with provenance in its key, its rows copied as
            // legacy (every response so far is), then the triggers generated for the shapes.
            let old = [
                (v12DetailDay, "department_id, local_day, window_id, staff_id, item_id"),
                (v12WindowDay, "local_day, window_id, department_id"),
                (v12WindowMonth, "month_start, window_id, department_id"),
                (v12DetailMonth, "department_id, month_start, staff_id, item_id"),
            ]
            for (shape, oldKey) in old {
                var renamed = shape
                renamed.table += "_v12"
                try db.execute(sql: renamed.createSQL(textKeys: ["provenance"]))
                let counts = shape.counts.joined(separator: ", ")
                try db.execute(sql: """
                    INSERT INTO \(renamed.table) (\(oldKey), provenance, \(counts))
                    SELECT \(oldKey), 'legacy', \(counts) FROM \(shape.table)
                    """)
            }
            for (shape, _) in old {
                try db.execute(sql: "DROP TABLE \(shape.table)")
            }
            for (shape, _) in old {
                try db.execute(sql: "ALTER TABLE \(shape.table)_v12 RENAME TO \(shape.table)")
            }
            for statement in rollupTriggersV12() {
                try db.execute(sql: statement)
            }
        }
    }

    /// The v12 rollup triggers: the two day tables' keys are fixed, and each change of a
    /// detail-day row is carried to the window-day and detail-month rows, each change of a
    /// window-day row to the window-month row, in the same statement.
    static func rollupTriggersV12() -> [String] {
        let month = Rollups.monthStartSQL("NEW.local_day")
        let windowDay = RollupSQL.Target(
            shape: v12WindowDay, keyFrom: ["NEW.local_day", "NEW.window_id", "NEW.department_id", "NEW.provenance"]
        )
        let detailMonth = RollupSQL.Target(
            shape: v12DetailMonth, keyFrom: ["NEW.department_id", month, "NEW.staff_id", "NEW.item_id", "NEW.provenance"]
        )
        let windowMonth = RollupSQL.Target(
            shape: v12WindowMonth, keyFrom: [month, "NEW.window_id", "NEW.department_id", "NEW.provenance"]
        )
        return [
            v12DetailDay.keyIsFixedTriggerSQL(),
            v12WindowDay.keyIsFixedTriggerSQL(),
            RollupSQL.propagationTriggerSQL(name: "rollup_detail_day_added", on: v12DetailDay, event: .insert, targets: [windowDay, detailMonth]),
            RollupSQL.propagationTriggerSQL(name: "rollup_detail_day_changed", on: v12DetailDay, event: .update, targets: [windowDay, detailMonth]),
            RollupSQL.propagationTriggerSQL(name: "rollup_window_day_added", on: v12WindowDay, event: .insert, targets: [windowMonth]),
            RollupSQL.propagationTriggerSQL(name: "rollup_window_day_changed", on: v12WindowDay, event: .update, targets: [windowMonth]),
        ]
    }

    /// Rebuilds `table` from its stored definition as `transform` rewrites it: a new table
    /// under another name, every row copied as it is, the old table dropped, the new one
    /// renamed, and the old table's indexes and triggers created again.
    static func rebuild(table: String, in db: Database, transform: (String) throws -> String) throws {
        guard let definition = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]
        ) else {
            throw UnexpectedSchema(description: "no table \(table)")
        }
        let dependents = try String.fetchAll(db, sql: """
            SELECT sql FROM sqlite_master
            WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name
            """, arguments: [table])
        let temporary = "\(table)_rebuilt"
        let created = try replacing("CREATE TABLE \(table) (", with: "CREATE TABLE \(temporary) (", in: transform(definition), times: 1)
        try db.execute(sql: created)
        try db.execute(sql: "INSERT INTO \(temporary) SELECT * FROM \(table)")
        try db.execute(sql: "DROP TABLE \(table)")
        try db.execute(sql: "ALTER TABLE \(temporary) RENAME TO \(table)")
        for statement in dependents {
            try db.execute(sql: statement)
        }
    }

    /// `text` with `target` replaced, which must occur exactly `times` times: a schema that
    /// is not what the migration expects stops it rather than being half rewritten.
    static func replacing(_ target: String, with replacement: String, in text: String, times: Int) throws -> String {
        let found = text.components(separatedBy: target).count - 1
        guard found == times else {
            throw UnexpectedSchema(description: "expected \(times) × “\(target)” in the schema, found \(found)")
        }
        return text.replacingOccurrences(of: target, with: replacement)
    }
}

/// A schema a migration did not expect: it stops before changing anything.
struct UnexpectedSchema: Error, CustomStringConvertible {
    var description: String
}
