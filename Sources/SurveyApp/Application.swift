import Foundation
import Logging
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
    public let logger: Logger
    let writer: ResponseWriter
    let server: HTTPServer
    let secretWatcher: SecretFileWatcher
    let settingsWatcher: SettingsWatcher
    let searchIndexer: SearchIndexer
    let directoryWatcher: DirectoryWatcher

    init(
        configuration: PingjiaConfiguration, store: SurveyStore, writer: ResponseWriter, web: WebApplication,
        server: HTTPServer, logger: Logger, secretWatcher: SecretFileWatcher, settingsWatcher: SettingsWatcher,
        searchIndexer: SearchIndexer
    ) {
        self.secretWatcher = secretWatcher
        self.settingsWatcher = settingsWatcher
        self.directoryWatcher = DirectoryWatcher(directory: web.liveDirectory, logger: logger)
        self.searchIndexer = searchIndexer
        self.configuration = configuration
        self.store = store
        self.writer = writer
        self.web = web
        self.server = server
        self.logger = logger
    }

    /// The port the server listens on (useful when configured as 0).
    public var port: UInt16 { server.port }

    /// Stops accepting, lets requests in flight finish, writes what was acknowledged to
    /// be written, and closes the database.
    public func shutdown() {
        logger.notice("Stopping: finishing requests in flight and writing what was queued.", metadata: [
            "in_flight": "\(server.requestsInFlight)",
        ])
        // Event streams first: they never finish on their own, and the server cannot stop
        // while one waits suspended.
        web.events.close()
        web.releaseKiosks()
        server.quiesce()
        secretWatcher.stop()
        settingsWatcher.stop()
        directoryWatcher.stop()
        web.finishSlowReads()
        writer.stop()
        searchIndexer.stop()
        // Whatever the writer answered last is sent before the connections are closed.
        server.waitForRequestsInFlight()
        server.stop()
        do {
            try store.close()
            logger.notice("Stopped cleanly.", metadata: ["database": "\(store.path)"])
        } catch {
            logger.error("Stopped, but closing the database failed.", metadata: ["database": "\(store.path)", "cause": "\(error)"])
        }
    }
}

/// Builds and starts the whole service from a configuration: the one builder `serve`
/// and the end-to-end tests share. Logs go to `logger`, or where the configuration says.
public func buildApplication(_ configuration: PingjiaConfiguration, logger: Logger? = nil) throws -> Application {
    let logger = logger ?? configuration.makeLogger()
    let store = try configuration.openStore(logger: logger)
    // The zone the store counts days in may be an administrator's (`center.time_zone`).
    var configuration = configuration
    configuration.timeZone = store.timeZone
    let metrics = PingjiaMetrics()
    let events = ResponseEventHub(
        maxSubscribers: configuration.web.eventStreams, heartbeatSeconds: Double(configuration.web.eventHeartbeatSeconds)
    )
    let writer = store.makeWriter(observer: WriterObservers([WriterTelemetry(metrics: metrics, logger: logger), events]))
    writer.start()
    do {
        let secretPath = configuration.resolvedSecretPath
        let web = try WebApplication(
            store: store, writer: writer, configuration: configuration.web,
            signingKeys: try ServerSecret.loadOrCreate(at: secretPath), logger: logger, metrics: metrics, events: events
        )
        let server = HTTPServer(
            configuration: configuration.server, responder: try web.makeResponder(), renderRejection: web.renderError
        )
        try server.start()
        events.startHeartbeat()
        logger.notice("Started.", metadata: [
            "host": "\(configuration.server.host)", "port": "\(server.port)", "database": "\(configuration.databasePath)",
            "threads": "\(configuration.server.threads)", "metrics": "\(configuration.web.metricsEnabled)",
            "access_log": "\(configuration.web.accessLog)",
        ])
        let watcher = SecretFileWatcher(path: secretPath, ring: web.signingKeys, logger: logger)
        return Application(
            configuration: configuration, store: store, writer: writer, web: web, server: server, logger: logger,
            secretWatcher: watcher, settingsWatcher: SettingsWatcher(settings: web.settings, logger: logger),
            searchIndexer: SearchIndexer(store: store, logger: logger)
        )
    } catch {
        logger.critical("Could not start.", metadata: ["cause": "\(error)"])
        events.close()
        writer.stop()
        try? store.close()
        throw error
    }
}

extension PingjiaConfiguration {
    /// Opens (and migrates) the configured database, logging the migrations it applied.
    func openStore(logger: Logger, ifTimeZoneChanged: TimeZoneChangePolicy = .refuse) throws -> SurveyStore {
        let store: SurveyStore
        do {
            // An administrator's zone, stored with the rollups built for it, wins over the file's.
            let zone = try SurveyStore.storedTimeZoneIdentifier(databaseAt: databasePath).flatMap(TimeZone.init(identifier:)) ?? timeZone
            store = try SurveyStore(
                path: databasePath, timeZone: zone, ifTimeZoneChanged: ifTimeZoneChanged, casePolicy: casePolicy
            )
        } catch {
            logger.critical("Cannot open the database.", metadata: ["database": "\(databasePath)", "cause": "\(error)"])
            throw error
        }
        let year = LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: timeZone).date.year
        if !store.casePolicy.calendar.years.contains(year) {
            // Deadlines then count weekends only: holidays would count as working days.
            logger.warning("No working-day calendar for this year: case deadlines count weekends only.", metadata: [
                "year": "\(year)", "calendar_directory": "\(calendarDirectory ?? "none")",
            ])
        }
        if !store.migrationsApplied.isEmpty {
            logger.notice("Applied \(store.migrationsApplied.count) migration(s).", metadata: [
                "database": "\(databasePath)", "migrations": .array(store.migrationsApplied.map { .string($0) }),
            ])
        }
        return store
    }
}

extension PingjiaConfiguration {
    /// This configuration with the center settings an administrator stored in `store` over
    /// the file's: the name, the reasons, the indicator method and the store's time zone.
    /// Commands that report or print use it, so they agree with the running server.
    func withStoredSettings(of store: SurveyStore) throws -> PingjiaConfiguration {
        let settings = try LiveSettings(store: store, defaults: CenterSettings(configuration: web)).current
        var configuration = self
        configuration.web.centerName = settings.centerName
        configuration.web.centerNameEnglish = settings.centerNameEnglish
        configuration.web.policy.reasonLists = settings.reasons
        configuration.web.indicatorPolicy = settings.method
        configuration.timeZone = store.timeZone
        return configuration
    }
}
