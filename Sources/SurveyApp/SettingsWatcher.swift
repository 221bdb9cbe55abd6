import Foundation
import Logging
import SurveyWeb
import Synchronization

/// Polls the settings' version every few seconds, so that a change made by another
/// process (`pingjia settings set`, `pingjia calendar add`) is in force on a running
/// server within that time. Changes made through the server itself are in force at once.
final class SettingsWatcher: Sendable {
    private let stopped = Atomic<Bool>(false)
    /// Signalled by `stop()`, so a shutdown need not wait out the interval.
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(settings: LiveSettings, logger: Logger, intervalSeconds: Double = 2) {
        let thread = Thread { [self] in
            defer { finished.signal() }
            while !stopped.load(ordering: .acquiring) {
                _ = wake.wait(timeout: .now() + intervalSeconds)
                guard !stopped.load(ordering: .acquiring) else { break }
                do {
                    if try settings.refreshIfChanged() {
                        logger.notice("Reloaded the center settings.", metadata: ["version": "\(settings.current.version)"])
                    }
                } catch {
                    logger.error("Kept the center settings in force: they could not be read.", metadata: ["cause": "\(error)"])
                }
            }
        }
        thread.name = "pingjia-settings-watch"
        thread.start()
    }

    /// Stops polling and waits for the last poll to end, so the store can be closed.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        finished.wait()
    }
}
