/// What the store counts of the visits (办件) of one group over a period: the raw facts
/// the visit indicators are computed from.
public struct VisitFacts: Sendable, Equatable {
    /// Visits created in the period, rated or not, open ones included.
    public var visits: Int64
    /// Of those, the visits a rating is bound to.
    public var ratedVisits: Int64
    /// The distinct local days of the period on which the group had visits.
    public var daysWithVisits: Int64
    /// Visits that carry both `started_at` and `ended_at`, with the end not before the start.
    public var timedVisits: Int64
    /// The sum of their handling times, in milliseconds.
    public var handlingMillis: Int64

    public init(visits: Int64, ratedVisits: Int64, daysWithVisits: Int64, timedVisits: Int64, handlingMillis: Int64) {
        self.visits = visits
        self.ratedVisits = ratedVisits
        self.daysWithVisits = daysWithVisits
        self.timedVisits = timedVisits
        self.handlingMillis = handlingMillis
    }

    public static let zero = VisitFacts(visits: 0, ratedVisits: 0, daysWithVisits: 0, timedVisits: 0, handlingMillis: 0)
}

/// The visit indicators of the center's assessment rules, for one group and period:
/// 主动评价率 (response rate), 每日服务人数 (people served per day) and 平均办理时间 (mean
/// handling time).
///
/// - `responseRate`: rated visits over all visits of the period, open ones included, so a
///   visit still waiting for its rating lowers the rate until it is rated.
/// - `peopleServedPerDay`: visits over the days of the period on which the group had any
///   visit; a day a window was closed does not dilute the figure.
/// - `meanHandlingMinutes`: the mean of `ended_at − started_at` over the visits that carry
///   both times.
public struct VisitIndicators: Sendable, Equatable {
    public var facts: VisitFacts

    public init(_ facts: VisitFacts) {
        self.facts = facts
    }

    public var responseRate: Double? {
        facts.visits > 0 ? Double(facts.ratedVisits) / Double(facts.visits) : nil
    }

    public var peopleServedPerDay: Double? {
        facts.daysWithVisits > 0 ? Double(facts.visits) / Double(facts.daysWithVisits) : nil
    }

    public var meanHandlingMinutes: Double? {
        facts.timedVisits > 0 ? Double(facts.handlingMillis) / Double(facts.timedVisits) / 60_000 : nil
    }
}
