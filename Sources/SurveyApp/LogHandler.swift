import Foundation
import Logging
import SurveyCore
#if canImport(Glibc)
import Glibc
#endif

/// How log lines are written: `text` for people reading the journal, `json` for a log
/// collector. Set by `log.format`.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// The logging settings: `log.format`, `log.level` and `log.access`.
public struct LogConfiguration: Sendable {
    public var format: LogFormat = .text
    /// The least severe level written.
    public var level: Logger.Level = .info

    public init() {}
}

/// A swift-log handler that writes exactly one line per event, to standard error (which
/// systemd's journal keeps), as text or as one JSON object.
///
/// Each line goes out in a single `write(2)`, so lines from different threads never
/// interleave. Newlines inside a message or a value are escaped, so one event is always
/// one line.
public struct PingjiaLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let format: LogFormat
    let sink: @Sendable (String) -> Void

    /// - Parameter sink: receives each complete line, newline included; standard error
    ///   unless a test wants the lines.
    public init(label: String, format: LogFormat, level: Logger.Level, sink: @escaping @Sendable (String) -> Void = PingjiaLogHandler.standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        sink(Self.line(
            time: UTCTimestamp.string(millis: UTCTimestamp.nowMillis()), level: event.level, label: label,
            message: "\(event.message)", metadata: merged, format: format
        ))
    }

    /// One formatted line, newline included. Metadata keys are sorted so lines compare.
    public static func line(time: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, format: LogFormat) -> String {
        let fields = metadata.sorted { $0.key < $1.key }
        switch format {
        case .text:
            var line = "\(time) \(level.rawValue.uppercased()) \(label): \(escapedText(message))"
            for (key, value) in fields {
                line += " \(key)=\(quotedIfNeeded(escapedText(flatten(value))))"
            }
            return line + "\n"
        case .json:
            var line = "{\"time\":\(jsonString(time)),\"level\":\(jsonString(level.rawValue)),\"logger\":\(jsonString(label)),\"message\":\(jsonString(message))"
            for (key, value) in fields where !["time", "level", "logger", "message"].contains(key) {
                line += ",\(jsonString(key)):\(jsonValue(value))"
            }
            return line + "}\n"
        }
    }

    /// Writes the whole line with one system call (retrying only if interrupted or short).
    public static let standardError: @Sendable (String) -> Void = { line in
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    private static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let items): "[" + items.map(flatten).joined(separator: ", ") + "]"
        case .dictionary(let members): "{" + members.sorted { $0.key < $1.key }.map { "\($0.key): \(flatten($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// Text as a JSON string; lists and dictionaries as JSON arrays and objects.
    private static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): jsonString(text)
        case .stringConvertible(let convertible): jsonString(convertible.description)
        case .array(let items): "[" + items.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonValue($0.value))" }.joined(separator: ",") + "}"
        }
    }

    private static func escapedText(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\u{2028}", with: "\\u2028").replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }

    private static func quotedIfNeeded(_ text: String) -> String {
        guard text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension PingjiaConfiguration {
    /// A logger writing to standard error as `log.format` and `log.level` say.
    public func makeLogger(label: String = "pingjia") -> Logger {
        let log = self.log
        var logger = Logger(label: label) { label in PingjiaLogHandler(label: label, format: log.format, level: log.level) }
        logger.logLevel = log.level
        return logger
    }
}
