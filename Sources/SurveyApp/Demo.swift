import ArgumentParser
import Foundation
import SurveyStore
import SurveyWeb

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Loads a demo center (Chinese names with English translations) with a year of ratings and recent visits, if the database has no center yet."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "How many days of history to generate, ending today.")
    var days: Int = 365

    func validate() throws {
        guard (1...3660).contains(days) else { throw ValidationError("--days must be between 1 and 3660.") }
    }

    func run() throws {
        let configuration = try common.load()
        let store = try configuration.openStore(logger: configuration.makeLogger())
        defer { try? store.close() }
        if try store.hasDirectory() {
            print("The database \(configuration.databasePath) already has a center; the demo was not loaded again.")
            return
        }
        let started = Date()
        let added = try DemoCenter.load(into: store, timeZone: store.timeZone, days: days, policy: configuration.web.policy)
        // The center's English name, unless the configuration names another center or
        // gives an English name of its own.
        let settings = try LiveSettings(store: store, defaults: CenterSettings(configuration: configuration.web))
        if settings.current.centerName == WebConfiguration().centerName && settings.current.centerNameEnglish == nil {
            try settings.setCenterNameEnglish(DemoCenter.centerNameEnglish, actor: CommandLineActor.name)
        }
        print(String(format: "Loaded the demo center: %d departments, %d responses, %d visits in %.1f s.",
                     DemoCenter.plans.count, added.responses, added.visits, Date().timeIntervalSince(started)))
    }
}
