import Foundation
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
    /// The zone whose calendar days, months and quarters the assessment periods follow.
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!

    public init() {}

    /// Reads a configuration file over the defaults.
    public static func load(path: String) throws -> PingjiaConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("Cannot read the configuration file \(path).")
        }
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ConfigurationError("The configuration file \(path) is not valid JSON: \(error.localizedDescription)")
        }
        guard let root = document as? [String: Any] else {
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
        if let value = try reader.int("server.max_connections", in: 1...1_000_000) { server.maxConnections = value }
        if let value = try reader.int("server.max_connections_per_ip", in: 0...1_000_000) { server.maxConnectionsPerIP = value }
        if let value = try reader.int("server.shutdown_grace_seconds", in: 0...600) { server.shutdownGraceSeconds = value }
        if let value = try reader.bool("server.benchmark_route") { web.benchmarkRoute = value }
        if let value = try reader.string("server.static_root") { web.staticRoot = value }
        if let value = try reader.string("database.path") { databasePath = value }
        if let value = try reader.string("center.name") { web.centerName = value }
        if let value = try reader.string("center.time_zone") {
            guard let zone = TimeZone(identifier: value) else {
                throw ConfigurationError("center.time_zone: '\(value)' is not a time zone name such as Asia/Shanghai.")
            }
            timeZone = zone
        }
        if let value = try reader.strings("survey.negative_reasons") {
            guard !value.isEmpty else { throw ConfigurationError("survey.negative_reasons must list at least one reason.") }
            web.policy.negativeReasons = value
        }
        if let value = try reader.int("survey.comment_max_length", in: 0...10_000) { web.policy.commentMaxLength = value }
        if let value = try reader.int("survey.reason_max_length", in: 1...1_000) { web.policy.reasonMaxLength = value }
        if let value = try reader.int("survey.max_reasons", in: 1...100) { web.policy.maxReasons = value }
        if let value = try reader.int("survey.kiosk_idle_reset_seconds", in: 10...3600) { web.kioskIdleResetSeconds = value }
        if let value = try reader.int("survey.kiosk_thanks_seconds", in: 1...600) { web.kioskThanksSeconds = value }
    }
}

/// A configuration problem, said so that an operator knows which key to fix.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Reads dotted keys (`server.port`) from a parsed JSON object, checking types and
/// ranges, and remembers which keys were read so unknown ones can be reported.
struct ConfigurationReader {
    let root: [String: Any]
    let file: String
    private var known: Set<String> = []

    init(root: [String: Any], file: String) {
        self.root = root
        self.file = file
    }

    private mutating func value(_ key: String) -> Any? {
        known.insert(key)
        let parts = key.split(separator: ".").map(String.init)
        var node: Any? = root
        for part in parts {
            node = (node as? [String: Any])?[part]
        }
        return node is NSNull ? nil : node
    }

    mutating func string(_ key: String) throws -> String? {
        guard let raw = value(key) else { return nil }
        guard let text = raw as? String else { throw ConfigurationError("\(key) must be text, in \(file).") }
        return text
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = value(key) else { return nil }
        guard let number = raw as? NSNumber, !(raw is Bool), let int = Int(exactly: number.doubleValue) else {
            throw ConfigurationError("\(key) must be a whole number, in \(file).")
        }
        guard range.contains(int) else {
            throw ConfigurationError("\(key) must be between \(range.lowerBound) and \(range.upperBound), in \(file); it is \(int).")
        }
        return int
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let raw = value(key) else { return nil }
        guard let flag = raw as? Bool else { throw ConfigurationError("\(key) must be true or false, in \(file).") }
        return flag
    }

    mutating func strings(_ key: String) throws -> [String]? {
        guard let raw = value(key) else { return nil }
        guard let list = raw as? [String] else { throw ConfigurationError("\(key) must be a list of text, in \(file).") }
        return list
    }

    /// Throws for the first key in the file that no setting reads.
    func rejectUnknownKeys() throws {
        func walk(_ object: [String: Any], prefix: String) throws {
            for (name, child) in object {
                let key = prefix.isEmpty ? name : "\(prefix).\(name)"
                if let nested = child as? [String: Any], !known.contains(key) {
                    try walk(nested, prefix: key)
                } else if !known.contains(key) {
                    throw ConfigurationError("Unknown setting \(key) in \(file). See docs/configuration.md for the settings there are.")
                }
            }
        }
        try walk(root, prefix: "")
    }
}
