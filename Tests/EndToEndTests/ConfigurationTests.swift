import Foundation
import SurveyApp
import Testing

@Suite struct ConfigurationTests {
    static func write(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "pingjia-config-\(UUID().uuidString).json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theExampleConfigurationLoadsWithEveryKey() throws {
        let path = TestCenter.repositoryRoot.appendingPathComponent("deploy/pingjia.example.json").path
        let configuration = try PingjiaConfiguration.load(path: path)
        #expect(configuration.databasePath.hasSuffix(".sqlite"))
        #expect(configuration.timeZone.identifier == "Asia/Shanghai")
    }

    @Test func zeroAndOneAreNumbersAndBooleansAreBooleans() throws {
        let configuration = try PingjiaConfiguration.load(path: Self.write(#"""
            {"server": {"threads": 1, "max_connections_per_ip": 0, "shutdown_grace_seconds": 0,
                        "connection_timeout_seconds": 0, "benchmark_route": true},
             "survey": {"comment_max_length": 0, "max_reasons": 1, "kiosk_thanks_seconds": 1},
             "indicator": {"minimum_sample": 1}}
            """#))
        #expect(configuration.server.threads == 1)
        #expect(configuration.server.maxConnectionsPerIP == 0)
        #expect(configuration.server.shutdownGraceSeconds == 0)
        #expect(configuration.server.connectionTimeoutSeconds == 0)
        #expect(configuration.web.benchmarkRoute)
        #expect(configuration.web.policy.commentMaxLength == 0)
        #expect(configuration.web.policy.maxReasons == 1)
        #expect(configuration.web.kioskThanksSeconds == 1)
        #expect(configuration.web.indicatorPolicy.minimumSample == 1)
    }

    @Test(arguments: [
        (#"{"server": {"port": 70000}}"#, "server.port must be between"),
        (#"{"server": {"port": "8080"}}"#, "server.port must be a whole number"),
        (#"{"server": {"benchmark_route": 1}}"#, "server.benchmark_route must be true or false"),
        (#"{"server": {"benchmark_route": 0}}"#, "server.benchmark_route must be true or false"),
        (#"{"server": {"threads": true}}"#, "server.threads must be a whole number"),
        (#"{"server": {"port": 8080, "port": 9090}}"#, #"not valid JSON: the key "port" appears twice"#),
        (#"{"server": {"port": 8080,}}"#, "not valid JSON: a comma before a closing bracket"),
        (#"{"server": {"port": 08080}}"#, "not valid JSON: a malformed number"),
        ("\u{FEFF}{}", "not valid JSON: a byte order mark"),
        (#"{"server.port": 9000, "server": {"host": "127.0.0.1"}}"#, "nested objects"),
        (#"{"server": {"prot": 8080}}"#, "Unknown setting server.prot"),
        (#"{"server.port": 9000}"#, "nested objects"),
        (#"{"center": {"time_zone": "Mars/Olympus"}}"#, "is not a time zone"),
        (#"{"survey": {"negative_reasons": []}}"#, "at least one reason"),
        (#"{"survey": {"negative_reasons": ["a", 2]}}"#, "list of text"),
        (#"[1]"#, "must hold a JSON object"),
        (#"{"server": "#, "not valid JSON"),
        (#"{"log": {"format": "xml"}}"#, "log.format must be"),
        (#"{"log": {"level": "loud"}}"#, "log.level must be one of"),
        (#"{"log": {"level": "error"}}"#, "log.level must be one of trace, debug, info, notice"),
        (#"{"log": {"acess": true}}"#, "Unknown setting log.acess"),
        (#"{"metrics": {"token": "short"}}"#, "metrics.token must be at least 16"),
        (#"{"auth": {"first_delay_seconds": 60, "max_delay_seconds": 10}}"#, "auth.max_delay_seconds must not be below"),
        (#"{"staff": {"session_idle_minutes": 0}}"#, "staff.session_idle_minutes must be between 1 and 1440"),
        (#"{"staff": {"session_max_hours": 1, "session_idle_minutes": 90}}"#, "staff.session_max_hours must not be shorter"),
        (#"{"staff": {"session_idle": 5}}"#, "Unknown setting staff.session_idle"),
    ])
    func mistakesAreReportedByKey(json: String, message: String) throws {
        let path = try Self.write(json)
        do {
            _ = try PingjiaConfiguration.load(path: path)
            Issue.record("accepted \(json)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func theObservabilityKeysAreRead() throws {
        let configuration = try PingjiaConfiguration.load(path: Self.write(#"""
            {"log": {"format": "json", "level": "notice", "access": true},
             "metrics": {"enabled": false, "token": "0123456789abcdef0123"},
             "auth": {"free_failures": 3, "first_delay_seconds": 5, "max_delay_seconds": 600}}
            """#))
        #expect(configuration.log.format == .json)
        #expect(configuration.log.level == .notice)
        #expect(configuration.web.accessLog)
        #expect(!configuration.web.metricsEnabled)
        #expect(configuration.web.metricsToken == "0123456789abcdef0123")
        #expect(configuration.web.authThrottle.freeFailures == 3)
        #expect(configuration.web.authThrottle.firstDelaySeconds == 5)
        #expect(configuration.web.authThrottle.maxDelaySeconds == 600)
    }

    @Test func theStaffSessionLimitsAreRead() throws {
        let configuration = try PingjiaConfiguration.load(path: Self.write(#"""
            {"staff": {"session_idle_minutes": 15, "session_max_hours": 8}}
            """#))
        #expect(configuration.web.staffSessionIdleSeconds == 15 * 60)
        #expect(configuration.web.staffSessionMaxSeconds == 8 * 3600)
    }

    @Test func aWrongStaticRootIsRefusedAtStart() throws {
        #expect(throws: (any Error).self) {
            _ = try TestCenter { $0.web.staticRoot = NSTemporaryDirectory() }
        }
    }
}
