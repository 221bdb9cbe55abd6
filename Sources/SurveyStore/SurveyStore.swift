import Foundation
import GRDB
import SurveyCore
import Synchronization

/// What storing a submission did.
public struct RecordOutcome: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Stored now.
        case stored
        /// Stored already under the same client id with the same answers: a retry.
        case replayed
        /// Stored already under the same client id with other answers: nothing was stored,
        /// and the original must not be shown to whoever sent this.
        case conflict
        /// The submission's visit is rated already, under another client id: nothing was
        /// stored (一次一评), and the original must not be shown to whoever sent this.
        case visitAlreadyRated
    }

    /// The response stored now, or the original under that client id.
    public var response: StoredResponse
    public var kind: Kind

    public var created: Bool { kind == .stored }
}

/// The one way into Pingjia's SQLite database. It owns the connection pool, migrates on
/// open, and offers methods named for what callers mean.
///
/// Durability: the database runs in WAL mode with `synchronous = FULL`, so a commit has
/// reached the disk (the WAL is fsynced) before `record` returns or a `ResponseWriter`
/// reports success. A response acknowledged to a citizen therefore survives a crash of
/// the process and a loss of power. `NORMAL` would survive only a process crash; the
/// group commit in `ResponseWriter` pays for `FULL` by sharing one fsync among a batch.
public final class SurveyStore: Sendable {
    public let path: String
    /// The center's time zone: the zone of every response's local day, and so of every
    /// period boundary the store reports on.
    public let timeZone: TimeZone
    /// How 差评 case deadlines are counted: working days and the calendar they are on (the
    /// shipped calendar with an administrator's changes laid over it, see `setCalendarDay`).
    public var casePolicy: CasePolicy { liveCasePolicy.current }
    /// The case policy as configured, before an administrator's calendar changes.
    public let configuredCasePolicy: CasePolicy
    let liveCasePolicy: LiveCasePolicy
    let pool: DatabasePool
    /// The migrations this open applied, oldest first: empty when the schema was already
    /// up to date. For the operator's log.
    public let migrationsApplied: [String]
    private let closed = Atomic<Bool>(false)

    /// Opens (creating if needed) and migrates the database at `path`, counting local days
    /// in `timeZone` and case deadlines by `casePolicy`.
    ///
    /// If the rollups were built for another zone, `ifTimeZoneChanged` decides: `.refuse`
    /// (the default) throws `RollupError.timeZoneChanged` and changes nothing; `.rebuild`
    /// recomputes every local day and both rollup tables for `timeZone` before returning.
    public init(
        path: String, timeZone: TimeZone,
        ifTimeZoneChanged: TimeZoneChangePolicy = .refuse, casePolicy: CasePolicy = CasePolicy()
    ) throws {
        self.path = path
        self.timeZone = timeZone
        self.configuredCasePolicy = casePolicy
        self.liveCasePolicy = LiveCasePolicy(casePolicy)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "pingjia"
        let localDay = Rollups.localDayFunction(timeZone)
        configuration.prepareDatabase { db in
            db.add(function: localDay)
            // Statement and savepoint journals in memory: each response is written under a
            // savepoint, and a journal in a temporary file would cost system calls per row.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB opens pools with synchronous = NORMAL; the single, long-lived writer
            // connection is switched to FULL here, after GRDB's own setup, so it sticks.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let migrator = Migrations.migrator(timeZone: timeZone, casePolicy: casePolicy)
            let before = try pool.read { db in try migrator.appliedIdentifiers(db) }
            try migrator.migrate(pool)
            let after = try pool.read { db in try migrator.appliedMigrations(db) }
            migrationsApplied = after.filter { !before.contains($0) }
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        try checkTimeZone(ifChanged: ifTimeZoneChanged)
        try refreshCalendar()
    }

    /// The names of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Migrations.migrator(timeZone: timeZone).appliedMigrations(db) }
    }

    /// The journal mode and `synchronous` level of the writing connection, as SQLite
    /// reports them: `wal` and 2 (FULL) when durability is as documented.
    public func durability() throws -> (journalMode: String, synchronous: Int) {
        try pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }

    /// Checkpoints the WAL and closes every connection. Closing again does nothing: SQLite
    /// must not be called on a closed connection.
    public func close() throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try pool.writeWithoutTransaction { db in
            _ = try? db.checkpoint(.truncate)
        }
        try pool.close()
    }

    // MARK: Responses

    /// Stores one submission in its own transaction, or returns the stored original if
    /// its client id was seen before.
    public func record(_ submission: ValidatedSubmission, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws -> RecordOutcome {
        try pool.write { db in
            var rollups = RollupBatch(timeZone: timeZone)
            let outcome = try VisitRows.insert(submission, atMillis: millis, in: db, rollups: &rollups, cases: casePolicy)
            try rollups.flush(in: db)
            return outcome
        }
    }

    public func response(clientID: String) throws -> StoredResponse? {
        try pool.read { db in try ResponseRows.fetch(clientID: clientID, in: db) }
    }

    public func response(id: Int64) throws -> StoredResponse? {
        try pool.read { db in try ResponseRows.fetch(id: id, in: db) }
    }

    /// Throws unless the database answers a trivial query; for health checks.
    public func ping() throws {
        _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// How many responses are stored, whatever their status.
    public func responseCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM response") ?? 0 }
    }

    /// A group-commit writer over this store's database; see `ResponseWriter`. The
    /// observer, if any, is told what each batch did.
    public func makeWriter(maxBatch: Int = 512, observer: (any ResponseWriterObserver)? = nil) -> ResponseWriter {
        ResponseWriter(pool: pool, timeZone: timeZone, casePolicy: liveCasePolicy, maxBatch: maxBatch, observer: observer)
    }
}

/// The case policy a store and its writer share, replaced as a whole when an administrator
/// changes the calendar: a batch reads it once and sees the old calendar or the new one.
final class LiveCasePolicy: Sendable {
    private let state: Mutex<CasePolicy>

    init(_ policy: CasePolicy) {
        state = Mutex(policy)
    }

    var current: CasePolicy { state.withLock { $0 } }

    func replace(with policy: CasePolicy) {
        state.withLock { $0 = policy }
    }
}
