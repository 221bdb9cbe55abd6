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

    @Test func kioskPagesAreAnsweredWhileAYearIsRechecked() throws {
        // One pool thread: a read that held it would hold every kiosk.
        let center = try TestCenter { $0.server.threads = 1 }
        try center.importYear(2025, perDay: 400)
        _ = try center.application.web.reports.publish(try Period(parsing: "2025"))
        let key = try center.store.createAPIKey(name: "assessment", scopes: ["indicators:read"]).plaintextKey
        let client = center.client
        let web = center.application.web

        let events = Events()
        let recheckAnswered = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let response = try? client.get("/api/v1/indicators/recheck?period=2025", headers: [("Authorization", "Bearer \(key)")])
            events.append("recheck \(response?.status ?? 0) matches=\(response?.json["matches"] as? Bool ?? false)")
            recheckAnswered.signal()
        }
        // Wait until the server is computing the 复核 (the bound only ends a hung run).
        var polls = 0
        while web.slowReadsInFlight == 0 && polls < 60_000 {
            usleep(500)
            polls += 1
        }
        #expect(web.slowReadsInFlight == 1)
        let kiosk = try client.get("/kiosk/W01")
        events.append("kiosk \(kiosk.status)")
        recheckAnswered.wait()
        #expect(events.all == ["kiosk 200", "recheck 200 matches=true"])
    }
}
