import Foundation
import GRDB
import SurveyCore
import SurveyStore
import Synchronization

/// What keeping the rollups costs on the insert path. "Before" is the v1 insert exactly as
/// `ResponseRows.insert` did it before v2 (one cached INSERT, the conflict check, building
/// the `StoredResponse`), run here against the same schema and indexes; "after" is the
/// store's own path (`importResponses`, which is `ResponseRows.insert`: the insert with its
/// local day, plus the two rollup UPSERTs).
struct InsertPathBenchmark {
    let rows: Int
    let directory: String

    struct Result {
        var label: String
        var before: Double?
        var after: Double
    }

    static let version1InsertSQL = """
        INSERT INTO response (client_id, window_id, department_id, service_item_id, staff_id, channel,
                              attitude, efficiency, result, is_negative, comment, reasons, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(client_id) DO NOTHING
        """

    func run() throws -> [Result] {
        var bulkBefore: [Double] = [], bulkAfter: [Double] = []
        var batchBefore: [Double] = [], batchAfter: [Double] = []
        // Alternate before and after twice, and keep each one's best, so a noisy
        // neighbour on the shared cores hurts neither side more than the other.
        for round in 0..<2 {
            bulkBefore.append(try rowsPerSecond(version: .before, transactionRows: 10_000, seed: UInt64(10 + round)))
            bulkAfter.append(try rowsPerSecond(version: .after, transactionRows: 10_000, seed: UInt64(10 + round)))
            batchBefore.append(try rowsPerSecond(version: .before, transactionRows: 512, seed: UInt64(20 + round)))
            batchAfter.append(try rowsPerSecond(version: .after, transactionRows: 512, seed: UInt64(20 + round)))
        }
        let writer = try writerRowsPerSecond()
        return [
            Result(label: "one transaction per 10,000 rows", before: bulkBefore.max(), after: bulkAfter.max()!),
            Result(label: "durable commit (FULL) per 512 rows, the group-commit shape", before: batchBefore.max(), after: batchAfter.max()!),
            Result(label: "ResponseWriter, 4 producers, maxBatch 512, FULL", before: nil, after: writer),
        ]
    }

    enum Version {
        case before
        case after
    }

    private func freshStore() throws -> (SurveyStore, BenchCenter, String) {
        let path = directory + "/insert-\(UUID().uuidString).sqlite"
        let store = try SurveyStore(path: path, timeZone: LocalDay.centerTimeZone)
        return (store, try BenchCenter.create(in: store), path)
    }

    private func submissions(_ center: BenchCenter, seed: UInt64) -> [(submission: ValidatedSubmission, atMillis: Int64)] {
        var random = SplitMix(state: seed)
        let start = LocalDay(year: 2026, month: 10, day: 1)!.startMillis(in: LocalDay.centerTimeZone)
        return (0..<rows).map { index in
            let clientID = "insert-\(seed)-\(index)"
            return (center.submission(center.draw(&random), clientID: clientID), start + Int64(index) * 100)
        }
    }

    private func rowsPerSecond(version: Version, transactionRows: Int, seed: UInt64) throws -> Double {
        let (store, center, path) = try freshStore()
        defer { Self.remove(path) }
        let all = submissions(center, seed: seed)
        let chunks = stride(from: 0, to: all.count, by: transactionRows).map { Array(all[$0..<min($0 + transactionRows, all.count)]) }
        switch version {
        case .after:
            let (_, duration) = try Stopwatch.time {
                for chunk in chunks {
                    try store.importResponses(chunk)
                }
            }
            try store.close()
            return Double(rows) / duration.seconds
        case .before:
            try store.close()
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let (_, duration) = try Stopwatch.time {
                for chunk in chunks {
                    try queue.write { db in
                        for (submission, millis) in chunk {
                            _ = try Self.version1Insert(submission, atMillis: millis, in: db)
                        }
                    }
                }
            }
            try queue.close()
            return Double(rows) / duration.seconds
        }
    }

    /// The v1 `ResponseRows.insert`, line for line.
    private static func version1Insert(_ submission: ValidatedSubmission, atMillis millis: Int64, in db: Database) throws -> StoredResponse? {
        let statement = try db.cachedStatement(sql: version1InsertSQL)
        let ratings = submission.ratings
        try statement.execute(arguments: [
            submission.clientID, submission.window.id, submission.department.id,
            submission.serviceItem?.id, submission.staff?.id, submission.channel.rawValue,
            ratings.attitude.rawValue, ratings.efficiency.rawValue, ratings.result.rawValue,
            ratings.isNegative ? 1 : 0, submission.comment, reasonsJSON(submission.reasons), millis,
        ])
        guard db.changesCount > 0 else { return nil }
        return StoredResponse(
            id: db.lastInsertedRowID, clientID: submission.clientID, windowCode: submission.window.code,
            departmentCode: submission.department.code, ratings: ratings, comment: submission.comment,
            reasons: submission.reasons, channel: submission.channel, serviceItemCode: submission.serviceItem?.code,
            staffCode: submission.staff?.code, createdAtMillis: millis
        )
    }

    private static func reasonsJSON(_ reasons: [String]) -> String {
        guard !reasons.isEmpty, let data = try? JSONEncoder().encode(reasons) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Durable inserts a second through the real group-commit writer, fed by 4 threads.
    private func writerRowsPerSecond() throws -> Double {
        let (store, center, path) = try freshStore()
        defer { Self.remove(path) }
        let all = submissions(center, seed: 30).map(\.submission)
        let writer = store.makeWriter(maxBatch: 512)
        writer.start()
        let failures = Atomic<Int>(0)
        let group = DispatchGroup()
        let producers = 4
        let (_, duration) = Stopwatch.time {
            for _ in all { group.enter() }
            DispatchQueue.concurrentPerform(iterations: producers) { producer in
                for index in stride(from: producer, to: all.count, by: producers) {
                    writer.submit(all[index]) { result in
                        if case .failure = result { failures.add(1, ordering: .relaxed) }
                        group.leave()
                    }
                }
            }
            group.wait()
        }
        writer.stop()
        try store.close()
        guard failures.load(ordering: .relaxed) == 0 else { throw BenchError.failed("the writer reported failures") }
        return Double(rows) / duration.seconds
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case failed(String)

    var description: String {
        switch self {
        case .failed(let message): message
        }
    }
}
