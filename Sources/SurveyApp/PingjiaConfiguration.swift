import Foundation
import Logging
import MicroHTTP
import SurveyCore
import SurveyWeb

/// Everything an operator can set, read from a JSON file. Every key is optional; a key
/// that is not known is an error, so a typo is reported instead of silently ignored.
/// docs/configuration.md documents each key; deploy/pingjia.example.json shows them all.
public struct PingjiaConfiguration: Sendable {
    public var server = ServerConfiguration()
    public var web = WebConfiguration()
    /// The SQLite database file.
    public var databasePath = "pingjia.sqlite"
    /// The file holding the server's secret key; `nil` means `pingjia.secret` beside the database.
    public var secretPath: String?
    /// Where the secret key is read from, once the configuration is complete.
    public var resolvedSecretPath: String { secretPath ?? ServerSecret.defaultPath(besideDatabase: databasePath) }
    /// How and how much is logged.
    public var log = LogConfiguration()
    /// How 差评 case deadlines are counted: `cases.deadline_working_days` on the calendar
    /// read from `cases.calendar_directory` (weekends only without one).
    public var casePolicy = CasePolicy()
    /// Where the working-day calendar files were read from, if anywhere.
    public var calendarDirectory: String?
    /// The zone whose calendar days, months and quarters the assessment periods follow.
    public var timeZone: TimeZone {
        get { web.timeZone }
        set { web.timeZone = newValue }
    }

    public init() {}

    /// Reads a configuration file over the defaults.
    public static func load(path: String) throws -> PingjiaConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("Cannot read the configuration file \(path).")
        }
        let document: ConfigurationValue
        do {
            document = try JSONInput.parsing([UInt8](data))
        } catch {
            throw ConfigurationError("The configuration file \(path) is not valid JSON: \(error).")
        }
        guard case .object(let root) = document else {
            throw ConfigurationError("The configuration file \(path) must hold a JSON object.")
        }
        var reader = ConfigurationReader(root: root, file: path)
        var configuration = PingjiaConfiguration()
        try configuration.apply(&reader)
        try reader.rejectUnknownKeys()
        return configuration
    }

    private mutating func apply(_ reader: inout ConfigurationReader) throws {
        if let value = try reader.string("server.host") { server.host = value }
        if let value = try reader.int("server.port", in: 0...65535) { server.port = UInt16(value) }
        if let value = try reader.int("server.threads", in: 1...256) { server.threads = value }
        if let value = try reader.int("server.max_body_bytes", in: 1024...(64 << 20)) { server.maxBodyBytes = value }
        if let value = try reader.int("server.connection_timeout_seconds", in: 0...3600) { server.connectionTimeoutSeconds = value }
        if let value = try reader.int("server.request_timeout_seconds", in: 0...3600) { server.requestTimeoutSeconds = value }
        if let value = try reader.int("server.connection_memory_bytes", in: 4096...(1 << 20)) { server.connectionMemoryBytes = value }
        if let value = try reader.int("server.max_connections", in: 1...1_000_000) { server.maxConnections = value }
        if let value = try reader.int("server.max_connections_per_ip", in: 0...1_000_000) { server.maxConnectionsPerIP = value }
        if let value = try reader.int("server.shutdown_grace_seconds", in: 0...600) { server.shutdownGraceSeconds = value }
        if let value = try reader.bool("server.benchmark_route") { web.benchmarkRoute = value }
        if let value = try reader.string("server.static_root") { web.staticRoot = value }
        if let value = try reader.string("languages.catalogue_directory") {
            // Read here as well as at start so `migrate` (the unit's ExecStartPre) reports a
            // broken catalogue before the server is started.
            do {
                _ = try Catalogues.load(directory: value)
            } catch {
                throw ConfigurationError("languages.catalogue_directory, in \(reader.file):\n\(error)")
            }
            web.catalogueDirectory = value
        }
        if let value = try reader.string("database.path") { databasePath = value }
        if let value = try reader.string("server.secret_path") { secretPath = value }
        if let value = try reader.string("center.name") { web.centerName = value }
        if let value = try reader.string("center.name_en") {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count <= SettingKey.maxNameLength else {
                throw ConfigurationError("center.name_en: at most \(SettingKey.maxNameLength) characters.")
            }
            web.centerNameEnglish = trimmed.isEmpty ? nil : trimmed
        }
        if let value = try reader.string("server.public_base_url") {
            guard let url = URL(string: value), ["https", "http"].contains(url.scheme ?? ""), url.host != nil,
                  url.query == nil, url.fragment == nil else {
                throw ConfigurationError("server.public_base_url: '\(value)' must be an address such as https://pingjia.example.gov.cn, without a query.")
            }
            web.publicBaseURL = value
        }
        if let value = try reader.string("center.time_zone") {
            guard let zone = TimeZone(identifier: value) else {
                throw ConfigurationError("center.time_zone: '\(value)' is not a time zone name such as Asia/Shanghai.")
            }
            timeZone = zone
        }
        if let value = reader.raw("survey.negative_reasons") {
            // A plain list is one list for every dimension; an object has one per dimension.
            do throws(SettingsError) {
                web.policy.reasonLists = try SettingsCodec.reasons(from: value)
            } catch {
                throw ConfigurationError("survey.negative_reasons, in \(reader.file): \(error.message(in: .en))")
            }
        }
        if let value = try reader.int("survey.comment_max_length", in: 0...10_000) { web.policy.commentMaxLength = value }
        if let value = try reader.int("survey.reason_max_length", in: 1...1_000) { web.policy.reasonMaxLength = value }
        if let value = try reader.int("survey.max_reasons", in: 1...100) { web.policy.maxReasons = value }
        if let value = try reader.int("survey.kiosk_idle_reset_seconds", in: 10...3600) { web.kioskIdleResetSeconds = value }
        if let value = try reader.int("survey.kiosk_thanks_seconds", in: 1...600) { web.kioskThanksSeconds = value }
        if let value = try reader.int("survey.kiosk_prompt_seconds", in: 20...600) { web.kioskPromptSeconds = value }
        if let value = try reader.bool("survey.elder_mode_default") { web.elderModeDefault = value }
        if let value = try reader.int("survey.comment_window_minutes", in: 1...120) { web.commentWindowMinutes = value }
        if let value = try reader.int("survey.rated_at_max_age_days", in: 1...90) { web.policy.ratedAtMaxAgeSeconds = Int64(value) * 86_400 }
        if let value = try reader.int("survey.rated_at_max_skew_seconds", in: 0...3600) { web.policy.ratedAtMaxSkewSeconds = Int64(value) }
        if let value = try reader.string("server.openapi_path") { web.openAPIPath = value }
        try applyIndicatorPolicy(&reader)
        try applySubmissionDefence(&reader)
        try applyObservability(&reader)
        try applyStaffSessions(&reader)
        try applyCases(&reader)
        try applyVisits(&reader)
    }

    private mutating func applySubmissionDefence(_ reader: inout ConfigurationReader) throws {
        if let value = try reader.strings("server.trusted_proxies") {
            do {
                web.trustedProxies = try TrustedProxies(value)
            } catch {
                throw ConfigurationError("server.trusted_proxies: \(error)")
            }
        }
        var limits = web.submissionLimits
        func limit(_ name: String, _ current: RateLimit) throws -> RateLimit {
            let ratings = try reader.int("limits.\(name).ratings", in: 0...1_000_000_000) ?? current.ratings
            let seconds = try reader.int("limits.\(name).seconds", in: 1...86_400) ?? current.seconds
            return RateLimit(ratings: ratings, seconds: seconds)
        }
        limits.address = try limit("address", limits.address)
        limits.linkClient = try limit("window_link_client", limits.linkClient)
        limits.device = try limit("device", limits.device)
        limits.visit = try limit("visit", limits.visit)
        limits.anonymousAPIRefused = try limit("anonymous_api_refused", limits.anonymousAPIRefused)
        web.submissionLimits = limits
    }

    private mutating func applyStaffSessions(_ reader: inout ConfigurationReader) throws {
        if let value = try reader.int("staff.session_idle_minutes", in: 1...1440) { web.staffSessionIdleSeconds = value * 60 }
        if let value = try reader.int("staff.session_max_hours", in: 1...168) { web.staffSessionMaxSeconds = value * 3600 }
        if let value = try reader.int("staff.event_streams", in: 0...10_000) { web.eventStreams = value }
        if let value = try reader.int("staff.event_stream_seconds", in: 5...3600) { web.eventStreamSeconds = value }
        if let value = try reader.int("staff.event_heartbeat_seconds", in: 1...300) { web.eventHeartbeatSeconds = value }
        guard web.staffSessionMaxSeconds >= web.staffSessionIdleSeconds else {
            throw ConfigurationError("staff.session_max_hours must not be shorter than staff.session_idle_minutes.")
        }
    }

    private mutating func applyCases(_ reader: inout ConfigurationReader) throws {
        if let value = try reader.int("cases.deadline_working_days", in: 1...60) { casePolicy.deadlineWorkingDays = value }
        if let value = try reader.string("cases.calendar_directory") {
            calendarDirectory = value
            casePolicy.calendar = try CalendarFiles.load(directory: value)
        }
    }

    private mutating func applyObservability(_ reader: inout ConfigurationReader) throws {
        if let value = try reader.string("log.format") {
            guard let format = LogFormat(rawValue: value) else {
                throw ConfigurationError("log.format must be \"text\" or \"json\"; it is \"\(value)\".")
            }
            log.format = format
        }
        if let value = try reader.string("log.level") {
            // Start, stop, migrations, publications and every failure are logged at notice
            // or above, and must never be silenced: no higher level can be chosen.
            let levels: [Logger.Level] = [.trace, .debug, .info, .notice]
            guard let level = Logger.Level(rawValue: value), levels.contains(level) else {
                throw ConfigurationError(
                    "log.level must be one of \(levels.map(\.rawValue).joined(separator: ", ")); it is \"\(value)\"."
                )
            }
            log.level = level
        }
        if let value = try reader.bool("log.access") { web.accessLog = value }
        if let value = try reader.bool("metrics.enabled") { web.metricsEnabled = value }
        if let value = try reader.string("metrics.token") {
            // A short token could be guessed; the metrics reveal traffic and disk figures.
            guard value.count >= 16 else { throw ConfigurationError("metrics.token must be at least 16 characters long.") }
            web.metricsToken = value
        }
        var throttle = web.authThrottle
        if let value = try reader.int("auth.free_failures", in: 1...1000) { throttle.freeFailures = value }
        if let value = try reader.int("auth.first_delay_seconds", in: 1...3600) { throttle.firstDelaySeconds = Double(value) }
        if let value = try reader.int("auth.max_delay_seconds", in: 1...86400) { throttle.maxDelaySeconds = Double(value) }
        guard throttle.maxDelaySeconds >= throttle.firstDelaySeconds else {
            throw ConfigurationError("auth.max_delay_seconds must not be below auth.first_delay_seconds.")
        }
        throttle.forgetAfterSeconds = max(3600, 2 * throttle.maxDelaySeconds)
        web.authThrottle = throttle
    }

    private mutating func applyIndicatorPolicy(_ reader: inout ConfigurationReader) throws {
        var weights = web.indicatorPolicy.weights
        let attitude = try reader.decimal("indicator.weights.attitude")
        let efficiency = try reader.decimal("indicator.weights.efficiency")
        let result = try reader.decimal("indicator.weights.result")
        if attitude != nil || efficiency != nil || result != nil {
            guard let attitude, let efficiency, let result else {
                throw ConfigurationError("indicator.weights needs all three of attitude, efficiency and result.")
            }
            do {
                weights = try IndicatorWeights(attitude: attitude, efficiency: efficiency, result: result)
            } catch {
                throw ConfigurationError("indicator.weights: \(error.englishMessage)")
            }
        }
        var bands = web.indicatorPolicy.bands
        if let list = try reader.objects("indicator.bands") {
            do {
                bands = try GradeBands(list.enumerated().map { index, band in
                    guard case .string(let code)? = band["code"], case .string(let label)? = band["label"] else {
                        throw ConfigurationError("indicator.bands[\(index)] needs a code and a label.")
                    }
                    let english: String
                    if case .string(let text)? = band["label_en"] { english = text } else { english = label }
                    let threshold: Decimal
                    switch band["min"] {
                    case .integer(let value)?: threshold = Decimal(value)
                    case .number(let value)?: threshold = Decimal(string: String(value)) ?? Decimal(value)
                    default: throw ConfigurationError("indicator.bands[\(index)] needs a number min (the lowest score of the band).")
                    }
                    return GradeBand(code: code, chineseLabel: label, englishLabel: english, threshold: threshold)
                })
            } catch let error as IndicatorError {
                throw ConfigurationError("indicator.bands: \(error.englishMessage)")
            }
        }
        let minimum = try reader.int("indicator.minimum_sample", in: 1...1_000_000).map(Int64.init) ?? web.indicatorPolicy.minimumSample
        var counted = web.indicatorPolicy.countedProvenances
        if let countUnverified = try reader.bool("indicator.count_unverified") {
            if countUnverified { counted.insert(.unverified) } else { counted.remove(.unverified) }
        }
        do {
            web.indicatorPolicy = try IndicatorPolicy(weights: weights, bands: bands, minimumSample: minimum, countedProvenances: counted)
        } catch {
            throw ConfigurationError("indicator: \(error.englishMessage)")
        }
    }
}

/// A configuration problem, said so that an operator knows which key to fix.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The configuration file is read as `JSONInput`, the web layer's JSON value.
typealias ConfigurationValue = JSONInput

/// Reads dotted keys (`server.port`) from the parsed file, checking types and ranges,
/// and remembers which keys were read so unknown ones can be reported.
struct ConfigurationReader {
    let root: [String: ConfigurationValue]
    let file: String
    private var known: Set<String> = []

    init(root: [String: ConfigurationValue], file: String) {
        self.root = root
        self.file = file
    }

    private mutating func value(_ key: String) -> ConfigurationValue? {
        known.insert(key)
        var node: ConfigurationValue? = .object(root)
        for part in key.split(separator: ".") {
            guard case .object(let members)? = node else { return nil }
            node = members[String(part)]
        }
        if case .null? = node { return nil }
        return node
    }

    /// The value of `key` whatever its type, for settings with a codec of their own.
    mutating func raw(_ key: String) -> ConfigurationValue? {
        value(key)
    }

    mutating func string(_ key: String) throws -> String? {
        guard let raw = value(key) else { return nil }
        guard case .string(let text) = raw else { throw ConfigurationError("\(key) must be text, in \(file).") }
        return text
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = value(key) else { return nil }
        guard case .integer(let wide) = raw, let int = Int(exactly: wide) else {
            throw ConfigurationError("\(key) must be a whole number, in \(file).")
        }
        guard range.contains(int) else {
            throw ConfigurationError("\(key) must be between \(range.lowerBound) and \(range.upperBound), in \(file); it is \(int).")
        }
        return int
    }

    mutating func decimal(_ key: String) throws -> Decimal? {
        guard let raw = value(key) else { return nil }
        switch raw {
        case .integer(let value): return Decimal(value)
        // Through the shortest text of the double, so 0.3 stays exactly 0.3.
        case .number(let value): return Decimal(string: String(value))
        default: throw ConfigurationError("\(key) must be a number, in \(file).")
        }
    }

    mutating func objects(_ key: String) throws -> [[String: ConfigurationValue]]? {
        guard let raw = value(key) else { return nil }
        guard case .array(let items) = raw else { throw ConfigurationError("\(key) must be a list of objects, in \(file).") }
        return try items.map { item in
            guard case .object(let members) = item else { throw ConfigurationError("\(key) must be a list of objects, in \(file).") }
            return members
        }
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let raw = value(key) else { return nil }
        guard case .bool(let flag) = raw else { throw ConfigurationError("\(key) must be true or false, in \(file).") }
        return flag
    }

    mutating func strings(_ key: String) throws -> [String]? {
        guard let raw = value(key) else { return nil }
        guard case .array(let items) = raw else { throw ConfigurationError("\(key) must be a list of text, in \(file).") }
        return try items.map { item in
            guard case .string(let text) = item else { throw ConfigurationError("\(key) must be a list of text, in \(file).") }
            return text
        }
    }

    /// Throws for the first key in the file that no setting reads. Sections are nested
    /// objects: a flat key such as `"server.port"` is reported, not silently ignored.
    func rejectUnknownKeys() throws {
        func walk(_ object: [String: ConfigurationValue], prefix: String) throws {
            for (name, child) in object.sorted(by: { $0.key < $1.key }) {
                let key = prefix.isEmpty ? name : "\(prefix).\(name)"
                if name.contains(".") {
                    throw ConfigurationError("Unknown setting \"\(name)\" in \(file): write sections as nested objects, e.g. {\"server\": {\"port\": 8080}}.")
                }
                if case .object(let nested) = child, !known.contains(key) {
                    try walk(nested, prefix: key)
                } else if !known.contains(key) {
                    throw ConfigurationError("Unknown setting \(key) in \(file). See docs/configuration.md for the settings there are.")
                }
            }
        }
        try walk(root, prefix: "")
    }
}
