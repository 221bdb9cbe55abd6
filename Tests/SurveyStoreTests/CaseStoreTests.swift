import Foundation
import GRDB
import SurveyCore
@testable import SurveyStore
import Synchronization
import Testing

/// 差评 cases in the store: opened with their response in one transaction (also through
/// the group-commit writer), backfilled by the migration, scoped, with an append-only
/// history, and acted on through the machine.
@Suite struct CaseStoreTests {
    static let admin = Principal(kind: .staff(username: "admin1", role: .admin), departments: .all)
    static let permitsHead = Principal(kind: .staff(username: "head1", role: .head), departments: .only(["SPK"]))

    static func fixture() throws -> StoreFixture { try StoreFixture(timeZone: StoreFixture.shanghai) }

    @Test func aNegativeResponseOpensItsCaseAndAPositiveOneDoesNot() throws {
        let center = try Self.fixture()
        let negative = try center.record(center.w1, (5, 2, 5), at: "2026-11-27 16:30:00")  // a Friday
        let positive = try center.record(center.w1, (5, 4, 3), at: "2026-11-27 16:31:00")
        #expect(try center.store.case(responseID: positive.id, scope: .all) == nil)
        let detail = try #require(try center.store.case(responseID: negative.id, scope: .all))
        #expect(detail.file.state == .new(pending: nil))
        #expect(detail.file.departmentCode == "SPK")
        #expect(detail.file.openedAtMillis == negative.createdAtMillis)
        #expect(detail.file.openedDay.description == "2026-11-27")
        // 15 working days after a Friday, weekends only in this store: Friday three weeks on.
        #expect(detail.file.deadline.description == "2026-12-18")
        #expect(detail.history.isEmpty)
        #expect(try center.store.negativeResponsesWithoutCase() == 0)
    }

    @Test func theDeadlineFollowsTheStoresCalendar() throws {
        let calendar = try WorkingCalendar.weekendsOnly.adding(.init(
            year: 2026, holidays: Array(LocalDay(year: 2026, month: 10, day: 1)!...LocalDay(year: 2026, month: 10, day: 7)!),
            makeUpWorkingDays: [LocalDay(year: 2026, month: 10, day: 10)!]
        ))
        let center = try Self.fixture()
        try center.store.close()
        let store = try SurveyStore(path: center.path, timeZone: StoreFixture.shanghai, casePolicy: CasePolicy(deadlineWorkingDays: 3, calendar: calendar))
        let submission = center.submission(center.w1, 1, 4, 4, clientID: "client-holiday")
        let stored = try store.record(submission, atMillis: StoreFixture.millis(beijing: "2026-09-30 10:00:00")).response
        // 10/8 (Thu), 10/9 (Fri), 10/10 (the Saturday worked).
        #expect(try store.case(responseID: stored.id, scope: .all)?.file.deadline.description == "2026-10-10")
    }

    @Test func theGroupCommitWriterOpensEveryCaseWithItsResponseOrNeither() throws {
        let center = try Self.fixture()
        // A case the database refuses for one response: its response must not be stored either.
        try DatabaseQueue(path: center.path).write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_poisoned_case BEFORE INSERT ON "case"
                WHEN (SELECT client_id FROM response WHERE id = NEW.response_id) = 'client-poison'
                BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;
                """)
        }
        let writer = center.store.makeWriter(maxBatch: 64)
        writer.start()
        let results = Mutex<[String: Bool]>([:])
        let group = DispatchGroup()
        var submissions: [ValidatedSubmission] = []
        for index in 0..<300 {
            let window = center.windows[index % 3]
            submissions.append(index % 3 == 0
                ? center.submission(window, 1 + index % 2, 4, 5, clientID: "client-\(index)")
                : center.submission(window, 5, 4, 4, clientID: "client-\(index)"))
            if index == 150 { submissions.append(center.submission(center.w1, 2, 2, 2, clientID: "client-poison")) }
        }
        for submission in submissions {
            group.enter()
            writer.submit(submission) { result in
                results.withLock { $0[submission.clientID] = (try? result.get()) != nil }
                group.leave()
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        writer.stop()
        let outcome = results.withLock { $0 }
        #expect(outcome["client-poison"] == false)
        #expect(outcome.values.filter { $0 }.count == 300)
        #expect(try center.store.response(clientID: "client-poison") == nil, "the response went with its refused case")
        #expect(try center.store.responseCount() == 300)
        #expect(try center.store.negativeResponsesWithoutCase() == 0)
        #expect(try center.store.cases(filter: CaseFilter(scope: .all), limit: 500).entries.count == 100)
    }

    @Test func theMigrationOpensACaseForEveryNegativeResponseAlreadyStored() throws {
        // A database as the release before v7 left it: responses, and no case tables.
        let center = try Self.fixture()
        let path = center.path
        try center.store.close()
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO response (client_id, window_id, department_id, channel, attitude, efficiency, result,
                                      is_negative, created_at, local_day)
                VALUES ('old-1', 1, 1, 'kiosk', 2, 4, 4, 1, 1795000000000, 20775),
                       ('old-2', 1, 1, 'kiosk', 5, 5, 5, 0, 1795000001000, 20775),
                       ('old-3', 3, 2, 'kiosk', 1, 1, 1, 1, 1795000002000, 20775);
                DELETE FROM grdb_migrations WHERE identifier = 'v8-cases';
                DROP TABLE case_event; DROP TABLE "case";
                """)
        }
        try old.close()
        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        #expect(store.migrationsApplied == ["v8-cases"])
        #expect(try store.negativeResponsesWithoutCase() == 0)
        let cases = try store.cases(filter: CaseFilter(scope: .all)).entries
        #expect(cases.count == 2)
        for file in cases {
            #expect(file.state == .new(pending: nil))
            #expect(file.openedAtMillis == (file.departmentCode == "SPK" ? 1_795_000_000_000 : 1_795_000_002_000))
            #expect(file.openedDay == LocalDay(daysSinceEpoch: 20775))
            #expect(file.deadline == CasePolicy().deadline(openedOn: file.openedDay))
        }
    }

    @Test func theHistoryIsAppendOnly() throws {
        let center = try Self.fixture()
        let response = try center.record(center.w1, (2, 2, 2), at: "2026-11-02 09:00:00")
        let file = try #require(try center.store.case(responseID: response.id, scope: .all)).file
        try center.store.perform(.start(note: "已核实"), on: file.id, by: Self.admin, atMillis: 1)
        let queue = try DatabaseQueue(path: center.path)
        for sql in ["UPDATE case_event SET note = 'changed'", "DELETE FROM case_event"] {
            #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: sql) } }
        }
        try queue.close()
        let history = try #require(try center.store.case(id: file.id, scope: .all)).history
        #expect(history.map(\.event.note) == ["已核实"])
        #expect(history.first?.actor == "admin1")
    }

    @Test func aCaseOutsideTheScopeDoesNotExist() throws {
        let center = try Self.fixture()
        let taxResponse = try center.record(center.w3, (1, 3, 3), at: "2026-11-02 09:00:00")
        let permitsResponse = try center.record(center.w2, (3, 1, 3), at: "2026-11-02 09:05:00")
        let tax = try #require(try center.store.case(responseID: taxResponse.id, scope: .all)).file
        #expect(try center.store.case(id: tax.id, scope: Self.permitsHead.departments) == nil)
        #expect(try center.store.case(responseID: taxResponse.id, scope: Self.permitsHead.departments) == nil)
        #expect(throws: CaseStoreError.caseNotFound(id: tax.id)) {
            try center.store.perform(.start(note: nil), on: tax.id, by: Self.permitsHead)
        }
        #expect(try center.store.case(id: tax.id, scope: .all)?.file.state == .new(pending: nil), "nothing changed")
        let listed = try center.store.cases(filter: CaseFilter(scope: Self.permitsHead.departments)).entries
        #expect(listed.map(\.responseID) == [permitsResponse.id])
        #expect(try center.store.cases(filter: CaseFilter(scope: .only([]))).entries.isEmpty)
        #expect(try center.store.cases(filter: CaseFilter(scope: .all, departmentCode: "SWK")).entries.map(\.id) == [tax.id])
        #expect(throws: CaseStoreError.caseNotFound(id: 999_999)) {
            try center.store.perform(.start(note: nil), on: 999_999, by: Self.admin)
        }
    }

    @Test func aRefusedActionWritesNothing() throws {
        let center = try Self.fixture()
        let response = try center.record(center.w1, (2, 5, 5), at: "2026-11-02 09:00:00")
        let file = try #require(try center.store.case(responseID: response.id, scope: .all)).file
        #expect(throws: CaseActionError.self) {
            try center.store.perform(.close(note: nil), on: file.id, by: Self.admin)
        }
        let viewer = Principal(kind: .staff(username: "v1", role: .viewer), departments: .all)
        #expect(throws: CaseActionError.notAllowedForRole(action: .start, needs: .handler)) {
            try center.store.perform(.start(note: nil), on: file.id, by: viewer)
        }
        let detail = try #require(try center.store.case(id: file.id, scope: .all))
        #expect(detail.file == file)
        #expect(detail.history.isEmpty)
    }

    @Test func aCaseGoesFromArrivalToClosedWithItsHistory() throws {
        let center = try Self.fixture()
        let response = try center.record(center.w1, (2, 4, 4), at: "2026-11-02 09:00:00")
        let id = try #require(try center.store.case(responseID: response.id, scope: .all)).file.id
        let store = center.store
        let reviewer = Principal(kind: .staff(username: "rev1", role: .reviewer), departments: .only(["SPK"]))
        try store.perform(.assign(assignee: "rev1", note: "请处理"), on: id, by: Self.permitsHead, atMillis: 10)
        try store.perform(.start(note: "已核实"), on: id, by: reviewer, atMillis: 20)
        try store.perform(.requestExtension(days: 3, reason: "等待材料"), on: id, by: reviewer, atMillis: 30)
        let extended = try store.perform(.approveExtension(note: "同意"), on: id, by: Self.admin, atMillis: 40)
        #expect(extended.extensionDays == 3)
        #expect(extended.deadline.description == "2026-11-26")
        try store.perform(.note("电话未接通", callbackAttempt: true), on: id, by: reviewer, atMillis: 50)
        let rectifiedAt = StoreFixture.millis(beijing: "2026-11-05 15:00:00")
        try store.perform(.rectify(callback: .basicallySatisfied, note: "已整改并回访"), on: id, by: reviewer, atMillis: rectifiedAt)
        let closed = try store.perform(.close(note: nil), on: id, by: Self.permitsHead, atMillis: rectifiedAt + 1)
        #expect(closed.state == .closed(.rectified(Callback(result: .basicallySatisfied, note: "已整改并回访"))))
        let detail = try #require(try store.case(id: id, scope: .all))
        #expect(detail.file == closed, "what is read back is what was decided")
        #expect(detail.history.map(\.event.action) == [.assign, .start, .requestExtension, .approveExtension, .note, .rectify, .close])
        #expect(detail.history.map(\.actor) == ["head1", "rev1", "rev1", "admin1", "rev1", "rev1", "head1"])
        #expect(detail.history[5].event.data == ["callback_result": "basically_satisfied"])
        #expect(try store.cases(filter: CaseFilter(scope: .all, state: .closed)).entries.map(\.id) == [id])
        // The facts the indicators read: rectified on 11-05, three working days after 11-02.
        let facts = try store.caseFacts(period: period("2026-11"))
        #expect(facts == [CaseFacts(
            departmentCode: "SPK", openedDay: LocalDay(year: 2026, month: 11, day: 2)!, deadline: closed.deadline,
            state: .closed, rectifiedDay: LocalDay(year: 2026, month: 11, day: 5)!, callback: .basicallySatisfied
        )])
    }

    @Test(arguments: [(AppealRuling.invalid, ResponseStatus.invalid), (.malicious, .misuse)])
    func anUpheldAppealFlagsTheResponseInTheSameTransaction(_ ruling: AppealRuling, _ status: ResponseStatus) throws {
        let center = try Self.fixture()
        let response = try center.record(center.w1, (1, 1, 1), at: "2026-11-02 09:00:00")
        let id = try #require(try center.store.case(responseID: response.id, scope: .all)).file.id
        #expect(try center.store.centerTally(period("2026-11")).negative == 1)
        try center.store.perform(.appeal(ruling: ruling, reason: "与办事无关"), on: id, by: Self.permitsHead, atMillis: 10)
        #expect(try center.store.status(responseID: response.id) == .valid, "asking changes nothing yet")
        let closed = try center.store.perform(.approveAppeal(note: nil), on: id, by: Self.admin, atMillis: 20)
        #expect(closed.state == .closed(.appealUpheld(Appeal(ruling: ruling, reason: "与办事无关", requestedBy: "head1"))))
        #expect(try center.store.status(responseID: response.id) == status)
        #expect(try center.store.response(id: response.id) != nil, "kept")
        #expect(try center.store.centerTally(period("2026-11")).responses == 0, "excluded from the scores")
        #expect(try center.store.statusChanges(responseID: response.id).map(\.changedBy) == ["admin1"])
        #expect(try center.store.verify().isConsistent)
        #expect(try center.store.case(id: id, scope: .all)?.file == closed)
    }

    @Test func aRejectedAppealSendsTheCaseBack() throws {
        let center = try Self.fixture()
        let response = try center.record(center.w1, (1, 5, 5), at: "2026-11-02 09:00:00")
        let id = try #require(try center.store.case(responseID: response.id, scope: .all)).file.id
        try center.store.perform(.start(note: nil), on: id, by: Self.permitsHead)
        try center.store.perform(.appeal(ruling: .invalid, reason: "误按"), on: id, by: Self.permitsHead)
        #expect(try center.store.case(id: id, scope: .all)?.file.state.pending != nil)
        let back = try center.store.perform(.rejectAppeal(note: "证据不足"), on: id, by: Self.admin)
        #expect(back.state == .inProgress(pending: nil))
        #expect(try center.store.status(responseID: response.id) == .valid)
    }

    @Test func listsFilterAndPageWithAStableCursor() throws {
        let center = try Self.fixture()
        var ids: [Int64] = []
        for index in 0..<7 {
            let response = try center.record(center.w1, (2, 3, 3), at: "2026-11-02 09:0\(index):00")
            ids.append(try #require(try center.store.case(responseID: response.id, scope: .all)).file.id)
        }
        let store = center.store
        try store.perform(.assign(assignee: "rev1", note: nil), on: ids[0], by: Self.admin)
        try store.perform(.start(note: nil), on: ids[1], by: Self.admin)
        let first = try store.cases(filter: CaseFilter(scope: .all), limit: 3)
        #expect(first.entries.map(\.id) == [ids[6], ids[5], ids[4]])
        // A case opened between pages does not shift the next page.
        _ = try center.record(center.w2, (1, 1, 1), at: "2026-11-03 09:00:00")
        let second = try store.cases(filter: CaseFilter(scope: .all), cursor: first.nextCursor, limit: 3)
        #expect(second.entries.map(\.id) == [ids[3], ids[2], ids[1]])
        let last = try store.cases(filter: CaseFilter(scope: .all), cursor: second.nextCursor, limit: 3)
        #expect(last.entries.map(\.id) == [ids[0]])
        #expect(last.nextCursor == nil)

        #expect(try store.cases(filter: CaseFilter(scope: .all, assignee: "rev1")).entries.map(\.id) == [ids[0]])
        #expect(try store.cases(filter: CaseFilter(scope: .all, state: .inProgress)).entries.map(\.id) == [ids[1]])
        // Deadline 2026-11-23 (15 working days after Monday 11-02): overdue from 11-24.
        let onTime = LocalDay(year: 2026, month: 11, day: 23)!, late = onTime.advanced(by: 1)
        #expect(try store.cases(filter: CaseFilter(scope: .all, overdue: true), today: onTime).entries.isEmpty)
        #expect(try store.cases(filter: CaseFilter(scope: .all, overdue: true), today: late).entries.count == 7)
        #expect(try store.cases(filter: CaseFilter(scope: .all, overdue: false), today: late).entries.count == 1, "the one from 11-03")
    }
}
