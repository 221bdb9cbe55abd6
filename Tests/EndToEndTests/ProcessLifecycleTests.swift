import Foundation
import PingjiaTesting
import SurveyStore
import Testing

/// The real executable as a separate process: an acknowledged response survives SIGKILL,
/// and SIGTERM stops the server cleanly after the requests in flight.
@Suite(.serialized) struct ProcessLifecycleTests {
    @Test func acknowledgedResponsesSurviveAKillOfTheProcess() throws {
        let database = TestCenter.temporaryDatabasePath()
        try TestCenter.seed(database)
        let server = try PingjiaProcess(database: database)
        let client = HTTPTestClient(port: server.port)
        var acknowledged: [String] = []
        for index in 0..<25 {
            let id = "crash-test-\(index)"
            let response = try client.postJSON("/api/v1/responses", #"{"window":"W01","attitude":4,"efficiency":4,"result":5,"client_id":"\#(id)"}"#)
            #expect(response.status == 201)
            acknowledged.append(id)
        }
        _ = server.kill(SIGKILL)

        let restarted = try PingjiaProcess(database: database)
        let replay = try HTTPTestClient(port: restarted.port).postJSON(
            "/api/v1/responses", #"{"window":"W01","attitude":4,"efficiency":4,"result":5,"client_id":"crash-test-0"}"#
        )
        #expect(replay.status == 200)
        #expect(restarted.kill(SIGTERM) == 0)

        let store = try SurveyStore(path: database, timeZone: TestCenter.shanghai)
        for id in acknowledged {
            #expect(try store.response(clientID: id) != nil, "\(id) was acknowledged but is missing")
        }
        #expect(try store.responseCount() == acknowledged.count)
    }

    @Test func sigtermStopsCleanly() throws {
        let database = TestCenter.temporaryDatabasePath()
        try TestCenter.seed(database)
        let server = try PingjiaProcess(database: database)
        #expect(try HTTPTestClient(port: server.port).get("/healthz").status == 200)
        #expect(server.kill(SIGTERM) == 0)
        // A clean stop checkpoints the WAL into the main file.
        let wal = (try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
    }
}
