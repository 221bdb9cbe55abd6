import Foundation
import SurveyCore
@testable import SurveyStore
import Testing

/// Kiosk devices and visits in the store: pairing codes that pair once and only within
/// their time, revocation, one rating per visit (also through the group-commit writer),
/// replays, visits closing as unrated, and the visit indicators.
@Suite struct VisitStoreTests {
    static func fixture() throws -> StoreFixture { try StoreFixture(timeZone: StoreFixture.shanghai) }

    static func hash(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        bytes += Array(repeating: 0, count: max(0, 32 - bytes.count))
        return Array(bytes.prefix(32))
    }

    // MARK: Devices

    @Test func aPairingCodePairsOneTabletOnce() throws {
        let center = try Self.fixture()
        let now = StoreFixture.millis(beijing: "2026-11-27 09:00:00")
        try center.store.createPairingCode(
            codeHash: Self.hash("code-1"), windowID: center.w1.id, deviceName: "大厅平板", actor: "admin1",
            atMillis: now, expiresAtMillis: now + 600_000
        )
        let first = try center.store.redeemPairingCode(codeHash: Self.hash("code-1"), tokenHash: Self.hash("token-1"), atMillis: now + 1000)
        guard case .paired(let device) = first else { Issue.record("the code did not pair: \(first)"); return }
        #expect(device.windowCode == "W1" && device.name == "大厅平板" && device.pairedBy == "admin1" && !device.isRevoked)
        #expect(try center.store.redeemPairingCode(codeHash: Self.hash("code-1"), tokenHash: Self.hash("token-2"), atMillis: now + 2000) == .refused)
        #expect(try center.store.device(tokenHash: Self.hash("token-2")) == nil)
        #expect(try center.store.device(tokenHash: Self.hash("token-1"))?.id == device.id)
        #expect(try center.store.devices().count == 1)
    }

    @Test func aPairingCodePastItsTenMinutesPairsNothing() throws {
        let center = try Self.fixture()
        let now = StoreFixture.millis(beijing: "2026-11-27 09:00:00")
        try center.store.createPairingCode(
            codeHash: Self.hash("code-2"), windowID: center.w2.id, deviceName: nil, actor: "cli:root",
            atMillis: now, expiresAtMillis: now + 600_000
        )
        #expect(try center.store.redeemPairingCode(codeHash: Self.hash("code-2"), tokenHash: Self.hash("t"), atMillis: now + 600_000) == .refused)
        #expect(try center.store.redeemPairingCode(codeHash: Self.hash("unknown"), tokenHash: Self.hash("t"), atMillis: now) == .refused)
        #expect(try center.store.devices().isEmpty)
    }

    @Test func revokingAndRenamingAreAuditedAndRevokingTwiceChangesNothing() throws {
        let center = try Self.fixture()
        let now = StoreFixture.millis(beijing: "2026-11-27 09:00:00")
        try center.store.createPairingCode(
            codeHash: Self.hash("code-3"), windowID: center.w3.id, deviceName: nil, actor: "admin1", atMillis: now, expiresAtMillis: now + 600_000
        )
        guard case .paired(let device) = try center.store.redeemPairingCode(
            codeHash: Self.hash("code-3"), tokenHash: Self.hash("token-3"), atMillis: now
        ) else { Issue.record("not paired"); return }
        #expect(device.name == "W3")
        #expect(try center.store.renameDevice(id: device.id, to: "税务平板", actor: "admin1")?.name == "税务平板")
        let revoked = try #require(try center.store.revokeDevice(id: device.id, actor: "admin1", atMillis: now + 5000))
        #expect(revoked.revokedAtMillis == now + 5000)
        #expect(try center.store.revokeDevice(id: device.id, actor: "admin1", atMillis: now + 9000)?.revokedAtMillis == now + 5000)
        #expect(try center.store.device(tokenHash: Self.hash("token-3"))?.isRevoked == true)
        #expect(try center.store.revokeDevice(id: 999, actor: "admin1") == nil)
        let actions = try center.store.auditEntries(limit: 20).map(\.action)
        #expect(actions.filter { $0 == "device.revoke" }.count == 1)
        #expect(actions.contains("device.rename") && actions.contains("device.pair"))
        try center.store.recordDevicesSeen([device.id: now + 60_000])
        try center.store.recordDevicesSeen([device.id: now + 30_000])
        #expect(try center.store.device(id: device.id)?.lastSeenAtMillis == now + 60_000)
    }

    // MARK: Visits

    static func visit(
        _ center: StoreFixture, _ window: ServiceWindow, token: String, at millis: Int64, staff: StaffMember? = nil,
        minutes: Int64 = 30, handled: (Int64, Int64)? = nil
    ) throws -> VisitRecord {
        try center.store.createVisit(NewVisit(
            tokenHash: hash(token), ticket: "A-\(token)", window: window, staff: staff, serviceItem: nil,
            startedAtMillis: handled?.0, endedAtMillis: handled?.1, createdBy: "key:queue",
            expiresAtMillis: millis + minutes * 60_000, linkExpiresAtMillis: millis + minutes * 60_000
        ), atMillis: millis)
    }

    static func bound(_ center: StoreFixture, _ visit: VisitRecord, levels: (Int, Int, Int) = (5, 5, 5), clientID: String) -> ValidatedSubmission {
        var submission = center.submission(center.w1, levels.0, levels.1, levels.2, clientID: clientID)
        submission.visitID = visit.id
        submission.provenance = .visit
        return submission
    }

    @Test func aVisitTakesOneRatingAndAReplayFindsTheOriginal() throws {
        let center = try Self.fixture()
        let now = StoreFixture.millis(beijing: "2026-11-27 10:00:00")
        let visit = try Self.visit(center, center.w1, token: "v1", at: now)
        #expect(visit.state(atMillis: now) == .open)
        let first = try center.store.record(Self.bound(center, visit, clientID: "client-one"), atMillis: now + 1000)
        #expect(first.kind == .stored)
        let replay = try center.store.record(Self.bound(center, visit, clientID: "client-one"), atMillis: now + 2000)
        #expect(replay.kind == .replayed && replay.response.id == first.response.id)
        let second = try center.store.record(Self.bound(center, visit, levels: (1, 1, 1), clientID: "client-two"), atMillis: now + 3000)
        #expect(second.kind == .visitAlreadyRated)
        #expect(try center.store.response(clientID: "client-two") == nil)
        let stored = try #require(try center.store.visit(id: visit.id))
        #expect(stored.responseID == first.response.id && stored.ratingClientID == "client-one")
        #expect(stored.state(atMillis: now + 10 * 86_400_000) == .rated)
    }

    @Test func twoRatingsOfOneVisitInOneGroupCommitStoreOne() throws {
        let center = try Self.fixture()
        let now = UTCTimestamp.nowMillis()
        let visit = try Self.visit(center, center.w1, token: "v2", at: now)
        let writer = center.store.makeWriter()
        writer.start()
        let done = DispatchGroup()
        let outcomes = OutcomeBox()
        // Queued back to back: in one batch or in two, one rating is stored and one refused.
        for clientID in ["batch-one", "batch-two"] {
            done.enter()
            writer.submit(Self.bound(center, visit, clientID: clientID)) { outcome in
                outcomes.append(outcome)
                done.leave()
            }
        }
        done.wait()
        writer.stop()
        let kinds = outcomes.kinds
        #expect(kinds.filter { $0 == .stored }.count == 1)
        #expect(kinds.filter { $0 == .visitAlreadyRated }.count == 1)
        #expect(try center.store.visit(id: visit.id)?.responseID != nil)
    }

    @Test func aVisitNotRatedInTimeClosesAsUnrated() throws {
        let center = try Self.fixture()
        let now = StoreFixture.millis(beijing: "2026-11-27 10:00:00")
        let visit = try Self.visit(center, center.w2, token: "v3", at: now, minutes: 30)
        #expect(visit.state(atMillis: now + 29 * 60_000) == .open)
        #expect(visit.state(atMillis: now + 30 * 60_000) == .unrated)
        #expect(try center.store.visit(tokenHash: Self.hash("v3"))?.id == visit.id)
    }

    @Test func theVisitIndicatorsCountRatedVisitsOverAllVisitsOpenOnesIncluded() throws {
        let center = try Self.fixture()
        let day1 = StoreFixture.millis(beijing: "2026-11-26 10:00:00")
        let day2 = StoreFixture.millis(beijing: "2026-11-27 10:00:00")
        // W1 (审批科, staff S1): three visits on two days, two rated, two timed (10 and 20 minutes).
        let a = try Self.visit(center, center.w1, token: "a", at: day1, staff: center.s1, handled: (day1 - 600_000, day1))
        _ = try Self.visit(center, center.w1, token: "b", at: day1 + 60_000, staff: center.s1, handled: (day1, day1 + 1_200_000))
        let c = try Self.visit(center, center.w1, token: "c", at: day2)
        // W3 (税务科): one open visit.
        _ = try Self.visit(center, center.w3, token: "d", at: day2)
        _ = try center.store.record(Self.bound(center, a, clientID: "rate-a"), atMillis: day1 + 1000)
        _ = try center.store.record(Self.bound(center, c, clientID: "rate-c"), atMillis: day2 + 1000)
        let period = try Period.month(year: 2026, month: 11)

        let whole = try #require(try center.store.visitFacts(period, by: .center)[.center])
        #expect(whole == VisitFacts(visits: 4, ratedVisits: 2, daysWithVisits: 2, timedVisits: 2, handlingMillis: 1_800_000))
        let indicators = VisitIndicators(whole)
        #expect(indicators.responseRate == 0.5)
        #expect(indicators.peopleServedPerDay == 2)
        #expect(indicators.meanHandlingMinutes == 15)

        let departments = try center.store.visitFacts(period, by: .department)
        #expect(departments[.department(id: center.permits.id)]?.visits == 3)
        #expect(departments[.department(id: center.permits.id)]?.ratedVisits == 2)
        #expect(departments[.department(id: center.tax.id)] == VisitFacts(visits: 1, ratedVisits: 0, daysWithVisits: 1, timedVisits: 0, handlingMillis: 0))
        #expect(VisitIndicators(departments[.department(id: center.tax.id)]!).meanHandlingMinutes == nil)

        let staff = try center.store.visitFacts(period, by: .staff(departmentID: center.permits.id))
        #expect(staff[.staff(id: center.s1.id)]?.visits == 2)
        #expect(staff[.staff(id: nil)]?.visits == 1)
        let windows = try center.store.visitFacts(period, by: .window(departmentID: nil))
        #expect(windows[.window(id: center.w1.id)]?.ratedVisits == 2 && windows[.window(id: center.w3.id)]?.visits == 1)
        #expect(try center.store.visitFacts(try Period.month(year: 2026, month: 10), by: .center).isEmpty)
    }
}

/// Outcomes gathered from the writer's thread.
final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Result<RecordOutcome, StoreError>] = []

    func append(_ outcome: Result<RecordOutcome, StoreError>) {
        lock.lock()
        outcomes.append(outcome)
        lock.unlock()
    }

    var kinds: [RecordOutcome.Kind] {
        lock.lock()
        defer { lock.unlock() }
        return outcomes.compactMap { try? $0.get().kind }
    }
}
