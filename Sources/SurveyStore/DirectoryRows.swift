import Foundation
import GRDB
import SurveyCore

/// The SQL of the directory: reading it whole, and writing one checked change.
enum DirectoryRows {
    /// The table of each kind, and the column of `response` that refers to its rows.
    /// Both are constants, never user input.
    static func table(_ kind: DirectoryKind) -> (name: String, responseColumn: String) {
        switch kind {
        case .department: ("department", "department_id")
        case .window: ("service_window", "window_id")
        case .item: ("service_item", "service_item_id")
        case .staff: ("staff", "staff_id")
        }
    }

    static func directory(in db: Database) throws -> Directory {
        let departments = try Row.fetchAll(db, sql: "SELECT id, code, name, name_en, active FROM department ORDER BY code").map {
            Department(id: $0["id"], code: $0["code"], name: $0["name"], englishName: $0["name_en"], active: $0["active"])
        }
        let windows = try Row.fetchAll(
            db, sql: "SELECT id, code, name, name_en, department_id, active FROM service_window ORDER BY code"
        ).map {
            ServiceWindow(id: $0["id"], code: $0["code"], name: $0["name"], englishName: $0["name_en"], departmentID: $0["department_id"], active: $0["active"])
        }
        let items = try Row.fetchAll(db, sql: "SELECT id, code, name, name_en, department_id, active FROM service_item ORDER BY code").map {
            ServiceItem(id: $0["id"], code: $0["code"], name: $0["name"], englishName: $0["name_en"], departmentID: $0["department_id"], active: $0["active"])
        }
        let staff = try Row.fetchAll(db, sql: "SELECT id, code, name, department_id, window_id, active FROM staff ORDER BY code").map {
            StaffMember(
                id: $0["id"], code: $0["code"], name: $0["name"], departmentID: $0["department_id"], windowID: $0["window_id"], active: $0["active"]
            )
        }
        return Directory(departments: departments, windows: windows, items: items, staff: staff, version: try version(in: db))
    }

    static func version(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT version FROM directory_version WHERE id = 1") ?? 0
    }

    static func bumpVersion(in db: Database) throws {
        try db.execute(sql: "UPDATE directory_version SET version = version + 1 WHERE id = 1")
    }

    /// The record with this code as exchanged, and its row id.
    static func entry(_ kind: DirectoryKind, code: String, in db: Database) throws -> (id: Int64, entry: DirectoryEntry)? {
        let sql: String = switch kind {
        case .department:
            "SELECT id, code, name, name_en, NULL AS department, NULL AS window, active FROM department WHERE code = ?"
        case .window, .item:
            """
            SELECT r.id, r.code, r.name, r.name_en, d.code AS department, NULL AS window, r.active
            FROM \(table(kind).name) r JOIN department d ON d.id = r.department_id WHERE r.code = ?
            """
        case .staff:
            """
            SELECT r.id, r.code, r.name, NULL AS name_en, d.code AS department, w.code AS window, r.active
            FROM staff r JOIN department d ON d.id = r.department_id LEFT JOIN service_window w ON w.id = r.window_id
            WHERE r.code = ?
            """
        }
        guard let row = try Row.fetchOne(db, sql: sql, arguments: [code]) else { return nil }
        return (row["id"], DirectoryEntry(
            kind: kind, code: row["code"], name: row["name"], englishName: row["name_en"], department: row["department"], window: row["window"],
            active: row["active"]
        ))
    }

    /// Checks `change` against the rules and the stored directory, writes it and audits it
    /// as `actor`. Returns the change as stored (codes and names in their stored form), or
    /// nil when it changes nothing. The caller bumps the version once per transaction.
    static func apply(_ change: DirectoryChange, actor: String, atMillis millis: Int64, in db: Database) throws -> DirectoryChange? {
        let kind = change.kind
        let table = table(kind)
        var after = change.after
        if !kind.hasDepartment { after.department = nil }
        if kind != .staff { after.window = nil }
        after.code = try DirectoryRules.checkedCode(after.code, kind: kind)
        after.name = try DirectoryRules.checkedName(after.name, kind: kind)
        after.englishName = try DirectoryRules.checkedEnglishName(after.englishName, kind: kind)

        var existing: (id: Int64, entry: DirectoryEntry)?
        if let before = change.before {
            guard let found = try entry(kind, code: before.code, in: db) else { throw DirectoryError.notFound(kind, before.code) }
            existing = found
            guard found.entry != after else { return nil }
        }
        let before = existing?.entry

        if after.code != before?.code {
            let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table.name) WHERE lower(code) = lower(?) AND id IS NOT ?)",
                                          arguments: [after.code, existing?.id]) ?? false
            if taken { throw DirectoryError.duplicateCode(kind, after.code) }
            if let existing {
                // Reports, exports and publications name records by code: a code on stored
                // responses stays with them.
                let used = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM response WHERE \(table.responseColumn) = ?)",
                                             arguments: [existing.id]) ?? false
                if used { throw DirectoryError.codeInUse(kind, existing.entry.code) }
            }
        }

        var departmentID: Int64?
        if kind.hasDepartment {
            let code = after.department ?? ""
            guard let row = try Row.fetchOne(db, sql: "SELECT id, active FROM department WHERE code = ?", arguments: [code]) else {
                throw DirectoryError.unknownDepartment(code)
            }
            let active: Bool = row["active"]
            let joining = after.department != before?.department || (after.active && before?.active != true)
            if joining && after.active && !active { throw DirectoryError.inactiveDepartment(code) }
            departmentID = row["id"]
        }

        var windowID: Int64?
        if kind == .staff, let code = after.window {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT w.id, w.active, d.code AS department FROM service_window w JOIN department d ON d.id = w.department_id
                WHERE w.code = ?
                """, arguments: [code]) else { throw DirectoryError.unknownWindow(code) }
            let checking = after.window != before?.window || after.department != before?.department || (after.active && before?.active != true)
            if checking {
                let active: Bool = row["active"]
                if !active && after.active { throw DirectoryError.unknownWindow(code) }
                let department: String = row["department"]
                if department != after.department { throw DirectoryError.windowInOtherDepartment(window: code, department: after.department ?? "") }
            }
            windowID = row["id"]
        }

        if kind == .department, let existing, existing.entry.active, !after.active {
            let members = try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM service_window WHERE department_id = ?1 AND active = 1)
                     + (SELECT count(*) FROM service_item WHERE department_id = ?1 AND active = 1)
                     + (SELECT count(*) FROM staff WHERE department_id = ?1 AND active = 1)
                """, arguments: [existing.id]) ?? 0
            if members > 0 { throw DirectoryError.departmentInUse(existing.entry.code, active: members) }
        }

        switch (kind, existing) {
        case (.department, nil):
            try db.execute(sql: "INSERT INTO department (code, name, name_en, active) VALUES (?, ?, ?, ?)",
                           arguments: [after.code, after.name, after.englishName, after.active])
        case (.department, let existing?):
            try db.execute(sql: "UPDATE department SET code = ?, name = ?, name_en = ?, active = ? WHERE id = ?",
                           arguments: [after.code, after.name, after.englishName, after.active, existing.id])
        case (.staff, nil):
            try db.execute(sql: "INSERT INTO staff (code, name, department_id, window_id, active) VALUES (?, ?, ?, ?, ?)",
                           arguments: [after.code, after.name, departmentID, windowID, after.active])
        case (.staff, let existing?):
            try db.execute(sql: "UPDATE staff SET code = ?, name = ?, department_id = ?, window_id = ?, active = ? WHERE id = ?",
                           arguments: [after.code, after.name, departmentID, windowID, after.active, existing.id])
        case (_, nil):
            try db.execute(sql: "INSERT INTO \(table.name) (code, name, name_en, department_id, active) VALUES (?, ?, ?, ?, ?)",
                           arguments: [after.code, after.name, after.englishName, departmentID, after.active])
        case (_, let existing?):
            try db.execute(sql: "UPDATE \(table.name) SET code = ?, name = ?, name_en = ?, department_id = ?, active = ? WHERE id = ?",
                           arguments: [after.code, after.name, after.englishName, departmentID, after.active, existing.id])
        }

        let stored = DirectoryChange(before: before, after: after)
        try StaffRows.insert(AuditEntry(
            actor: actor, action: stored.auditAction, subjectType: kind.rawValue, subjectID: after.code,
            beforeJSON: before.map(auditJSON), afterJSON: auditJSON(after)
        ), atMillis: millis, in: db)
        return stored
    }

    static func auditJSON(_ entry: DirectoryEntry) -> String {
        var object: [String: Any] = ["code": entry.code, "name": entry.name, "active": entry.active]
        if entry.kind.hasEnglishName { object["name_en"] = entry.englishName ?? NSNull() }
        if entry.kind.hasDepartment { object["department"] = entry.department ?? NSNull() }
        if entry.kind == .staff { object["window"] = entry.window ?? NSNull() }
        // Strings, booleans and null: serialization cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
