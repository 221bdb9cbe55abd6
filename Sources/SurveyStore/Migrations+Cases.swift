import Foundation
import GRDB
import SurveyCore

extension Migrations {
    // MARK: 差评 cases (整改)

    /// v7: a case for every negative response, and each case's append-only history.
    ///
    /// `"case"` is quoted everywhere: CASE is a keyword in SQLite and PostgreSQL alike.
    /// The migration opens a case (`new`, opened when the response was stored) for every
    /// negative response already stored, so that no 差评 is ever without its case.
    static func registerCases(in migrator: inout DatabaseMigrator, policy: CasePolicy) {
        migrator.registerMigration("v8-cases") { db in
            try db.execute(sql: """
                -- pending: the JSON of the request (appeal or extension) waiting for an admin;
                -- once an upheld appeal closes the case, the appeal that closed it.
                -- Days are local day numbers in the center's zone, like response.local_day.
                CREATE TABLE "case" (
                    id INTEGER PRIMARY KEY,
                    response_id INTEGER NOT NULL UNIQUE REFERENCES response(id),
                    department_id INTEGER NOT NULL REFERENCES department(id),
                    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'in_progress', 'rectified', 'closed')),
                    pending TEXT,
                    assignee TEXT,
                    opened_at INTEGER NOT NULL,
                    opened_day INTEGER NOT NULL,
                    deadline_day INTEGER NOT NULL,
                    extension_days INTEGER NOT NULL DEFAULT 0,
                    callback_attempts INTEGER NOT NULL DEFAULT 0,
                    callback_result TEXT
                        CHECK (callback_result IN ('satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable')),
                    callback_note TEXT,
                    rectified_at INTEGER,
                    rectified_day INTEGER,
                    closed_at INTEGER,
                    closed_as TEXT CHECK (closed_as IN ('rectified', 'appeal_upheld')),
                    CHECK ((state IN ('rectified', 'closed')) = (closed_as IS NOT NULL OR callback_result IS NOT NULL)),
                    CHECK ((state = 'closed') = (closed_as IS NOT NULL))
                );
                -- Lists read a scope's cases newest first; indicators read by opening and due day.
                CREATE INDEX case_by_department ON "case"(department_id, id);
                CREATE INDEX case_by_department_opened ON "case"(department_id, opened_day);
                CREATE INDEX case_by_department_deadline ON "case"(department_id, deadline_day);

                CREATE TABLE case_event (
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES "case"(id),
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    note TEXT,
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL,
                    data TEXT NOT NULL DEFAULT '{}'
                );
                CREATE INDEX case_event_by_case ON case_event(case_id, id);
                CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event
                BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
                CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event
                BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
                """)
            // Deadlines need the working-day calendar, which SQL does not have.
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, department_id, created_at, local_day FROM response WHERE is_negative = 1 ORDER BY id
                """)
            let open = try db.makeStatement(sql: """
                INSERT INTO "case" (response_id, department_id, opened_at, opened_day, deadline_day)
                VALUES (?, ?, ?, ?, ?)
                """)
            for row in rows {
                let day: Int64 = row["local_day"]
                let deadline = policy.deadline(openedOn: LocalDay(daysSinceEpoch: day))
                try open.execute(arguments: [row["id"], row["department_id"], row["created_at"], day, deadline.daysSinceEpoch])
            }
        }
    }

    // MARK: Feedback review

    /// The staff's feedback review: comment search, the indexes its filters need, and API
    /// keys limited to departments.
}
