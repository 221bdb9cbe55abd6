extension Period {
    /// The length of calendar period that contains a given day, for "this month" and the like.
    public enum Granularity: String, Sendable, CaseIterable {
        case month
        case quarter
        case half
        case year
    }

    /// The month, quarter, half year or year that contains `day`, or nil when the day's
    /// year is outside 0001–9999.
    public static func containing(_ day: LocalDay, granularity: Granularity) -> Period? {
        let (year, month, _) = day.date
        return try? {
            switch granularity {
            case .month: try Period.month(year: year, month: month)
            case .quarter: try Period.quarter(year: year, quarter: (month + 2) / 3)
            case .half: try Period.half(year: year, half: (month + 5) / 6)
            case .year: try Period.year(year)
            }
        }()
    }

    /// The period just before this one, of the same kind: the previous month, quarter,
    /// half or year (across year ends), or for a range of days the equally long range
    /// ending the day before it. Nil only before year 0001.
    public var previous: Period? {
        switch kind {
        case .month(let year, let month):
            month == 1 ? try? .month(year: year - 1, month: 12) : try? .month(year: year, month: month - 1)
        case .quarter(let year, let quarter):
            quarter == 1 ? try? .quarter(year: year - 1, quarter: 4) : try? .quarter(year: year, quarter: quarter - 1)
        case .half(let year, let half):
            half == 1 ? try? .half(year: year - 1, half: 2) : try? .half(year: year, half: 1)
        case .year(let year):
            try? .year(year - 1)
        case .days:
            try? .days(from: firstDay.advanced(by: -dayCount), through: firstDay.advanced(by: -1))
        }
    }

    /// The `count` periods ending with this one, oldest first, for a trend chart:
    /// `2026-Q1`.`trend(count: 3)` is 2025-Q3, 2025-Q4, 2026-Q1. Fewer when the calendar
    /// runs out before year 0001; empty when `count` is zero or less.
    public func trend(count: Int) -> [Period] {
        guard count > 0 else { return [] }
        var periods = [self]
        while periods.count < count, let earlier = periods.last?.previous {
            periods.append(earlier)
        }
        return periods.reversed()
    }
}
