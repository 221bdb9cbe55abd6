import Foundation
import GRDB
import SurveyCore

/// The rollup changes of the responses inserted in one transaction, summed by key and
/// written once per key just before the transaction commits.
///
/// A group commit of hundreds of responses from a few windows on one day touches a few
/// dozen rollup rows; writing each of them once, instead of once per response, keeps
/// the rollups from dominating the cost of a durable insert. The sums go into the
/// detail-day table, whose triggers carry them to the coarser tables, exactly as a
/// single insert would.
struct RollupBatch {
    private struct Key: Hashable {
        var departmentID: Int64
        var localDay: Int64
        var windowID: Int64
        var staffID: Int64
        var itemID: Int64
        var provenance: Provenance
    }

    let timeZone: TimeZone
    private var sums: [Key: RollupCounts] = [:]

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The local day of an instant in the store's zone, as `pingjia_local_day` gives it.
    func localDay(ofMillis millis: Int64) -> Int64 {
        LocalDay(instantMillis: millis, in: timeZone).daysSinceEpoch
    }

    /// Counts one valid response that was just inserted (a suspect one is not counted).
    mutating func add(_ submission: ValidatedSubmission, localDay: Int64) {
        let key = Key(
            departmentID: submission.department.id, localDay: localDay, windowID: submission.window.id,
            staffID: submission.staff?.id ?? 0, itemID: submission.serviceItem?.id ?? 0,
            provenance: submission.provenance
        )
        var attitude = LevelCounts.zero, efficiency = LevelCounts.zero, result = LevelCounts.zero
        attitude.add(submission.ratings.attitude)
        efficiency.add(submission.ratings.efficiency)
        result.add(submission.ratings.result)
        sums[key, default: .zero] += RollupCounts(
            responses: 1, negative: submission.ratings.isNegative ? 1 : 0,
            attitude: attitude, efficiency: efficiency, result: result
        )
    }

    private static let upsertSQL: String = {
        let columns = Rollups.detailDayKey + Rollups.countColumns
        let updates = Rollups.countColumns.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO rollup_detail_day (\(columns.joined(separator: ", ")))
            VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (\(Rollups.detailDayKey.joined(separator: ", "))) DO UPDATE SET \(updates)
            """
    }()

    /// Writes the sums in the caller's transaction and starts empty again.
    mutating func flush(in db: Database) throws {
        guard !sums.isEmpty else { return }
        let statement = try db.cachedStatement(sql: Self.upsertSQL)
        for (key, counts) in sums {
            var values: [any DatabaseValueConvertible] = [
                key.departmentID, key.localDay, key.windowID, key.staffID, key.itemID, key.provenance.rawValue,
            ]
            values += counts.columns.map(\.value)
            try statement.execute(arguments: StatementArguments(values))
        }
        sums.removeAll(keepingCapacity: true)
    }
}
