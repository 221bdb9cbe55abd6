import Foundation
import SurveyCore
import SurveyStore
import Synchronization
import Testing

/// The store on real SQLite files, one temporary file per test.
@Suite struct SurveyStoreTests {
    static func temporaryPath() -> String {
        NSTemporaryDirectory() + "pingjia-store-\(UUID().uuidString).sqlite"
    }

    /// A store with one department and window, and a submission for it.
    static func seeded(path: String = temporaryPath()) throws -> (SurveyStore, @Sendable (String) -> ValidatedSubmission) {
        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        let department = try store.addDepartment(code: "SCJG", name: "市场监管科")
        let window = try store.addWindow(code: "W01", name: "1号窗口", departmentID: department.id)
        let make: @Sendable (String) -> ValidatedSubmission = { clientID in
            ValidatedSubmission(
                window: window, department: department,
                ratings: Ratings(attitude: .verySatisfied, efficiency: .dissatisfied, result: .satisfied),
                comment: "排队久", reasons: ["等候时间长", "材料\"要求\"不清楚"], channel: .kiosk, clientID: clientID,
                serviceItem: nil, staff: nil
            )
        }
        return (store, make)
    }

    @Test func migratesAnEmptyFileAndReportsTheMigrations() throws {
        let store = try SurveyStore(path: Self.temporaryPath(), timeZone: StoreFixture.shanghai)
        #expect(try store.appliedMigrations().first == "v1-collection")
        #expect(try store.responseCount() == 0)
        #expect(try !store.hasDirectory())
    }

    @Test func aRecordedResponseIsThereAfterReopening() throws {
        let path = Self.temporaryPath()
        let (store, make) = try Self.seeded(path: path)
        let outcome = try store.record(make("client-reopen-1"), atMillis: 1_790_000_000_000)
        #expect(outcome.created)
        try store.close()

        let reopened = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        let stored = try #require(try reopened.response(clientID: "client-reopen-1"))
        #expect(stored == outcome.response)
        #expect(stored.reasons == ["等候时间长", "材料\"要求\"不清楚"])
        #expect(stored.departmentCode == "SCJG")
        #expect(stored.isNegative)
        #expect(try reopened.directory().windows.map(\.code) == ["W01"])
    }

    @Test func replayingAClientIDReturnsTheOriginalAndAddsNoRow() throws {
        let (store, make) = try Self.seeded()
        let first = try store.record(make("client-replay-1"), atMillis: 1000)
        var changed = make("client-replay-1")
        changed.comment = "另一条"
        let second = try store.record(changed, atMillis: 2000)
        #expect(!second.created)
        #expect(second.response == first.response)
        #expect(try store.responseCount() == 1)
    }

    @Test func racingReplaysThroughTheWriterStoreOneRow() throws {
        let (store, make) = try Self.seeded()
        let writer = store.makeWriter(maxBatch: 8)
        writer.start()
        let outcomes = Mutex<[RecordOutcome]>([])
        let group = DispatchGroup()
        for _ in 0..<64 {
            group.enter()
            DispatchQueue.global().async {
                writer.submit(make("client-race-1")) { result in
                    if case .success(let outcome) = result { outcomes.withLock { $0.append(outcome) } }
                    group.leave()
                }
            }
        }
        group.wait()
        writer.stop()
        let all = outcomes.withLock { $0 }
        #expect(all.count == 64)
        #expect(all.filter(\.created).count == 1)
        #expect(Set(all.map(\.response.id)).count == 1)
        #expect(try store.responseCount() == 1)
    }

    @Test func theWriterReportsEveryBatchToItsObserver() throws {
        let (store, make) = try Self.seeded()
        let collector = Collector()
        let writer = store.makeWriter(maxBatch: 8, observer: collector)
        writer.start()
        let group = DispatchGroup()
        for index in 0..<40 {
            group.enter()
            writer.submit(make("client-observed-\(index % 30)")) { _ in group.leave() }
        }
        group.wait()
        writer.stop()
        let all = collector.reports.withLock { $0 }
        #expect(all.reduce(0) { $0 + $1.batchSize } == 40)
        #expect(all.allSatisfy { $0.batchSize <= 8 && $0.queueDepth >= $0.batchSize && $0.failedTransactions == 0 })
        #expect(all.allSatisfy { $0.batchFailure == nil && $0.refused == 0 && $0.seconds >= 0 })
        let outcomes = all.flatMap(\.outcomes).compactMap { try? $0.get() }
        #expect(outcomes.filter(\.created).count == 30)
        #expect(outcomes.filter { !$0.created }.count == 10)
    }

    @Test func racingReplaysFromTwoProcessesWorthOfConnectionsStoreOneRow() throws {
        let path = Self.temporaryPath()
        let (first, make) = try Self.seeded(path: path)
        let second = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        let created = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            let store = index.isMultiple(of: 2) ? first : second
            if let outcome = try? store.record(make("client-two-stores")), outcome.created {
                created.add(1, ordering: .relaxed)
            }
        }
        #expect(created.load(ordering: .relaxed) == 1)
        #expect(try first.responseCount() == 1)
    }

    @Test func theWriterStoresManyConcurrentSubmissionsAndReportsEachAfterCommit() throws {
        let (store, make) = try Self.seeded()
        let writer = store.makeWriter()
        writer.start()
        let ids = Mutex<Set<Int64>>([])
        let group = DispatchGroup()
        for index in 0..<500 {
            group.enter()
            writer.submit(make("client-many-\(index)")) { result in
                if case .success(let outcome) = result {
                    // Reported only after commit: a fresh read connection must already see it.
                    if (try? store.response(id: outcome.response.id)) != nil {
                        ids.withLock { _ = $0.insert(outcome.response.id) }
                    }
                }
                group.leave()
            }
        }
        group.wait()
        writer.stop()
        #expect(ids.withLock { $0.count } == 500)
        #expect(try store.responseCount() == 500)
    }

    @Test func aSubmissionTheDatabaseRefusesFailsAloneAndItsBatchIsStored() throws {
        let (store, make) = try Self.seeded()
        var orphan = make("client-orphan-1")
        orphan.window.id = 9_999  // no such window: the foreign key refuses the row
        let writer = store.makeWriter()
        writer.start()
        let results = Mutex<[String: Bool]>([:])
        let group = DispatchGroup()
        for submission in [make("client-batch-1"), orphan, make("client-batch-2"), make("client-batch-3")] {
            group.enter()
            writer.submit(submission) { result in
                results.withLock { $0[submission.clientID] = (try? result.get()) != nil }
                group.leave()
            }
        }
        #expect(group.wait(timeout: .now() + 30) == .success, "every submission is answered")
        writer.stop()
        #expect(results.withLock { $0 } == ["client-batch-1": true, "client-orphan-1": false, "client-batch-2": true, "client-batch-3": true])
        #expect(try store.responseCount() == 3)
        #expect(try store.verify().isConsistent)
    }

    @Test func aStoppedWriterRefusesWorkWithoutStoringIt() throws {
        let (store, make) = try Self.seeded()
        let writer = store.makeWriter()
        writer.start()
        writer.stop()
        let refused = Mutex<Bool>(false)
        writer.submit(make("client-late-1")) { result in
            if case .failure(.closed) = result { refused.withLock { $0 = true } }
        }
        #expect(refused.withLock { $0 })
        #expect(try store.responseCount() == 0)
    }

    @Test func duplicateCodesAreRefusedWithoutTouchingExistingRows() throws {
        let (store, _) = try Self.seeded()
        #expect(throws: (any Error).self) { try store.addWindow(code: "W01", name: "重复", departmentID: 1) }
        #expect(try store.directory().windows.map(\.name) == ["1号窗口"])
    }

    @Test func theDatabaseRunsInWALWithFullSync() throws {
        let store = try SurveyStore(path: Self.temporaryPath(), timeZone: StoreFixture.shanghai)
        let durability = try store.durability()
        #expect(durability.journalMode == "wal")
        #expect(durability.synchronous == 2)
    }
}

/// Keeps what the writer reported.
private final class Collector: ResponseWriterObserver {
    let reports = Mutex<[WriterReport]>([])
    func writerFinished(_ report: WriterReport) { reports.withLock { $0.append(report) } }
}
