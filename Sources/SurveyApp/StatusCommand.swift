import ArgumentParser
import Foundation
import SurveyCore
import SurveyStore

extension ResponseStatus: ExpressibleByArgument {}

/// `pingjia status`: excludes a response from every indicator (misuse, invalid, test) or
/// restores it, with a reason that is kept in the audit trail. The response itself is kept.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Marks a response as misuse, invalid or test (excluded from indicators, but kept), or restores it to valid."
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "The response's id, as the API returned it.")
    var id: Int64

    @Argument(help: "valid, misuse, invalid or test.")
    var status: ResponseStatus

    @Option(help: "Why, for the audit trail (required).")
    var reason: String

    @Option(help: "Who decided, for the audit trail.")
    var by: String?

    func run() throws {
        let configuration = try common.load()
        let store = try configuration.openStore(logger: configuration.makeLogger())
        defer { try? store.close() }
        guard let change = try store.setStatus(responseID: id, status: status, reason: reason, by: by) else {
            print("Response \(id) is already \(status.rawValue); nothing changed.")
            return
        }
        print("Response \(id): \(change.from.rawValue) → \(change.to.rawValue) (\(change.reason)).")
        for entry in try store.statusChanges(responseID: id) {
            print("  \(UTCTimestamp.string(millis: entry.changedAtMillis))  \(entry.from.rawValue) → \(entry.to.rawValue)  \(entry.changedBy ?? "-")  \(entry.reason)")
        }
    }
}
