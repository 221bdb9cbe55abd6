import ArgumentParser
import Foundation
import SurveyStore

/// `pingjia`: the satisfaction survey collector of a district administrative service center.
public struct Pingjia: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pingjia",
        abstract: "Collects citizens' satisfaction ratings and stores them durably in SQLite.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Indicators.self, Publish.self, Recheck.self, Verify.self, Status.self, Case.self,
            APIKey.self, Backup.self, Restore.self, User.self, Audit.self, QR.self, Device.self, Visit.self, Settings.self, CalendarCommand.self,
            DepartmentCommand.self, WindowCommand.self, ItemCommand.self, StaffCommand.self, DirectoryCommand.self,
        ],
        defaultSubcommand: Serve.self
    )

    public init() {}
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (default: database.path from the configuration, else ./pingjia.sqlite).")
    var db: String?

    @Option(name: .long, help: "A JSON configuration file; see docs/configuration.md.")
    var config: String?

    func validate() throws {
        if let config, !FileManager.default.fileExists(atPath: config) {
            throw ValidationError("The configuration file \(config) does not exist.")
        }
    }

    /// The configuration file's settings, with `--db` over them.
    func load() throws -> PingjiaConfiguration {
        var configuration = try config.map(PingjiaConfiguration.load(path:)) ?? PingjiaConfiguration()
        if let db { configuration.databasePath = db }
        return configuration
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Creates the database or brings its schema up to date.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let configuration = try common.load()
        let store = try configuration.openStore(logger: configuration.makeLogger())
        let applied = try store.appliedMigrations()
        try store.close()
        print("Database \(configuration.databasePath) is at migration \(applied.last ?? "none") (\(applied.count) applied).")
    }
}
