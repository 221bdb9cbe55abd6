import SurveyWeb
import Testing

/// The throttle's decisions, driven with explicit times: no test waits.
@Suite struct FailureThrottleTests {
    static let policy = ThrottlePolicy(freeFailures: 3, firstDelaySeconds: 2, maxDelaySeconds: 60, forgetAfterSeconds: 3600)

    @Test func failuresUpToTheFreeOnesAreNeverRefused() {
        var record: ThrottleRecord?
        for second in 0..<3 {
            record = Self.policy.recordingFailure(record, now: Double(second))
            #expect(Self.policy.decide(record, now: Double(second)) == .allow)
        }
        #expect(record?.failures == 3)
    }

    @Test func theFirstFailurePastTheFreeOnesLocksOutForTheFirstDelay() {
        var record: ThrottleRecord?
        for _ in 0..<4 { record = Self.policy.recordingFailure(record, now: 100) }
        #expect(Self.policy.decide(record, now: 100) == .refuse(retryAfterSeconds: 2))
        #expect(Self.policy.decide(record, now: 101.5) == .refuse(retryAfterSeconds: 1))
        #expect(Self.policy.decide(record, now: 102) == .allow)
    }

    @Test(arguments: [(4, 2.0), (5, 4.0), (6, 8.0), (7, 16.0), (8, 32.0), (9, 60.0), (50, 60.0), (10_000, 60.0)])
    func eachFurtherFailureDoublesTheLockOutUpToTheCap(failures: Int, delay: Double) {
        #expect(Self.policy.delay(afterFailures: failures) == delay)
    }

    @Test func noDelayWhileFailuresAreFree() {
        #expect(Self.policy.delay(afterFailures: 0) == nil)
        #expect(Self.policy.delay(afterFailures: 3) == nil)
    }

    @Test func delaysGrowAcrossLockOutsWhenTheClientKeepsFailing() {
        var record: ThrottleRecord?
        var now = 0.0
        var waits: [Int] = []
        for _ in 0..<7 {
            record = Self.policy.recordingFailure(record, now: now)
            if case .refuse(let seconds) = Self.policy.decide(record, now: now) {
                waits.append(seconds)
                now += Double(seconds)
            }
        }
        #expect(waits == [2, 4, 8, 16])
    }

    @Test func aClientIsForgottenAfterAQuietHour() {
        var record: ThrottleRecord?
        for _ in 0..<5 { record = Self.policy.recordingFailure(record, now: 0) }
        #expect(Self.policy.decide(record, now: 3599) == .allow) // lock-out over, still remembered
        #expect(Self.policy.isStale(record!, now: 3600))
        record = Self.policy.recordingFailure(record, now: 3600)
        #expect(record?.failures == 1)
        #expect(Self.policy.decide(record, now: 3600) == .allow)
    }

    @Test func anUnknownClientMayTry() {
        #expect(Self.policy.decide(nil, now: 0) == .allow)
    }

    @Test func theSharedThrottleKeepsClientsApartAndForgetsOnSuccess() {
        let throttle = FailureThrottle<String>(policy: Self.policy)
        for _ in 0..<4 { throttle.recordFailure("a", now: 10) }
        #expect(throttle.check("a", now: 10) == .refuse(retryAfterSeconds: 2))
        #expect(throttle.check("b", now: 10) == .allow)
        throttle.recordSuccess("a")
        #expect(throttle.check("a", now: 10) == .allow)
    }

    @Test func theTableStaysWithinItsBound() {
        let throttle = FailureThrottle<Int>(policy: Self.policy, maxClients: 100)
        for client in 0..<1000 { throttle.recordFailure(client, now: Double(client)) }
        // The newest clients are kept; the oldest were dropped to make room.
        for _ in 0..<3 { throttle.recordFailure(999, now: 1000) }
        #expect(throttle.check(999, now: 1000) != .allow)
        for _ in 0..<3 { throttle.recordFailure(0, now: 1000) }
        #expect(throttle.check(0, now: 1000) == .allow)
    }
}
