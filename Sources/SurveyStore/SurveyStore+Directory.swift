import GRDB
import SurveyCore

extension SurveyStore {
    /// The whole organisation: departments, windows, service items and staff.
    public func directory() throws -> Directory {
        try pool.read { db in
            let departments = try Row.fetchAll(db, sql: "SELECT id, code, name FROM department ORDER BY code").map {
                Department(id: $0["id"], code: $0["code"], name: $0["name"])
            }
            let windows = try Row.fetchAll(
                db, sql: "SELECT id, code, name, department_id, active FROM service_window ORDER BY code"
            ).map {
                ServiceWindow(id: $0["id"], code: $0["code"], name: $0["name"], departmentID: $0["department_id"], active: $0["active"])
            }
            let items = try Row.fetchAll(db, sql: "SELECT id, code, name, department_id FROM service_item ORDER BY code").map {
                ServiceItem(id: $0["id"], code: $0["code"], name: $0["name"], departmentID: $0["department_id"])
            }
            let staff = try Row.fetchAll(db, sql: "SELECT id, code, name, department_id FROM staff ORDER BY code").map {
                StaffMember(id: $0["id"], code: $0["code"], name: $0["name"], departmentID: $0["department_id"])
            }
            return Directory(departments: departments, windows: windows, items: items, staff: staff)
        }
    }

    /// Whether any department exists yet, i.e. whether the center has been set up.
    public func hasDirectory() throws -> Bool {
        try pool.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM department)") ?? false }
    }

    @discardableResult
    public func addDepartment(code: String, name: String) throws -> Department {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO department (code, name) VALUES (?, ?)", arguments: [code, name])
            return Department(id: db.lastInsertedRowID, code: code, name: name)
        }
    }

    @discardableResult
    public func addWindow(code: String, name: String, departmentID: Int64, active: Bool = true) throws -> ServiceWindow {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO service_window (code, name, department_id, active) VALUES (?, ?, ?, ?)",
                arguments: [code, name, departmentID, active]
            )
            return ServiceWindow(id: db.lastInsertedRowID, code: code, name: name, departmentID: departmentID, active: active)
        }
    }

    @discardableResult
    public func addServiceItem(code: String, name: String, departmentID: Int64) throws -> ServiceItem {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO service_item (code, name, department_id) VALUES (?, ?, ?)",
                arguments: [code, name, departmentID]
            )
            return ServiceItem(id: db.lastInsertedRowID, code: code, name: name, departmentID: departmentID)
        }
    }

    @discardableResult
    public func addStaff(code: String, name: String, departmentID: Int64) throws -> StaffMember {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO staff (code, name, department_id) VALUES (?, ?, ?)",
                arguments: [code, name, departmentID]
            )
            return StaffMember(id: db.lastInsertedRowID, code: code, name: name, departmentID: departmentID)
        }
    }
}

extension SurveyStore {
    /// Stores many already-validated submissions with given timestamps in one
    /// transaction, for loading history (the demo center, migrations from other systems).
    /// Client ids already present are skipped. Returns how many rows were added.
    @discardableResult
    public func importResponses(_ responses: [(submission: ValidatedSubmission, atMillis: Int64)]) throws -> Int {
        try pool.write { db in
            var added = 0
            var rollups = RollupBatch(timeZone: timeZone)
            for (submission, millis) in responses {
                if try ResponseRows.insert(submission, atMillis: millis, in: db, rollups: &rollups, cases: casePolicy).created { added += 1 }
            }
            try rollups.flush(in: db)
            return added
        }
    }
}
