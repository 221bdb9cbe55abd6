import Foundation
import SurveyCore

/// The settings an administrator changes while the center runs, as one immutable value:
/// the configuration file's values, with the changes stored in the database over them.
/// A request reads one `CenterSettings` and so never sees half of a change.
public struct CenterSettings: Sendable {
    /// The center's name, on every page and card.
    public var centerName: String
    /// The center's name on English pages; nil when it has none (the Chinese name is shown).
    public var centerNameEnglish: String?
    /// The zone of the center's days; fixed while a server runs (see `SettingKey.timeZone`).
    public var timeZone: TimeZone
    /// The 差评 reasons per dimension.
    public var reasons: ReasonLists
    /// Weights, grade bands and minimum sample for periods not yet published.
    public var method: IndicatorPolicy
    /// The stored settings' version these were read at (0: nothing changed yet).
    public var version: Int64 = 0
    /// The keys an administrator changed; the others are the configuration's values.
    public var changedKeys: Set<String> = []

    /// The settings the configuration gives, before any change.
    public init(configuration: WebConfiguration) {
        centerName = configuration.centerName
        centerNameEnglish = configuration.centerNameEnglish
        timeZone = configuration.timeZone
        reasons = configuration.policy.reasonLists
        method = configuration.indicatorPolicy
    }
}

extension CenterSettings {
    /// The center's name as a page in this language shows it: the English name on an
    /// English page when there is one.
    public func centerName(english: Bool) -> String {
        english ? centerNameEnglish ?? centerName : centerName
    }

    /// Whether an English page shows the Chinese name, so it marks it as Chinese.
    public func centerNameIsChinese(english: Bool) -> Bool {
        english && centerNameEnglish == nil
    }
}

/// The center settings' names, as the API, the command line and the audit log spell them.
public enum SettingKey: String, Sendable, CaseIterable {
    /// The 差评 reason lists, per dimension and language.
    case reasons = "survey.negative_reasons"
    /// The indicator's weights, grade bands and minimum sample.
    case method = "indicator.method"
    /// The center's name.
    case centerName = "center.name"
    /// The center's name on English pages (optional).
    case centerNameEnglish = "center.name_en"
    /// The center's time zone. The rollups count days in one zone, so a change needs a
    /// rebuild of every rollup with the server stopped: the command line does it
    /// (`pingjia settings set center.time_zone ZONE`); pages and the API refuse it.
    case timeZone = "center.time_zone"

    /// The longest center name accepted.
    public static let maxNameLength = 100
}

/// A setting that was refused, said so the person who sent it can fix it, in either language.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier for programs.
    public let code: String
    /// The HTTP status the refusal is answered with.
    public let status: Int
    private let messages: [Language: String]

    init(_ code: String, _ phrase: Phrase, _ arguments: [String: String] = [:], status: Int = 400) {
        self.code = code
        self.status = status
        messages = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, $0[phrase, arguments]) })
    }

    /// A refusal whose words depend on the language beyond the phrase (a dimension's name).
    init(code: String, status: Int = 400, wording: (Language) -> String) {
        self.code = code
        self.status = status
        messages = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, wording($0)) })
    }

    init(_ error: IndicatorError) {
        self.init(code: error.code, wording: error.message(in:))
    }

    init(_ error: ReasonListError) {
        self.init(code: error.code, wording: error.message(in:))
    }

    init(_ error: WorkingCalendar.DataError) {
        switch error {
        case .makeUpDayNotOnWeekend(let day):
            self.init("make_up_day_not_on_weekend", .settingsMakeUpDayNotWeekend, ["date": day.description])
        default:
            self.init("invalid_calendar_day", .settingsInvalidDate, ["value": "\(error)"])
        }
    }

    /// A value that should have been a JSON document, for the command line.
    public static func malformedValue(key: String) -> SettingsError {
        SettingsError("malformed_json", .settingsMalformedValue, ["key": key])
    }

    /// A setting name that is none of `expected`, for the command line.
    public static func unknownKey(_ key: String, expected: [String]) -> SettingsError {
        SettingsError("unknown_setting", .settingsUnknownKey, ["name": key, "expected": expected.joined(separator: ", ")])
    }

    /// The message in `language`.
    public func message(in language: Language) -> String {
        messages[language] ?? messages[language.chineseOrEnglish] ?? messages[.zh] ?? code
    }
    public var description: String { message(in: .en) }
}
