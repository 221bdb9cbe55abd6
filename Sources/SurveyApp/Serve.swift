import ArgumentParser
import Foundation
import SurveyStore

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serves the survey pages and the API until SIGTERM or SIGINT.")

    @OptionGroup var common: CommonOptions

    @Option(help: "The address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "The port to listen on (default 8080; 0 picks a free one).")
    var port: Int?

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be between 0 and 65535.")
        }
    }

    func run() throws {
        // Block the shutdown signals before any thread exists, so every thread inherits the
        // mask and the signals wait for sigwait below instead of killing the process.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        let masked = pthread_sigmask(SIG_BLOCK, &signals, nil)
        guard masked == 0 else {
            throw ServeError("Could not block SIGINT and SIGTERM (error \(masked)); refusing to start without a clean shutdown.")
        }
        signal(SIGPIPE, SIG_IGN)

        var configuration = try common.load()
        if let host { configuration.server.host = host }
        if let port { configuration.server.port = UInt16(port) }
        // Held until the process ends: `pingjia restore` refuses while it is held.
        let lock = try DatabaseLock(forDatabaseAt: configuration.databasePath)
        defer { lock.release() }
        let application = try buildApplication(configuration)
        // The line tests and scripts wait for; it names the real port when 0 was asked.
        print("Pingjia is serving on http://\(displayHost(configuration.server.host)):\(application.port) (database \(configuration.databasePath))")
        fflush(nil)

        var received: Int32 = 0
        // sigwait fails only for an invalid set; waiting again is the safe answer either way.
        while sigwait(&signals, &received) != 0 {}
        application.logger.notice("Received a signal to stop.", metadata: ["signal": "\(received == SIGTERM ? "SIGTERM" : received == SIGINT ? "SIGINT" : String(received))"])
        application.shutdown()
    }

    private func displayHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}

/// Why `serve` could not start, said for the operator.
struct ServeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
