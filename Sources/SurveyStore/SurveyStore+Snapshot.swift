import Foundation
import GRDB
import SurveyCore

/// The database at one moment, for reads that must agree with each other: a report's
/// departments, breakdown and trend, or a 复核's publication and recomputed tallies.
///
/// Valid only inside the `SurveyStore.snapshot` call that made it; it reads in that call's
/// single read transaction, so responses committed meanwhile show up in none of its reads.
public struct TallySnapshot {
    let db: Database
    let timeZone: TimeZone

    /// `SurveyStore.tallies(_:by:counting:)`, at the snapshot's moment.
    public func tallies(
        _ period: Period, by grouping: TallyGrouping, counting provenances: Set<Provenance> = Set(Provenance.allCases)
    ) throws -> [TallyGroup: ResponseTally] {
        try provenanceTallies(period, by: grouping).compactMapValues { Self.counted($0, provenances) }
    }

    /// `SurveyStore.provenanceTallies(_:by:)`, at the snapshot's moment.
    public func provenanceTallies(_ period: Period, by grouping: TallyGrouping) throws -> [TallyGroup: ProvenanceTally] {
        try SurveyStore.tallies(period, by: grouping, from: .rollups, timeZone: timeZone, in: db)
    }

    /// `SurveyStore.trendTallies(_:by:)`, at the snapshot's moment.
    public func trendTallies(_ periods: [Period], by grouping: TallyGrouping) throws -> [[TallyGroup: ResponseTally]] {
        try periods.map { try tallies($0, by: grouping) }
    }

    /// `provenanceTallies(_:by:)` for each of `periods`, in the same order.
    public func trendProvenanceTallies(_ periods: [Period], by grouping: TallyGrouping) throws -> [[TallyGroup: ProvenanceTally]] {
        try periods.map { try provenanceTallies($0, by: grouping) }
    }

    /// `SurveyStore.recomputedTallies(_:by:storedAtOrBefore:counting:)`, at the snapshot's moment.
    public func recomputedTallies(
        _ period: Period, by grouping: TallyGrouping, storedAtOrBefore cutoff: Int64?,
        counting provenances: Set<Provenance> = Set(Provenance.allCases)
    ) throws -> [TallyGroup: ResponseTally] {
        try SurveyStore.tallies(period, by: grouping, from: .responses(storedAtOrBefore: cutoff), timeZone: timeZone, in: db)
            .compactMapValues { Self.counted($0, provenances) }
    }

    /// The counted tally, or nil when it counts nothing (groups without counted responses
    /// are left out, as they always were).
    private static func counted(_ tally: ProvenanceTally, _ provenances: Set<Provenance>) -> ResponseTally? {
        let counted = tally.counted(provenances)
        return counted.responses == 0 ? nil : counted
    }

    /// `SurveyStore.publication(period:)`, at the snapshot's moment.
    public func publication(period: Period) throws -> Publication? {
        try SurveyStore.publication(period: period, in: db)
    }
}

extension SurveyStore {
    /// Runs `body` with the database as it is now, in one read transaction: every read it
    /// makes through the snapshot sees the same moment, whatever is committed meanwhile.
    public func snapshot<T>(_ body: (TallySnapshot) throws -> T) throws -> T {
        try pool.read { db in try body(TallySnapshot(db: db, timeZone: timeZone)) }
    }
}
