import ArgumentParser
import Foundation
import SurveyCore
import SurveyStore
import SurveyWeb

/// Opens the store and the center settings over it, for one settings command.
private struct SettingsContext {
    let configuration: PingjiaConfiguration
    let store: SurveyStore
    let settings: LiveSettings

    init(_ common: CommonOptions) throws {
        configuration = try common.load()
        store = try configuration.openStore(logger: configuration.makeLogger())
        settings = try LiveSettings(store: store, defaults: CenterSettings(configuration: configuration.web))
    }

    /// Runs a change, printing whether it changed anything, with refusals in the center's
    /// language and English.
    func change(_ body: () throws -> Bool) throws {
        defer { try? store.close() }
        do {
            print(try body() ? "Saved. A running server uses it within a few seconds." : "Nothing changed.")
        } catch let error as SettingsError {
            throw ValidationError(error.message(in: .zh) + "\n" + error.message(in: .en))
        }
    }
}

/// `pingjia settings`: the center settings administrators change at run time.
struct Settings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Shows or changes the center settings (name, English name, time zone, 差评 reasons, indicator method).",
        subcommands: [Show.self, Set.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints the settings in force as JSON.")
        @OptionGroup var common: CommonOptions

        func run() throws {
            let context = try SettingsContext(common)
            defer { try? context.store.close() }
            print(WebApplication.settingsJSON(context.settings.current).text)
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Changes one setting; audited. Keys: center.name, center.name_en (empty removes it), center.time_zone, survey.negative_reasons (JSON), "
                + "indicator.method (JSON), indicator.weights (JSON), indicator.bands (JSON), indicator.minimum_sample.",
            discussion: """
                center.time_zone rebuilds every rollup in the new zone, so it needs the server stopped \
                (the command refuses while it runs). The other keys take effect on a running server within a few seconds.
                """
        )
        @OptionGroup var common: CommonOptions
        @Argument(help: "The setting, such as indicator.minimum_sample.") var key: String
        @Argument(help: "The new value: text, a number, or a JSON document.") var value: String

        func run() throws {
            if key == SettingKey.timeZone.rawValue { return try changeTimeZone() }
            let context = try SettingsContext(common)
            try context.change {
                let document = JSONInput.parse(Array(value.utf8))
                func json() throws -> JSONInput {
                    guard let document else { throw SettingsError.malformedValue(key: key) }
                    return document
                }
                let actor = CommandLineActor.name
                let method = context.settings.current.method
                switch key {
                case SettingKey.centerName.rawValue:
                    return try context.settings.setCenterName(value, actor: actor)
                case SettingKey.centerNameEnglish.rawValue:
                    return try context.settings.setCenterNameEnglish(value, actor: actor)
                case SettingKey.reasons.rawValue:
                    return try context.settings.setReasons(SettingsCodec.reasons(from: json()), actor: actor)
                case SettingKey.method.rawValue:
                    return try context.settings.setMethod(SettingsCodec.method(from: json(), over: method), actor: actor)
                case "indicator.weights", "indicator.bands", "indicator.minimum_sample":
                    let member = String(key.dropFirst("indicator.".count))
                    return try context.settings.setMethod(SettingsCodec.method(from: .object([member: json()]), over: method), actor: actor)
                default:
                    throw SettingsError.unknownKey(key, expected: SettingKey.allCases.map(\.rawValue)
                        + ["indicator.weights", "indicator.bands", "indicator.minimum_sample"])
                }
            }
        }

        /// The zone changes only with the server stopped: the rollups are rebuilt for it
        /// (as `pingjia verify --rebuild` does) before the setting is stored, so the server
        /// starts in the new zone with rollups that agree.
        private func changeTimeZone() throws {
            let configuration = try common.load()
            let zone: TimeZone
            do throws(SettingsError) {
                zone = try SettingsCodec.timeZone(value)
            } catch {
                throw ValidationError(error.message(in: .zh) + "\n" + error.message(in: .en))
            }
            let lock = try DatabaseLock(forDatabaseAt: configuration.databasePath)
            defer { lock.release() }
            let logger = configuration.makeLogger()
            let store = try SurveyStore(
                path: configuration.databasePath, timeZone: zone, ifTimeZoneChanged: .rebuild, casePolicy: configuration.casePolicy
            )
            defer { try? store.close() }
            let changed = try store.saveSetting(
                SurveyStore.timeZoneSettingKey, valueJSON: JSON.string(zone.identifier).text,
                defaultJSON: JSON.string(configuration.timeZone.identifier).text, actor: CommandLineActor.name
            )
            logger.notice("Set the center's time zone.", metadata: ["time_zone": "\(zone.identifier)"])
            print(changed ? "The time zone is \(zone.identifier); every rollup was rebuilt for it. Start the server again." : "Nothing changed.")
        }
    }
}

/// `pingjia calendar`: the working-day calendar's holidays and make-up working days.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Lists, adds or removes holidays and make-up working days (调休) over the shipped calendar files.",
        subcommands: [List.self, Add.self, Remove.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints a year's holidays and make-up working days, with where each comes from.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The year (default: this year in the center's time zone).") var year: Int?

        func run() throws {
            let context = try SettingsContext(common)
            defer { try? context.store.close() }
            let year = year ?? LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: context.store.timeZone).date.year
            let entries = Dictionary(try context.store.calendarOverrides().map { ($0.day, $0) }, uniquingKeysWith: { $1 })
            let days = context.store.casePolicy.calendar.listedDays(in: year)
            if days.isEmpty { print("\(year): no holidays or make-up working days; weekends only.") }
            for (day, kind) in days {
                let source = entries[day].map { "admin \($0.updatedBy)" } ?? "file"
                print("\(day)\t\(kind.rawValue)\t\(source)\t\(entries[day]?.note ?? "")")
            }
            for entry in entries.values.sorted(by: { $0.day < $1.day }) where entry.kind == .ordinary && entry.day.date.year == year {
                print("\(entry.day)\tordinary\tadmin \(entry.updatedBy) (taken off the file's list)")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Makes a date a holiday or a make-up working day; audited.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The date, YYYY-MM-DD.") var date: String
        @Flag(help: "A holiday, or a make-up working day (调休上班, on a weekend).") var kind: Kind = .holiday
        @Option(help: "What the day is, such as 国庆节.") var note: String?

        enum Kind: String, EnumerableFlag {
            case holiday, workingDay
        }

        func run() throws {
            let context = try SettingsContext(common)
            try context.change {
                try context.settings.setCalendarDay(
                    SettingsCodec.day(date), to: kind == .holiday ? .holiday : .workingDay, note: note, actor: CommandLineActor.name
                )
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Makes a date an ordinary day again (also one the shipped files list); audited.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The date, YYYY-MM-DD.") var date: String

        func run() throws {
            let context = try SettingsContext(common)
            try context.change {
                try context.settings.setCalendarDay(SettingsCodec.day(date), to: .ordinary, note: nil, actor: CommandLineActor.name)
            }
        }
    }
}
