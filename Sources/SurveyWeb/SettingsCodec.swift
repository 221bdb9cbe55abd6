import Foundation
import SurveyCore

/// The JSON documents of the center settings: one spelling for the configuration file, the
/// database, the API and the command line, and strict reading with a clear refusal.
public enum SettingsCodec {
    // MARK: Reasons

    /// `{"attitude": [{"zh": …, "en": …}], "efficiency": […], "result": […]}`; `en` only
    /// when a reason has a translation.
    public static func json(_ reasons: ReasonLists) -> JSON {
        .object(RatingDimension.allCases.map { dimension in
            (dimension.rawValue, .array(reasons[dimension].map { reason in
                var members: [(String, JSON)] = [("zh", .string(reason.chinese))]
                if let english = reason.english { members.append(("en", .string(english))) }
                return .object(members)
            }))
        })
    }

    /// Reads reason lists: a plain list (one list for every dimension) or an object with
    /// one list for each of `attitude`, `efficiency` and `result`. A reason is a text (in
    /// Chinese) or `{"zh": …, "en": …}`.
    public static func reasons(from value: JSONInput) throws(SettingsError) -> ReasonLists {
        do {
            switch value {
            case .array:
                return try ReasonLists(sameForAll: reasonList(value, name: "negative_reasons"))
            case .object(let members):
                let names = Set(RatingDimension.allCases.map(\.rawValue))
                if let unknown = Set(members.keys).subtracting(names).sorted().first {
                    throw SettingsError("unknown_setting_member", .settingsUnknownMember, ["name": unknown, "expected": "attitude, efficiency, result"])
                }
                var lists: [RatingDimension: [Reason]] = [:]
                for dimension in RatingDimension.allCases {
                    guard let list = members[dimension.rawValue] else {
                        throw SettingsError("missing_setting_member", .settingsMissingMember, ["name": dimension.rawValue])
                    }
                    lists[dimension] = try reasonList(list, name: dimension.rawValue)
                }
                return try ReasonLists(attitude: lists[.attitude]!, efficiency: lists[.efficiency]!, result: lists[.result]!)
            default:
                throw SettingsError("invalid_setting", .settingsReasonsShape)
            }
        } catch let error as ReasonListError {
            throw SettingsError(error)
        } catch let error as SettingsError {
            throw error
        } catch {
            throw SettingsError("invalid_setting", .settingsReasonsShape)
        }
    }

    private static func reasonList(_ value: JSONInput, name: String) throws -> [Reason] {
        guard case .array(let items) = value else { throw SettingsError("invalid_setting", .settingsReasonsShape) }
        return try items.map { item in
            switch item {
            case .string(let text):
                return Reason(chinese: text)
            case .object(let members):
                if let unknown = Set(members.keys).subtracting(["zh", "en"]).sorted().first {
                    throw SettingsError("unknown_setting_member", .settingsUnknownMember, ["name": unknown, "expected": "zh, en"])
                }
                guard case .string(let chinese)? = members["zh"] else { throw SettingsError("invalid_setting", .settingsReasonsShape) }
                switch members["en"] {
                case nil, .null?: return Reason(chinese: chinese)
                case .string(let english)?: return Reason(chinese: chinese, english: english)
                default: throw SettingsError("invalid_setting", .settingsReasonsShape)
                }
            default:
                throw SettingsError("invalid_setting", .settingsReasonsShape)
            }
        }
    }

    // MARK: Method

    /// `{"weights": {"attitude": 0.4, …}, "bands": [{"code", "label", "label_en", "min"}],
    /// "minimum_sample": 30}`. Weights are written to six decimals, which reads back to
    /// the same exact weights (thirds stay exact thirds).
    public static func json(_ method: IndicatorPolicy) -> JSON {
        .object([
            ("weights", .object(RatingDimension.allCases.map { dimension in
                (dimension.rawValue, .double(rounded(method.weights.weight(of: dimension), places: 6)))
            })),
            ("bands", .array(method.bands.bands.map { band in
                .object([
                    ("code", .string(band.code)), ("label", .string(band.chineseLabel)), ("label_en", .string(band.englishLabel)),
                    ("min", .double(NSDecimalNumber(decimal: band.threshold).doubleValue)),
                ])
            })),
            ("minimum_sample", .int(method.minimumSample)),
        ])
    }

    /// Reads a method over `current`: each of `weights`, `bands` and `minimum_sample` that
    /// the document has replaces the current one, the others stay.
    public static func method(from value: JSONInput, over current: IndicatorPolicy) throws(SettingsError) -> IndicatorPolicy {
        guard case .object(let members) = value else { throw SettingsError("invalid_setting", .settingsMethodShape) }
        if let unknown = Set(members.keys).subtracting(["weights", "bands", "minimum_sample"]).sorted().first {
            throw SettingsError("unknown_setting_member", .settingsUnknownMember, ["name": unknown, "expected": "weights, bands, minimum_sample"])
        }
        do {
            var weights = current.weights
            if let given = members["weights"] {
                guard case .object(let parts) = given else { throw SettingsError("invalid_setting", .settingsMethodShape) }
                if let unknown = Set(parts.keys).subtracting(RatingDimension.allCases.map(\.rawValue)).sorted().first {
                    throw SettingsError("unknown_setting_member", .settingsUnknownMember, ["name": unknown, "expected": "attitude, efficiency, result"])
                }
                let values = try RatingDimension.allCases.map { dimension in
                    guard let number = decimal(parts[dimension.rawValue]) else {
                        throw SettingsError("invalid_weight", .settingsWeightNeeded, ["name": dimension.rawValue])
                    }
                    return number
                }
                guard values.contains(where: { $0 > 0 }) else { throw SettingsError("invalid_weight", .settingsWeightsAllZero) }
                weights = try IndicatorWeights(attitude: values[0], efficiency: values[1], result: values[2])
            }
            var bands = current.bands
            if let given = members["bands"] {
                guard case .array(let items) = given else { throw SettingsError("invalid_setting", .settingsMethodShape) }
                bands = try GradeBands(items.enumerated().map { index, item in
                    guard case .object(let band) = item, case .string(let code)? = band["code"], case .string(let label)? = band["label"],
                          let threshold = decimal(band["min"]) else {
                        throw SettingsError("invalid_grade_band", .settingsBandShape, ["position": String(index + 1)])
                    }
                    if let unknown = Set(band.keys).subtracting(["code", "label", "label_en", "min"]).sorted().first {
                        throw SettingsError("unknown_setting_member", .settingsUnknownMember, ["name": unknown, "expected": "code, label, label_en, min"])
                    }
                    var english = label
                    if case .string(let text)? = band["label_en"], !text.isEmpty { english = text }
                    return GradeBand(code: code, chineseLabel: label, englishLabel: english, threshold: threshold)
                })
            }
            var minimum = current.minimumSample
            if let given = members["minimum_sample"] {
                guard case .integer(let value) = given else { throw SettingsError("minimum_sample_too_small", .settingsMinimumSample) }
                minimum = value
            }
            return try IndicatorPolicy(weights: weights, bands: bands, minimumSample: minimum)
        } catch let error as IndicatorError {
            throw SettingsError(error)
        } catch let error as SettingsError {
            throw error
        } catch {
            throw SettingsError("invalid_setting", .settingsMethodShape)
        }
    }

    /// A JSON number (or a text holding one, as forms send) as an exact decimal.
    static func decimal(_ value: JSONInput?) -> Decimal? {
        switch value {
        case .integer(let number)?: Decimal(number)
        // Through the shortest text of the double, so 0.3 stays exactly 0.3.
        case .number(let number)?: Decimal(string: String(number))
        case .string(let text)?: Decimal(string: text.trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX"))
        default: nil
        }
    }

    private static func rounded(_ value: Decimal, places: Int) -> Double {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, places, .plain)
        return NSDecimalNumber(decimal: output).doubleValue
    }

    // MARK: Center

    /// The center's name, trimmed; refused when blank or longer than `SettingKey.maxNameLength`.
    public static func centerName(_ text: String) throws(SettingsError) -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= SettingKey.maxNameLength else {
            throw SettingsError("invalid_center_name", .settingsCenterName, ["max": String(SettingKey.maxNameLength)])
        }
        return name
    }

    /// The center's English name, trimmed; nil when blank (no English name); refused when
    /// longer than `SettingKey.maxNameLength`.
    public static func centerNameEnglish(_ text: String) throws(SettingsError) -> String? {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.count <= SettingKey.maxNameLength else {
            throw SettingsError("invalid_center_name_en", .settingsCenterNameEnglish, ["max": String(SettingKey.maxNameLength)])
        }
        return name.isEmpty ? nil : name
    }

    /// A time zone by its IANA name, such as Asia/Shanghai.
    public static func timeZone(_ identifier: String) throws(SettingsError) -> TimeZone {
        let trimmed = identifier.trimmingCharacters(in: .whitespaces)
        // TimeZone also accepts abbreviations and offsets such as "GMT+8"; only IANA names
        // from the system's database are taken, so the name means the same everywhere.
        guard TimeZone.knownTimeZoneIdentifiers.contains(trimmed), let zone = TimeZone(identifier: trimmed) else {
            throw SettingsError("unknown_time_zone", .settingsUnknownTimeZone, ["value": identifier])
        }
        return zone
    }

    /// A date written YYYY-MM-DD.
    public static func day(_ text: String) throws(SettingsError) -> LocalDay {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 10, let period = try? Period(parsing: trimmed), period.firstDay == period.lastDay else {
            throw SettingsError("invalid_date", .settingsInvalidDate, ["value": text])
        }
        return period.firstDay
    }
}
