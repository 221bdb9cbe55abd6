import Foundation
import Logging
import SurveyStore
import Synchronization

/// Keeps the comment search index up to date off the submission path: every few seconds it
/// indexes what was stored since, in one short transaction of its own.
final class SearchIndexer: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(store: SurveyStore, logger: Logger, intervalSeconds: Double = 3) {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                do {
                    while try store.indexNewComments() > 0 && !stopped.load(ordering: .acquiring) {}
                } catch {
                    logger.error("Indexing new comments for search failed; searches still find them, more slowly.", metadata: [
                        "cause": "\(error)",
                    ])
                }
                var waited = 0.0
                while waited < intervalSeconds && !stopped.load(ordering: .acquiring) {
                    usleep(100_000)
                    waited += 0.1
                }
            }
            done.signal()
        }
        thread.name = "pingjia-search-index"
        thread.start()
    }

    /// Stops the thread and waits for it, so the database can be closed.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        done.wait()
    }
}
