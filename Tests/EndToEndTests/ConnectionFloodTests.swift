import Foundation
import PingjiaTesting
import Testing

/// One client opening connections by the thousand, some idle, some dribbling header bytes:
/// the service stays up for everyone else with its default limits.
@Suite struct ConnectionFloodTests {
    @Test func aFloodFromOneAddressLeavesHealthAndTheKioskAnsweringOthers() throws {
        // Default server limits; only the port is chosen for the test.
        let center = try TestCenter { $0.server.threads = 2 }
        let port = center.application.port
        var flood: [RawHTTPConnection] = []
        for index in 0..<2000 {
            guard let connection = try? RawHTTPConnection(port: port, receiveTimeoutSeconds: 1) else { continue }
            if index % 2 == 1 { try? connection.write("GET /hea") }
            flood.append(connection)
        }
        var other = HTTPTestClient(port: port, source: "127.0.0.2")
        other.receiveTimeoutSeconds = 5
        for round in 0..<10 {
            for (index, connection) in flood.enumerated() where index % 2 == 1 && index % 10 == round {
                try? connection.write("l")
            }
            #expect(try other.get("/healthz").status == 200)
            #expect(try other.get("/kiosk/W01").status == 200)
            usleep(100_000)
        }
        withExtendedLifetime(flood) {}
    }
}
