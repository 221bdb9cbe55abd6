import GRDB
import SurveyCore

extension SurveyStore {
    /// The whole organisation: departments, windows, service items and staff, active or
    /// not, read in one transaction with the directory's version.
    public func directory() throws -> Directory {
        try pool.read { db in try DirectoryRows.directory(in: db) }
    }

    /// The directory's version: it changes in the transaction of every change to the
    /// directory, so a reader can tell cheaply whether its snapshot is still current.
    public func directoryVersion() throws -> Int64 {
        try pool.read { db in try DirectoryRows.version(in: db) }
    }

    /// Whether any department exists yet, i.e. whether the center has been set up.
    public func hasDirectory() throws -> Bool {
        try pool.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM department)") ?? false }
    }

    // Unaudited additions for building a center in code (the demo, tests, benchmarks).
    // Administrators' changes go through `addDirectoryEntry` and its siblings.

    @discardableResult
    public func addDepartment(code: String, name: String, englishName: String? = nil) throws -> Department {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO department (code, name, name_en) VALUES (?, ?, ?)", arguments: [code, name, englishName])
            let id = db.lastInsertedRowID
            try DirectoryRows.bumpVersion(in: db)
            return Department(id: id, code: code, name: name, englishName: englishName)
        }
    }

    @discardableResult
    public func addWindow(code: String, name: String, englishName: String? = nil, departmentID: Int64, active: Bool = true) throws -> ServiceWindow {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO service_window (code, name, name_en, department_id, active) VALUES (?, ?, ?, ?, ?)",
                arguments: [code, name, englishName, departmentID, active]
            )
            let id = db.lastInsertedRowID
            try DirectoryRows.bumpVersion(in: db)
            return ServiceWindow(id: id, code: code, name: name, englishName: englishName, departmentID: departmentID, active: active)
        }
    }

    @discardableResult
    public func addServiceItem(code: String, name: String, englishName: String? = nil, departmentID: Int64) throws -> ServiceItem {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO service_item (code, name, name_en, department_id) VALUES (?, ?, ?, ?)",
                arguments: [code, name, englishName, departmentID]
            )
            let id = db.lastInsertedRowID
            try DirectoryRows.bumpVersion(in: db)
            return ServiceItem(id: id, code: code, name: name, englishName: englishName, departmentID: departmentID)
        }
    }

    @discardableResult
    public func addStaff(code: String, name: String, departmentID: Int64) throws -> StaffMember {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO staff (code, name, department_id) VALUES (?, ?, ?)",
                arguments: [code, name, departmentID]
            )
            let id = db.lastInsertedRowID
            try DirectoryRows.bumpVersion(in: db)
            return StaffMember(id: id, code: code, name: name, departmentID: departmentID)
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
