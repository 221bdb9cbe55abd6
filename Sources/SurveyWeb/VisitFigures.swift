import Foundation
import SurveyCore
import SurveyStore

/// The visit indicators (主动评价率, 每日服务人数, 平均办理时间) as the indicator reports write
/// them: members of an entry in JSON (`visits`, `rated_visits`, `response_rate`,
/// `people_served_per_day`, `mean_handling_minutes`) only where the entry has visits, and
/// the last columns of the CSV, empty where it has none.
///
/// They are always live, also for a published period, and read straight from the visit
/// table (not the response rollups).
enum VisitFigures {
    static let centerKey = "center"

    static func departmentKey(_ code: String) -> String { "department:\(code)" }
    static func breakdownKey(_ by: IndicatorQuery.Breakdown, _ code: String) -> String { "\(by.rawValue):\(code)" }

    /// The facts of the query's period: the center, every department, and the breakdown's
    /// windows or staff (items have no visits of their own: a visit's item is optional).
    static func compute(store: SurveyStore, directory: Directory, query: IndicatorQuery, department: Department?) throws -> [String: VisitFacts] {
        var figures: [String: VisitFacts] = [:]
        if let center = try store.visitFacts(query.period, by: .center)[.center] { figures[centerKey] = center }
        for (group, facts) in try store.visitFacts(query.period, by: .department) {
            if case .department(let id) = group, let code = directory.department(id: id)?.code { figures[departmentKey(code)] = facts }
        }
        switch query.breakdown {
        case .window?:
            for (group, facts) in try store.visitFacts(query.period, by: .window(departmentID: department?.id)) {
                if case .window(let id) = group, let window = directory.windows.first(where: { $0.id == id }) {
                    figures[breakdownKey(.window, window.code)] = facts
                }
            }
        case .staff?:
            guard let department else { break }
            for (group, facts) in try store.visitFacts(query.period, by: .staff(departmentID: department.id)) {
                guard case .staff(let id) = group else { continue }
                let code = id.flatMap { id in directory.staff.first { $0.id == id }?.code } ?? ""
                figures[breakdownKey(.staff, code)] = facts
            }
        case .item?, nil:
            break
        }
        return figures
    }

    /// `entry` with the visit members added, when there were visits.
    static func adding(_ facts: VisitFacts?, to entry: JSON) -> JSON {
        guard let facts, facts.visits > 0, case .object(var members) = entry else { return entry }
        let indicators = VisitIndicators(facts)
        members.append(("visits", .int(facts.visits)))
        members.append(("rated_visits", .int(facts.ratedVisits)))
        members.append(("response_rate", indicators.responseRate.map(JSON.double) ?? .null))
        members.append(("people_served_per_day", indicators.peopleServedPerDay.map(JSON.double) ?? .null))
        members.append(("mean_handling_minutes", indicators.meanHandlingMinutes.map(JSON.double) ?? .null))
        return .object(members)
    }

    static let csvHeader = ["visits", "rated_visits", "response_rate", "people_served_per_day", "mean_handling_minutes"]

    static func csvColumns(_ facts: VisitFacts?) -> [String] {
        guard let facts, facts.visits > 0 else { return Array(repeating: "", count: csvHeader.count) }
        let indicators = VisitIndicators(facts)
        return [
            String(facts.visits), String(facts.ratedVisits), indicators.responseRate.map { String($0) } ?? "",
            indicators.peopleServedPerDay.map { String($0) } ?? "", indicators.meanHandlingMinutes.map { String($0) } ?? "",
        ]
    }
}
