import Foundation
import GRDB
import SurveyCore

/// The SQL for the `response` table, shared by single writes, group commits and imports.
///
/// `insert` is the only way a response is written, so it is where the local day is set
/// (in the store's zone, by the same function as `pingjia_local_day`) and where the
/// rollups are kept, through a `RollupBatch` flushed in the caller's transaction, and
/// where a negative response opens its 差评 case, in the same transaction: there is never
/// a 差评 without its case.
enum ResponseRows {
    static let insertSQL = """
        INSERT INTO response (client_id, window_id, department_id, service_item_id, staff_id, channel,
                              attitude, efficiency, result, is_negative, comment, reasons, created_at, local_day,
                              provenance, status, flag_rule, rated_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
        ON CONFLICT(client_id) DO NOTHING
        """

    /// Inserts the response, or finds the original of a replayed client id, adds a new
    /// response to `rollups` (the caller flushes them before its transaction commits), and
    /// opens the case of a new negative response, its deadline counted by `cases`.
    static func insert(
        _ submission: ValidatedSubmission, atMillis millis: Int64, in db: Database, rollups: inout RollupBatch,
        cases: CasePolicy
    ) throws -> RecordOutcome {
        let statement = try db.cachedStatement(sql: insertSQL)
        let ratings = submission.ratings
        // The period is the one the rating was given in, even when it arrives days later.
        let ratedAt = submission.ratedAtMillis ?? millis
        let localDay = rollups.localDay(ofMillis: ratedAt)
        try statement.execute(arguments: [
            submission.clientID, submission.window.id, submission.department.id,
            submission.serviceItem?.id, submission.staff?.id, submission.channel.rawValue,
            ratings.attitude.rawValue, ratings.efficiency.rawValue, ratings.result.rawValue,
            ratings.isNegative ? 1 : 0, submission.comment, encodeReasons(submission.reasons), millis, localDay,
            submission.provenance.rawValue, submission.flagRule == nil ? "valid" : "suspect", submission.flagRule?.rawValue,
            ratedAt,
        ])
        guard db.changesCount > 0 else {
            guard let original = try fetch(clientID: submission.clientID, in: db) else {
                throw StoreError.notStored(reason: "client id conflict without a stored row")
            }
            return RecordOutcome(response: original, kind: sameAnswers(submission, original) ? .replayed : .conflict)
        }
        let id = db.lastInsertedRowID
        let response = StoredResponse(
            id: id, clientID: submission.clientID, windowCode: submission.window.code,
            departmentCode: submission.department.code, ratings: ratings, comment: submission.comment,
            reasons: submission.reasons, channel: submission.channel, serviceItemCode: submission.serviceItem?.code,
            staffCode: submission.staff?.code, createdAtMillis: millis, ratedAtMillis: ratedAt,
            provenance: submission.provenance, flagRule: submission.flagRule
        )
        // A suspect rating is kept but counts nowhere: no rollup, and no 差评 case until
        // staff restore it (a flood of suspect 差评 must not flood the case list either).
        guard submission.flagRule == nil else { return RecordOutcome(response: response, kind: .stored) }
        if ratings.isNegative {
            // One cached statement, for negative rows only: the common positive row pays nothing.
            // The case opens when the 差评 arrives: its deadline counts from then, not from
            // the day a kiosk that was offline recorded it.
            let openedDay = ratedAt == millis ? localDay : rollups.localDay(ofMillis: millis)
            let deadline = cases.deadline(openedOn: LocalDay(daysSinceEpoch: openedDay))
            try db.cachedStatement(sql: CaseRows.openSQL).execute(arguments: [
                id, submission.department.id, millis, openedDay, deadline.daysSinceEpoch,
            ])
        }
        rollups.add(submission, localDay: localDay)
        return RecordOutcome(response: response, kind: .stored)
    }

    /// Whether a submission says the same as the response stored under its client id. The
    /// stored row is compared field by field, which also covers rows stored before this
    /// check existed; the values compared are the validated, normalised ones on both sides.
    static func sameAnswers(_ submission: ValidatedSubmission, _ stored: StoredResponse) -> Bool {
        submission.window.code == stored.windowCode
            && submission.ratings == stored.ratings
            && submission.comment == stored.comment
            && submission.reasons == stored.reasons
            && submission.channel == stored.channel
            && submission.serviceItem?.code == stored.serviceItemCode
            && submission.staff?.code == stored.staffCode
    }

    private static let selectSQL = """
        SELECT r.id, r.client_id, w.code AS window_code, d.code AS department_code,
               r.attitude, r.efficiency, r.result, r.comment, r.reasons, r.channel,
               i.code AS item_code, s.code AS staff_code, r.created_at, r.rated_at, r.provenance, r.flag_rule
        FROM response r
        JOIN service_window w ON w.id = r.window_id
        JOIN department d ON d.id = r.department_id
        LEFT JOIN service_item i ON i.id = r.service_item_id
        LEFT JOIN staff s ON s.id = r.staff_id
        """

    static func fetch(clientID: String, in db: Database) throws -> StoredResponse? {
        try Row.fetchOne(db.cachedStatement(sql: selectSQL + " WHERE r.client_id = ?"), arguments: [clientID]).map(decode)
    }

    static func fetch(id: Int64, in db: Database) throws -> StoredResponse? {
        try Row.fetchOne(db.cachedStatement(sql: selectSQL + " WHERE r.id = ?"), arguments: [id]).map(decode)
    }

    static func decode(_ row: Row) -> StoredResponse {
        func level(_ column: String) -> Level { Level(rawValue: row[column]) ?? .neutral }
        return StoredResponse(
            id: row["id"], clientID: row["client_id"], windowCode: row["window_code"],
            departmentCode: row["department_code"],
            ratings: Ratings(attitude: level("attitude"), efficiency: level("efficiency"), result: level("result")),
            comment: row["comment"], reasons: decodeReasons(row["reasons"]),
            channel: Channel(rawValue: row["channel"]) ?? .web,
            serviceItemCode: row["item_code"], staffCode: row["staff_code"], createdAtMillis: row["created_at"],
            ratedAtMillis: row["rated_at"], provenance: Provenance(rawValue: row["provenance"] ?? "") ?? .unverified,
            flagRule: (row["flag_rule"] as String?).flatMap(FlagRule.init(rawValue:))
        )
    }

    /// Reasons are kept as a JSON array of strings, readable by SQLite's `json_each`.
    static func encodeReasons(_ reasons: [String]) -> String {
        guard !reasons.isEmpty, let data = try? JSONEncoder().encode(reasons) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeReasons(_ text: String?) -> [String] {
        guard let text, text != "[]" else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
