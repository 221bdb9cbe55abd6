import Foundation
import PingjiaTesting
import SurveyCore
import Synchronization
import Testing

/// Slow reads (a year's 复核, big reports) run beside the server's threads, not on them:
/// a kiosk is answered while they are still being computed.
@Suite struct SlowReadTests {
    /// What happened, in the order it happened.
    final class Events: Sendable {
        private let list = Mutex<[String]>([])
        func append(_ event: String) { list.withLock { $0.append(event) } }
        var all: [String] { list.withLock { $0 } }
    }

    /// Fills `center` with a year of responses, publishes it, asks for its 复核 from a thread
    /// of its own and returns once the server is computing it. The 复核's answer is
    /// appended to `events`; the semaphore is signalled when it has arrived.
    static func startRecheckOfAYear(_ center: TestCenter, events: Events) throws -> DispatchSemaphore {
        try center.importYear(2025, perDay: 400)
        _ = try center.application.web.reports.publish(try Period(parsing: "2025"))
        let key = try center.store.createAPIKey(name: "assessment", scopes: ["indicators:read"]).plaintextKey
        let client = center.client
        let answered = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let response = try? client.get("/api/v1/indicators/recheck?period=2025", headers: [("Authorization", "Bearer \(key)")])
            events.append("recheck \(response?.status ?? 0) matches=\(response?.json["matches"] as? Bool ?? false)")
            answered.signal()
        }
        // The bound only ends a hung run.
        var polls = 0
        while center.application.web.slowReadsInFlight == 0 && polls < 60_000 {
            usleep(500)
            polls += 1
        }
        #expect(center.application.web.slowReadsInFlight == 1)
        return answered
    }

    @Test func kioskPagesAreAnsweredWhileAYearIsRechecked() throws {
        // One pool thread: a read that held it would hold every kiosk.
        let center = try TestCenter { $0.server.threads = 1 }
        let events = Events()
        let recheckAnswered = try Self.startRecheckOfAYear(center, events: events)
        let kiosk = try center.client.get("/kiosk/W01")
        events.append("kiosk \(kiosk.status)")
        recheckAnswered.wait()
        #expect(events.all == ["kiosk 200", "recheck 200 matches=true"])
    }

    @Test func shutdownWaitsForARecheckInFlightAndSendsIt() throws {
        // No grace at all: shutdown must still wait for the read it already accepted.
        let center = try TestCenter {
            $0.server.threads = 1
            $0.server.shutdownGraceSeconds = 0
        }
        let events = Events()
        let recheckAnswered = try Self.startRecheckOfAYear(center, events: events)
        center.application.shutdown()
        events.append("shut down")
        recheckAnswered.wait()
        #expect(events.all == ["recheck 200 matches=true", "shut down"])
    }
}
