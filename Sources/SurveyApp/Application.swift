import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore
import SurveyWeb

/// A running Pingjia: the store, its group-commit writer, the web routes and the HTTP
/// server, started and stopped in the order that loses nothing.
public final class Application: Sendable {
    public let configuration: PingjiaConfiguration
    public let store: SurveyStore
    public let web: WebApplication
    let writer: ResponseWriter
    let server: HTTPServer

    init(configuration: PingjiaConfiguration, store: SurveyStore, writer: ResponseWriter, web: WebApplication, server: HTTPServer) {
        self.configuration = configuration
        self.store = store
        self.writer = writer
        self.web = web
        self.server = server
    }

    /// The port the server listens on (useful when configured as 0).
    public var port: UInt16 { server.port }

    /// Stops accepting, lets requests in flight finish, writes what was acknowledged to
    /// be written, and closes the database.
    public func shutdown() {
        server.quiesce()
        web.finishSlowReads()
        writer.stop()
        // Whatever the writer answered last is sent before the connections are closed.
        server.waitForRequestsInFlight()
        server.stop()
        try? store.close()
    }
}

/// Builds and starts the whole service from a configuration: the one builder `serve`
/// and the end-to-end tests share.
public func buildApplication(_ configuration: PingjiaConfiguration, log: @escaping @Sendable (String) -> Void = Log.error) throws -> Application {
    let store = try SurveyStore(path: configuration.databasePath, timeZone: configuration.timeZone)
    let writer = store.makeWriter()
    writer.start()
    do {
        let web = try WebApplication(store: store, writer: writer, configuration: configuration.web, log: log)
        let server = HTTPServer(
            configuration: configuration.server, responder: try web.makeResponder(), renderRejection: web.renderError
        )
        try server.start()
        return Application(configuration: configuration, store: store, writer: writer, web: web, server: server)
    } catch {
        writer.stop()
        try? store.close()
        throw error
    }
}

/// Lines for the operator on standard error, which systemd's journal collects.
public enum Log {
    public static let error: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("\(UTCTimestamp.string(millis: UTCTimestamp.nowMillis())) \(message)\n".utf8))
    }

    public static func info(_ message: String) {
        error(message)
    }
}
