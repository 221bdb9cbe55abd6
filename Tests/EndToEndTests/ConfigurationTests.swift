import Foundation
import SurveyApp
import SurveyCore
import Testing

@Suite struct ConfigurationTests {
    static func write(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "pingjia-config-\(UUID().uuidString).json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theExampleConfigurationLoadsWithEveryKey() throws {
        let path = TestCenter.repositoryRoot.appendingPathComponent("deploy/pingjia.example.json").path
        // The example names the installed calendar directory; here, the repository's.
        let calendars = TestCenter.repositoryRoot.appendingPathComponent("deploy/calendar").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("/usr/local/share/pingjia/calendar"))
        let configuration = try PingjiaConfiguration.load(path: Self.write(
            text.replacingOccurrences(of: "/usr/local/share/pingjia/calendar", with: calendars)
        ))
        #expect(configuration.databasePath.hasSuffix(".sqlite"))
        #expect(configuration.timeZone.identifier == "Asia/Shanghai")
        #expect(configuration.web.centerNameEnglish == "District Administrative Service Center")
        #expect(configuration.casePolicy.deadlineWorkingDays == 15)
        #expect(configuration.casePolicy.calendar.years.isSuperset(of: [2025, 2026]))
    }

    /// The shipped calendar files, read as an operator's server reads them.
    @Test(arguments: [
        ("2026-10-01", false), ("2026-10-10", true), ("2026-02-14", true), ("2026-02-23", false),
        ("2025-01-26", true), ("2025-10-08", false), ("2025-10-11", true), ("2026-11-27", true), ("2026-11-28", false),
    ])
    func theShippedCalendarsKnowHolidaysAndMakeUpDays(_ day: String, _ working: Bool) throws {
        let calendars = TestCenter.repositoryRoot.appendingPathComponent("deploy/calendar").path
        let configuration = try PingjiaConfiguration.load(path: Self.write(#"{"cases": {"calendar_directory": "\#(calendars)"}}"#))
        let date = try Period(parsing: day).firstDay
        #expect(configuration.casePolicy.calendar.isWorkingDay(date) == working)
    }

    @Test(arguments: [
        (#"{"year": 2026, "source": "x", "holidays": [{"name": "a", "from": "2026-10-01", "to": "2026-10-07"}], "extra": 1}"#, #"unknown key "extra""#),
        (#"{"year": 2026, "source": "x", "holidays": [{"name": "a", "from": "2026-10-01", "to": "2026-10-07", "days": 7}]}"#, #"unknown key "days""#),
        (#"{"year": 2026, "source": "x", "holidays": [{"name": "a", "from": "2026-10-07", "to": "2026-10-01"}]}"#, "must run forwards"),
        (#"{"year": 2026, "source": "x", "holidays": [{"name": "a", "from": "2026-13-01", "to": "2026-13-02"}]}"#, "YYYY-MM-DD"),
        (#"{"year": 2026, "source": "x", "working_days": [{"name": "a", "date": "2026-11-27"}]}"#, "not a Saturday or Sunday"),
        (#"{"year": 2026, "source": "x", "working_days": [{"name": "a", "date": "2025-12-27"}]}"#, "is not in 2026"),
        (#"{"year": 2026, "source": "x", "holidays": [{"name": "a", "from": "2026-10-01", "to": "2026-10-02"}, {"name": "b", "from": "2026-10-02", "to": "2026-10-03"}]}"#, "listed twice"),
        (#"{"year": "2026", "source": "x"}"#, "year must be a whole number"),
        (#"{"year": 2026}"#, "source must say"),
        (#"{"year": 2026, "source": "x", "year": 2027}"#, "not valid JSON"),
    ])
    func aWrongCalendarFileIsRefusedNamingTheProblem(_ file: String, _ message: String) throws {
        let directory = NSTemporaryDirectory() + "pingjia-calendar-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(file.utf8).write(to: URL(fileURLWithPath: directory + "/cn-2026.json"))
        let config = try Self.write(#"{"cases": {"calendar_directory": "\#(directory)"}}"#)
        #expect {
            try PingjiaConfiguration.load(path: config)
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("cn-2026.json")
        }
    }

    @Test(arguments: [
        (#"{"cases": {"deadline_working_days": 0}}"#, "cases.deadline_working_days must be between 1 and 60"),
        (#"{"cases": {"calendar_directory": "/nonexistent/pingjia-calendar"}}"#, "cases.calendar_directory: cannot read"),
        (#"{"cases": {"deadline_days": 15}}"#, "Unknown setting cases.deadline_days"),
        ("{\"center\": {\"name_en\": \"\(String(repeating: "x", count: 101))\"}}", "center.name_en: at most 100 characters"),
    ])
    func caseSettingsAreChecked(_ json: String, _ message: String) throws {
        #expect {
            try PingjiaConfiguration.load(path: Self.write(json))
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func negativeReasonsAreOneListOrOnePerDimension() throws {
        let plain = try PingjiaConfiguration.load(path: Self.write(#"{"survey": {"negative_reasons": ["等候时间长", "态度不好"]}}"#))
        #expect(plain.web.policy.reasonLists.isSameForAll)
        #expect(plain.web.policy.negativeReasons == ["等候时间长", "态度不好"])
        let split = try PingjiaConfiguration.load(path: Self.write(#"""
            {"survey": {"negative_reasons": {"attitude": ["态度不好"], "efficiency": [{"zh": "等候时间长", "en": "Long wait"}],
                                             "result": ["一次没办成"]}}}
            """#))
        #expect(split.web.policy.reasonLists[.efficiency] == [Reason(chinese: "等候时间长", english: "Long wait")])
        #expect(split.web.policy.negativeReasons == ["态度不好", "等候时间长", "一次没办成"])
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
        (#"{"survey": {"negative_reasons": ["a", 2]}}"#, "survey.negative_reasons"),
        (#"{"survey": {"negative_reasons": {"attitude": ["a"], "efficiency": ["b"]}}}"#, "“result” is missing"),
        (#"{"survey": {"negative_reasons": {"attitude": ["a"], "efficiency": ["b"], "result": ["c"], "speed": ["d"]}}}"#, "Unknown member “speed”"),
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
        // An empty folder of its own: the shared temporary folder can be large, and the
        // static files are indexed at start.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("pingjia-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: (any Error).self) {
            _ = try TestCenter { $0.web.staticRoot = empty.path }
        }
    }
}
