import ArgumentParser
import Foundation
import Logging
import SurveyCore
import SurveyStore
import SurveyWeb

/// Opens the store and the report builder the way `serve` does, for one command.
struct ReportContext {
    let configuration: PingjiaConfiguration
    let store: SurveyStore
    let reports: IndicatorReports
    let logger: Logger

    init(_ common: CommonOptions) throws {
        let file = try common.load()
        logger = file.makeLogger()
        store = try file.openStore(logger: logger)
        configuration = try file.withStoredSettings(of: store)
        reports = IndicatorReports(
            store: store, directory: try store.directory(), policy: configuration.web.indicatorPolicy, timeZone: configuration.timeZone
        )
    }
}

extension Period: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

struct Indicators: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prints the satisfaction indicators of a period: the same numbers as GET /api/v1/indicators."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @OptionGroup var common: CommonOptions

    @Option(help: "The period: 2026-11, 2026-Q4, 2026-H2, 2026 or 2026-10-01..2026-10-15.")
    var period: Period

    @Option(help: "Only this department (its code).")
    var department: String?

    @Option(help: "Break a department down by window, staff or item.")
    var by: String?

    @Option(help: "Also the indicator for each of the last N periods.")
    var trend: Int?

    @Option(help: "table, json or csv.")
    var format: Format = .table

    func validate() throws {
        if let by, IndicatorQuery.Breakdown(rawValue: by) == nil { throw ValidationError("--by must be window, staff or item.") }
        if let trend, !(1...60).contains(trend) { throw ValidationError("--trend must be from 1 to 60.") }
    }

    func run() throws {
        let context = try ReportContext(common)
        let query = IndicatorQuery(period: period, departmentCode: department, breakdown: by.flatMap(IndicatorQuery.Breakdown.init), trend: trend)
        let output: String
        do {
            switch format {
            case .json: output = try context.reports.jsonText(query)
            case .csv: output = try context.reports.csvText(query)
            case .table: output = try context.reports.table(query)
            }
        } catch let error as IndicatorQueryError {
            throw ValidationError(error.message)
        }
        print(output, terminator: output.hasSuffix("\n") ? "" : "\n")
    }
}

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publishes (公示) a period: freezes its figures into an immutable snapshot with a content hash."
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "The period to publish, e.g. 2026-Q3.")
    var period: Period

    func run() throws {
        let context = try ReportContext(common)
        let publication: Publication
        do {
            publication = try context.reports.publish(period)
        } catch {
            context.logger.error("Publishing failed.", metadata: ["period": "\(period)", "cause": "\(error)"])
            throw error
        }
        context.logger.notice("Published a period.", metadata: [
            "period": "\(period)", "published_at": "\(UTCTimestamp.string(millis: publication.publishedAtMillis))",
            "sha256": "\(publication.contentHash)", "database": "\(context.configuration.databasePath)",
        ])
        print("Published \(period) at \(UTCTimestamp.string(millis: publication.publishedAtMillis)); content hash sha256:\(publication.contentHash)")
    }
}

struct Recheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-checks (复核) a published period: recomputes it from the stored responses and says whether it still matches."
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "The published period, e.g. 2026-Q3.")
    var period: Period

    func run() throws {
        let context = try ReportContext(common)
        guard let result = try context.reports.recheck(period) else {
            throw ValidationError("\(period) has not been published.")
        }
        print(result.text)
        if case .object(let members) = result, members.contains(where: { $0.0 == "matches" && $0.1 == .bool(false) }) {
            throw ExitCode(1)
        }
    }
}

struct APIKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Creates, lists and revokes the API keys other programs use.",
        subcommands: [Create.self, Revoke.self, List.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Creates a key and prints it once, alone on the last line.")

        @OptionGroup var common: CommonOptions

        @Option(help: "A name saying who uses the key, e.g. assessment-module.")
        var name: String

        @Option(help: "A scope the key grants; repeat for several. The assessment module needs indicators:read; the feedback review feedback:read and, to flag responses, feedback:write.")
        var scope: [String] = []

        @Option(help: "A department code the key is limited to; repeat for several. Without it the key sees every department.")
        var department: [String] = []

        func validate() throws {
            if scope.isEmpty { throw ValidationError("Give at least one --scope, e.g. --scope indicators:read.") }
        }

        func run() throws {
            let context = try ReportContext(common)
            let (record, key) = try context.store.createAPIKey(
                name: name, scopes: Set(scope), departments: department.isEmpty ? nil : Set(department)
            )
            let limited = record.departments.map { " limited to departments \($0.sorted().joined(separator: " "))" } ?? ""
            print("Created API key “\(record.name)” with scopes \(record.scopes.sorted().joined(separator: " "))\(limited).")
            print("It is shown only now; store it safely. Clients send it as “Authorization: Bearer <key>”.")
            print(key)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revokes a key by name; it stops working at once.")

        @OptionGroup var common: CommonOptions

        @Option(help: "The key's name.")
        var name: String

        func run() throws {
            let context = try ReportContext(common)
            let record = try context.store.revokeAPIKey(name: name)
            print("Revoked API key “\(record.name)”.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the keys: name, prefix, scopes, created, revoked.")

        @OptionGroup var common: CommonOptions

        func run() throws {
            let context = try ReportContext(common)
            for key in try context.store.apiKeys() {
                let revoked = key.revokedAtMillis.map { "revoked \(UTCTimestamp.string(millis: $0))" } ?? "active"
                let departments = key.departments.map { "departments " + $0.sorted().joined(separator: " ") } ?? "all departments"
                print("\(key.name)\t\(key.prefix)…\t\(key.scopes.sorted().joined(separator: " "))\t\(departments)\tcreated \(UTCTimestamp.string(millis: key.createdAtMillis))\t\(revoked)")
            }
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recomputes every rollup from the raw responses and reports any difference (there should be none)."
    )

    @OptionGroup var common: CommonOptions

    @Flag(help: "After reporting, rebuild the rollups from the raw responses.")
    var rebuild = false

    func run() throws {
        let configuration = try common.load()
        // With --rebuild, a database whose rollups were built in another zone is accepted and
        // recomputed in the configured one; without it, such a database is refused.
        let store = try configuration.openStore(logger: configuration.makeLogger(), ifTimeZoneChanged: rebuild ? .rebuild : .refuse)
        defer { try? store.close() }
        let started = Date()
        let report = try store.verify()
        print("Checked \(report.validResponses) valid responses, \(report.windowDayRows) window-day and \(report.detailDayRows) detail rollup rows in \(configuration.timeZone.identifier) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s.")
        print("Responses on a wrong local day: \(report.wrongLocalDays). Rollup rows that differ: \(report.differenceCount).")
        for difference in report.differences {
            print("  \(difference)")
        }
        if rebuild {
            try store.rebuildRollups()
            print("Rebuilt the rollups from the raw responses.")
            return
        }
        if !report.isConsistent {
            throw ExitCode(1)
        }
    }
}
