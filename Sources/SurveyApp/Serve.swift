import ArgumentParser
import Foundation

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
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        signal(SIGPIPE, SIG_IGN)

        var configuration = try common.load()
        if let host { configuration.server.host = host }
        if let port { configuration.server.port = UInt16(port) }
        let application = try buildApplication(configuration)
        // The line tests and scripts wait for; it names the real port when 0 was asked.
        print("Pingjia is serving on http://\(displayHost(configuration.server.host)):\(application.port) (database \(configuration.databasePath))")
        fflush(nil)

        var received: Int32 = 0
        sigwait(&signals, &received)
        application.logger.notice("Received a signal to stop.", metadata: ["signal": "\(received == SIGTERM ? "SIGTERM" : received == SIGINT ? "SIGINT" : String(received))"])
        application.shutdown()
    }

    private func displayHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}
