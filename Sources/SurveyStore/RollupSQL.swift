import Foundation

/// The shape of one rollup table and the SQL generated from it: the table itself and the
/// triggers that carry every change of a finer table on to the coarser ones.
///
/// The four tables and their triggers were first written out by hand (v2, v6): the same
/// 17 count columns copied into every statement. From v12 they are generated from one
/// column list, so adding a key column (provenance) or a count touches one place. A
/// migration's output must never change once it has run somewhere: these functions are
/// part of v12, so change them only by adding new ones for a later migration.
struct RollupShape: Sendable {
    /// The table's name.
    var table: String
    /// The key columns, in primary-key order.
    var key: [String]
    /// The count columns, in table order (`Rollups.countColumns` when the shape was made).
    var counts: [String]

    /// `CREATE TABLE` of the shape: every column an INTEGER but text keys, the key the
    /// primary key, without rowid (each row is found by its key alone).
    func createSQL(textKeys: Set<String> = []) -> String {
        let columns = key.map { "\($0) \(textKeys.contains($0) ? "TEXT" : "INTEGER") NOT NULL" }
            + counts.map { "\($0) INTEGER NOT NULL" }
        return """
            CREATE TABLE \(table) (
                \(columns.joined(separator: ",\n    ")),
                PRIMARY KEY (\(key.joined(separator: ", ")))
            ) WITHOUT ROWID
            """
    }

    /// A trigger refusing any change of a row's key: counts change only by adding, so a
    /// row's key is fixed for its life.
    func keyIsFixedTriggerSQL() -> String {
        """
        CREATE TRIGGER \(table)_key_is_fixed
        BEFORE UPDATE OF \(key.joined(separator: ", ")) ON \(table)
        BEGIN SELECT RAISE(ABORT, 'rollup keys cannot change'); END
        """
    }
}

/// Generates the triggers of the rollup tables from their shapes.
enum RollupSQL {
    /// What a propagation trigger fires on.
    enum Event: String {
        case insert = "INSERT"
        case update = "UPDATE"
    }

    /// One coarser table a change is carried to, and how its key follows from the finer
    /// row: one SQL expression over `NEW` per key column of `shape`, in its order.
    struct Target {
        var shape: RollupShape
        var keyFrom: [String]
    }

    /// An AFTER INSERT or AFTER UPDATE trigger on `source` adding the row (on insert) or
    /// its change (`NEW - OLD`, on update) to each target, creating the target's row when
    /// it is missing. The counts are matched by name, so a target must have the source's
    /// count columns.
    static func propagationTriggerSQL(name: String, on source: RollupShape, event: Event, targets: [Target]) -> String {
        let statements = targets.map { target in
            precondition(target.keyFrom.count == target.shape.key.count, "one expression per key column of \(target.shape.table)")
            let values = target.keyFrom + source.counts.map { column in
                event == .insert ? "NEW.\(column)" : "NEW.\(column) - OLD.\(column)"
            }
            let updates = target.shape.counts.map { "\($0) = \($0) + excluded.\($0)" }
            return """
                    INSERT INTO \(target.shape.table) (\((target.shape.key + target.shape.counts).joined(separator: ", ")))
                    VALUES (\(values.joined(separator: ", ")))
                    ON CONFLICT (\(target.shape.key.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "));
                """
        }
        return """
            CREATE TRIGGER \(name) AFTER \(event.rawValue) ON \(source.table)
            BEGIN
            \(statements.joined(separator: "\n"))
            END
            """
    }
}
