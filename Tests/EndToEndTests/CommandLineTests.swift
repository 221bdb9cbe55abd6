import Foundation
import PingjiaTesting
import Testing

/// The `pingjia` commands as an operator runs them, on a real database file.
@Suite(.serialized) struct CommandLineTests {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    static func pingjia(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = PingjiaProcess.executable
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    static func config(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "pingjia-cli-\(UUID().uuidString).json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func apikeyCreatePrintsTheKeyAloneOnTheLastLineAndItWorks() throws {
        let database = TestCenter.temporaryDatabasePath()
        try TestCenter.seed(database)
        let created = try Self.pingjia(["apikey", "create", "--db", database, "--name", "assessment", "--scope", "indicators:read"])
        #expect(created.status == 0)
        let key = try #require(created.output.split(separator: "\n").last.map(String.init))
        #expect(key.hasPrefix("pj_") && !key.contains(" "))
        let listed = try Self.pingjia(["apikey", "list", "--db", database])
        #expect(listed.output.contains("assessment") && !listed.output.contains(key))

        let server = try PingjiaProcess(database: database)
        let client = HTTPTestClient(port: server.port)
        #expect(try client.get("/api/v1/indicators?period=2026", headers: [("Authorization", "Bearer \(key)")]).status == 200)
        #expect(try Self.pingjia(["apikey", "revoke", "--db", database, "--name", "assessment"]).status == 0)
        #expect(try client.get("/api/v1/indicators?period=2026", headers: [("Authorization", "Bearer \(key)")]).status == 401)
        #expect(server.kill(SIGTERM) == 0)
    }

    @Test func apikeyCreateLimitsAKeyToDepartments() throws {
        let database = TestCenter.temporaryDatabasePath()
        try TestCenter.seed(database)
        let created = try Self.pingjia([
            "apikey", "create", "--db", database, "--name", "hotline", "--scope", "feedback:read", "--department", "SCJG",
        ])
        #expect(created.status == 0)
        #expect(created.output.contains("limited to departments SCJG"))
        #expect(try Self.pingjia(["apikey", "list", "--db", database]).output.contains("departments SCJG"))
        let typo = try Self.pingjia([
            "apikey", "create", "--db", database, "--name", "typo", "--scope", "feedback:read", "--department", "SCGJ",
        ])
        #expect(typo.status != 0)
        #expect(typo.errors.contains("No department has the code “SCGJ”"))
        #expect(try !Self.pingjia(["apikey", "list", "--db", database]).output.contains("typo"))
    }

    @Test func indicatorsVerifyAndPublishWorkFromTheCommandLine() throws {
        let database = TestCenter.temporaryDatabasePath()
        #expect(try Self.pingjia(["demo", "--db", database, "--days", "20"]).status == 0)
        let verified = try Self.pingjia(["verify", "--db", database])
        #expect(verified.status == 0)
        #expect(verified.output.contains("Rollup rows that differ: 0"))
        // The demo's 20 days end today; the year containing today (UTC, near enough) has them.
        let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
        let json = try Self.pingjia(["indicators", "--db", database, "--period", year, "--format", "json"])
        #expect(json.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((document["departments"] as? [Any])?.count == 8)
        // The demo's recent ratings came partly through visits: the visit indicators have figures.
        let center = try #require(document["center"] as? [String: Any])
        for name in ["visits", "rated_visits", "response_rate", "people_served_per_day", "mean_handling_minutes"] {
            #expect((center[name] as? Double ?? 0) > 0, "the demo's \(name)")
        }
        #expect((center["response_rate"] as? Double ?? 1) < 1, "some demo visits are unrated")
        for department in document["departments"] as? [[String: Any]] ?? [] {
            #expect((department["visits"] as? Int ?? 0) > 0, "visits at \(department["code"] ?? "?")")
        }
        let table = try Self.pingjia(["indicators", "--db", database, "--period", year])
        #expect(table.output.contains("市场监管科"))
        let bad = try Self.pingjia(["indicators", "--db", database, "--period", "2026-Q7"])
        #expect(bad.status != 0)
        #expect(bad.errors.contains("Q7") || bad.errors.contains("quarter"))

        // A period that has not ended cannot be frozen; one that has, can, once.
        let early = try Self.pingjia(["publish", "--db", database, year])
        #expect(early.status != 0)
        #expect(early.errors.contains("尚未结束"))
        let lastYear = String(Int(year)! - 1)
        let published = try Self.pingjia(["publish", "--db", database, lastYear])
        #expect(published.status == 0)
        #expect(published.output.contains("sha256:"))
        #expect(try Self.pingjia(["publish", "--db", database, lastYear]).status != 0)
        #expect(try Self.pingjia(["recheck", "--db", database, lastYear]).status == 0)
    }

    @Test func aChangedTimeZoneIsRefusedUntilVerifyRebuildsTheRollups() throws {
        let database = TestCenter.temporaryDatabasePath()
        #expect(try Self.pingjia(["demo", "--db", database, "--days", "5"]).status == 0)
        let utc = try Self.config(#"{"center": {"time_zone": "UTC"}}"#)
        let refused = try Self.pingjia(["indicators", "--db", database, "--config", utc, "--period", "2026"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("verify --rebuild"))
        let rebuilt = try Self.pingjia(["verify", "--db", database, "--config", utc, "--rebuild"])
        #expect(rebuilt.status == 0)
        #expect(try Self.pingjia(["verify", "--db", database, "--config", utc]).status == 0)
    }

    @Test func aResponseIsExcludedAndRestoredWithAnAuditTrail() throws {
        let database = TestCenter.temporaryDatabasePath()
        try TestCenter.seed(database)
        let server = try PingjiaProcess(database: database)
        let created = try HTTPTestClient(port: server.port).postJSON(
            "/api/v1/responses", #"{"window":"W01","attitude":1,"efficiency":1,"result":1,"reasons":["误触"],"client_id":"status-cli-1"}"#
        )
        #expect(server.kill(SIGTERM) == 0)
        let id = try #require(created.json["id"] as? Int)
        let flagged = try Self.pingjia(["status", "--db", database, String(id), "misuse", "--reason", "儿童误触", "--by", "值班长"])
        #expect(flagged.status == 0)
        #expect(flagged.output.contains("valid → misuse"))
        let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
        let excluded = try Self.pingjia(["indicators", "--db", database, "--period", year, "--format", "json"])
        let center = try #require((try JSONSerialization.jsonObject(with: Data(excluded.output.utf8)) as? [String: Any])?["center"] as? [String: Any])
        #expect(center["n"] as? Int == 0)
        let restored = try Self.pingjia(["status", "--db", database, String(id), "valid", "--reason", "复核后恢复"])
        #expect(restored.output.contains("misuse → valid"))
        #expect(restored.output.contains("儿童误触"))
        #expect(try Self.pingjia(["status", "--db", database, "999999", "test", "--reason", "x"]).status != 0)
        #expect(try Self.pingjia(["verify", "--db", database]).status == 0)
    }

    @Test func aMistakeInTheConfigurationStopsTheCommandWithItsKey() throws {
        let bad = try Self.config(#"{"server": {"port": "eighty"}}"#)
        let run = try Self.pingjia(["migrate", "--db", TestCenter.temporaryDatabasePath(), "--config", bad])
        #expect(run.status != 0)
        #expect(run.errors.contains("server.port"))
    }
}
