import Foundation
import SurveyCore
import SurveyStore
@testable import SurveyWeb
import Synchronization
import Testing

/// One report is read at one moment: responses stored while it is being read show up in
/// none of its parts rather than in some.
@Suite struct ReportSnapshotTests {
    /// Counts the responses stored behind the report's back.
    final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }

    @Test(arguments: [IndicatorQuery.Breakdown.window, .staff, .item])
    func departmentsBreakdownAndTrendAgreeWhileResponsesArrive(by: IndicatorQuery.Breakdown) throws {
        let center = try TestCenter()
        let store = center.store
        let directory = try store.directory()
        let w01 = try #require(directory.window(code: "W01"))
        let scjg = try #require(directory.department(id: w01.departmentID))
        let july = Int64(1_783_000_000_000) // 2026-07-02, inside Q3
        @Sendable func submission(_ id: String) -> ValidatedSubmission {
            ValidatedSubmission(
                window: w01, department: scjg, ratings: Ratings(attitude: .satisfied, efficiency: .satisfied, result: .satisfied),
                comment: nil, reasons: [], channel: .kiosk, clientID: id, serviceItem: nil, staff: nil, provenance: .device
            )
        }
        _ = try store.importResponses((0..<10).map { (submission("before-\($0)"), july + Int64($0)) })

        var reports = center.application.web.reports
        let stored = Counter()
        // Between two of the report's reads, another connection commits a Q3 response.
        reports.betweenReads = {
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                let serial = stored.next()
                _ = try? store.importResponses([(submission("during-\(serial)"), july + 1_000 + Int64(serial))])
                done.signal()
            }
            done.wait()
        }
        let computed = try reports.compute(IndicatorQuery(period: try Period(parsing: "2026-Q3"), departmentCode: "SCJG", breakdown: by, trend: 2))
        #expect(stored.next() > 1, "the report made more than one read")
        let department = try #require(computed.departments.first)
        let breakdown = try #require(computed.breakdown).map(\.indicator.tally.responses).reduce(0, +)
        let trend = try #require(computed.trend?.last).entry.indicator.tally.responses
        #expect(department.indicator.tally.responses == 10)
        #expect(breakdown == department.indicator.tally.responses)
        #expect(trend == department.indicator.tally.responses)
        #expect(computed.center.indicator.tally.responses == department.indicator.tally.responses)
    }

    @Test func aRecheckComparesTheCenterAndItsDepartmentsAtOneMoment() throws {
        let fixture = try IndicatorsAPITests.fixture()
        let store = fixture.center.store
        let directory = try store.directory()
        let w01 = try #require(directory.window(code: "W01"))
        let scjg = try #require(directory.department(id: w01.departmentID))
        let q3 = try Period(parsing: "2026-Q3")
        var reports = fixture.center.application.web.reports
        _ = try reports.publish(q3)
        let stored = Counter()
        // A response dated inside Q3 (as an import would be) lands between the department
        // and center reads of the 复核.
        reports.betweenReads = {
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                let submission = ValidatedSubmission(
                    window: w01, department: scjg, ratings: Ratings(attitude: .satisfied, efficiency: .satisfied, result: .satisfied),
                    comment: nil, reasons: [], channel: .kiosk, clientID: "during-\(stored.next())", serviceItem: nil, staff: nil, provenance: .device
                )
                _ = try? store.importResponses([(submission, IndicatorsAPITests.lastSecondOfQ3 - 1_000)])
                done.signal()
            }
            done.wait()
        }
        let recheck = try #require(try reports.recheck(q3))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(recheck.serialized())) as? [String: Any])
        #expect(json["matches"] as? Bool == true, "\(json["differences"] ?? "")")
    }
}
