import Foundation
import GRDB
import SurveyCore
import SurveyStore
import Testing

/// Excluding a response takes it out of every figure at once, keeps it, and leaves an
/// audit trail; restoring it puts it back.
@Suite struct ModerationTests {
    @Test func aFlaggedResponseLeavesTheTalliesAndARestoreBringsItBack() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let good = try f.record(f.w1, (5, 5, 5), at: "2026-10-05 09:00:00", staff: f.s1, item: f.i1)
        let bad = try f.record(f.w1, (1, 2, 1), at: "2026-10-05 09:01:00", staff: f.s1, item: f.i1)
        let q4 = period("2026-Q4")
        #expect(try f.store.centerTally(q4).negative == 1)

        let change = try #require(try f.store.setStatus(
            responseID: bad.id, status: .misuse, reason: "同一人连续按键", by: "reviewer-1", atMillis: 1_790_000_000_000
        ))
        #expect(change.from == .valid && change.to == .misuse && change.changedBy == "reviewer-1")
        #expect(try f.store.centerTally(q4) == ResponseTally([good.ratings]))
        #expect(try f.store.tallies(q4, by: .staff(departmentID: f.permits.id)) == [.staff(id: f.s1.id): ResponseTally([good.ratings])])
        #expect(try f.store.status(responseID: bad.id) == .misuse)
        #expect(try f.store.response(id: bad.id) != nil, "the response is kept")

        // Moving between excluded statuses changes no figure but is audited.
        try f.store.setStatus(responseID: bad.id, status: .invalid, reason: "无效差评审核通过")
        #expect(try f.store.centerTally(q4).responses == 1)

        try f.store.setStatus(responseID: bad.id, status: .valid, reason: "申诉复核：恢复")
        #expect(try f.store.centerTally(q4) == ResponseTally([good.ratings, bad.ratings]))
        #expect(try f.store.verify().isConsistent)

        let trail = try f.store.statusChanges(responseID: bad.id)
        #expect(trail.map(\.to) == [.misuse, .invalid, .valid])
        #expect(trail.map(\.from) == [.valid, .misuse, .invalid])
        #expect(trail.first?.reason == "同一人连续按键")
        #expect(trail.first?.changedAtMillis == 1_790_000_000_000)
    }

    @Test func excludingTheOnlyResponseOfADayLeavesNoEmptyRollupRow() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let only = try f.record(f.w2, (3, 3, 3), at: "2026-11-11 11:11:11")
        try f.store.setStatus(responseID: only.id, status: .test, reason: "安装调试")
        #expect(try f.store.tallies(period("2026-11"), by: .window()).isEmpty)
        let report = try f.store.verify()
        #expect(report.isConsistent && report.windowDayRows == 0 && report.detailDayRows == 0)
    }

    @Test func settingTheSameStatusRecordsNothing() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let response = try f.record(f.w1, (4, 4, 4), at: "2026-10-05 09:00:00")
        #expect(try f.store.setStatus(responseID: response.id, status: .valid, reason: "no-op") == nil)
        #expect(try f.store.statusChanges(responseID: response.id).isEmpty)
    }

    @Test func unknownResponsesAndBlankReasonsAreRefused() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let response = try f.record(f.w1, (4, 4, 4), at: "2026-10-05 09:00:00")
        #expect(throws: ModerationError.responseNotFound(id: 999)) {
            try f.store.setStatus(responseID: 999, status: .misuse, reason: "x")
        }
        #expect(throws: ModerationError.reasonRequired) {
            try f.store.setStatus(responseID: response.id, status: .misuse, reason: "  \n")
        }
        #expect(try f.store.status(responseID: response.id) == .valid)
    }

    @Test func theAuditCannotBeRewritten() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let response = try f.record(f.w1, (4, 4, 4), at: "2026-10-05 09:00:00")
        try f.store.setStatus(responseID: response.id, status: .test, reason: "测试")
        let queue = try DatabaseQueue(path: f.path)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE response_status_change SET reason = 'changed'") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "DELETE FROM response_status_change") }
        }
        try queue.close()
        #expect(try f.store.statusChanges(responseID: response.id).map(\.reason) == ["测试"])
    }
}
