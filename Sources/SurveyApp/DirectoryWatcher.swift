import Foundation
import Logging
import SurveyWeb
import Synchronization

/// Puts changes to the directory made by another process (`pingjia window edit …`,
/// `pingjia directory import`) in force on a running server within seconds: every interval
/// it compares the store's directory version, one row, with the snapshot's, and reloads the
/// directory only when they differ.
final class DirectoryWatcher: Sendable {
    private let stopped = Atomic<Bool>(false)

    init(directory: LiveDirectory, logger: Logger, intervalSeconds: Double = 2) {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                usleep(UInt32(intervalSeconds * 1_000_000))
                guard !stopped.load(ordering: .acquiring) else { break }
                do {
                    if try directory.reloadIfChanged() {
                        logger.notice("Reloaded the directory.", metadata: ["version": "\(directory.current.version)"])
                    }
                } catch {
                    logger.error("Kept the directory in force: it could not be read again.", metadata: ["cause": "\(error)"])
                }
            }
        }
        thread.name = "pingjia-directory-watch"
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
    }
}
