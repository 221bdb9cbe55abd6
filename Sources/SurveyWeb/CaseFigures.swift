import Foundation
import SurveyCore
import SurveyStore

/// The 差评 case indicators (整改率, 按期整改率, 回访率, mean working days to rectify) as the
/// indicator reports write them: a `cases` member of the center and each department in
/// JSON, the last columns of the CSV, and columns of the terminal table.
///
/// They are always live, also for a published period: a case goes on after its period.
enum CaseFigures {
    /// The key of the center's figures among the departments' codes.
    static let centerKey = ""

    /// The figures of `period`, by department code and for the whole center, as the
    /// report's center entry is center-wide also when it shows one department.
    static func compute(store: SurveyStore, period: Period) throws -> [String: CaseIndicators] {
        let facts = try store.caseFacts(period: period)
        let calendar = store.casePolicy.calendar
        var figures = CaseIndicators.byDepartment(facts, period: period, calendar: calendar)
        figures[centerKey] = CaseIndicators.compute(facts, period: period, calendar: calendar)
        return figures
    }

    /// `entry` with a `cases` member added.
    static func adding(_ figures: CaseIndicators?, to entry: JSON) -> JSON {
        guard case .object(var members) = entry else { return entry }
        members.append(("cases", json(figures ?? .zero)))
        return .object(members)
    }

    static func json(_ figures: CaseIndicators) -> JSON {
        func rate(_ rate: CaseIndicators.Rate?) -> JSON { rate.map { .double($0.value) } ?? .null }
        return .object([
            ("opened", .int(figures.opened)),
            ("rectified_or_closed", .int(figures.rectifiedOrClosed)),
            ("rectification_rate", rate(figures.rectificationRate)),
            ("due", .int(figures.due)),
            ("rectified_on_time", .int(figures.rectifiedOnTime)),
            ("on_time_rate", rate(figures.onTimeRate)),
            ("needing_callback", .int(figures.needingCallback)),
            ("callbacks_made", .int(figures.callbacksMade)),
            ("callback_rate", rate(figures.callbackRate)),
            ("rectified", .int(figures.rectified)),
            ("mean_working_days_to_rectify", figures.meanWorkingDaysToRectify.map(JSON.double) ?? .null),
        ])
    }

    static let csvHeader = [
        "case_opened", "case_rectified_or_closed", "case_rectification_rate", "case_due", "case_rectified_on_time",
        "case_on_time_rate", "case_needing_callback", "case_callbacks_made", "case_callback_rate", "case_rectified",
        "case_mean_working_days_to_rectify",
    ]

    /// The CSV columns of `figures`; empty columns for rows without case figures.
    static func csvColumns(_ figures: CaseIndicators?) -> [String] {
        guard let figures else { return Array(repeating: "", count: csvHeader.count) }
        func rate(_ rate: CaseIndicators.Rate?) -> String { rate.map { String($0.value) } ?? "" }
        return [
            String(figures.opened), String(figures.rectifiedOrClosed), rate(figures.rectificationRate),
            String(figures.due), String(figures.rectifiedOnTime), rate(figures.onTimeRate),
            String(figures.needingCallback), String(figures.callbacksMade), rate(figures.callbackRate),
            String(figures.rectified), figures.meanWorkingDaysToRectify.map { String($0) } ?? "",
        ]
    }

    static let tableHeader = "差评案件\t整改率\t按期整改率\t回访率\t平均整改工作日"

    static func tableColumns(_ figures: CaseIndicators) -> String {
        func percent(_ rate: CaseIndicators.Rate?) -> String {
            rate.map { "\($0.part)/\($0.whole) " + String(format: "%.1f%%", $0.value * 100) } ?? "-"
        }
        return [
            String(figures.opened), percent(figures.rectificationRate), percent(figures.onTimeRate),
            percent(figures.callbackRate), figures.meanWorkingDaysToRectify.map { String(format: "%.1f", $0) } ?? "-",
        ].joined(separator: "\t")
    }
}
