/// The center's working days: Monday to Friday, except public holidays, plus the weekend
/// days made working days (调休) to bridge a holiday.
///
/// Holidays and make-up days come from data files an operator adds each year
/// (`deploy/calendar/cn-YYYY.json`); years without a file count weekends only.
public struct WorkingCalendar: Sendable, Equatable {
    /// Public holidays that fall on what would be a working day, or any day off.
    public private(set) var holidays: Set<LocalDay>
    /// Weekend days that are working days (调休).
    public private(set) var makeUpWorkingDays: Set<LocalDay>
    /// The years the calendar has official data for.
    public private(set) var years: Set<Int>

    /// Weekends only, no holidays.
    public static let weekendsOnly = WorkingCalendar(holidays: [], makeUpWorkingDays: [], years: [])

    public init(holidays: Set<LocalDay>, makeUpWorkingDays: Set<LocalDay>, years: Set<Int>) {
        self.holidays = holidays
        self.makeUpWorkingDays = makeUpWorkingDays
        self.years = years
    }

    /// One year of official data: the holidays and make-up working days of `year`.
    public struct Year: Sendable, Equatable {
        public var year: Int
        public var holidays: [LocalDay]
        public var makeUpWorkingDays: [LocalDay]

        public init(year: Int, holidays: [LocalDay], makeUpWorkingDays: [LocalDay]) {
            self.year = year
            self.holidays = holidays
            self.makeUpWorkingDays = makeUpWorkingDays
        }
    }

    /// Why a year's data was refused.
    public enum DataError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A day of the file is not in the file's year.
        case dayOutsideYear(LocalDay, year: Int)
        /// A day is both a holiday and a working day.
        case dayListedTwice(LocalDay)
        /// A make-up working day must be a Saturday or Sunday.
        case makeUpDayNotOnWeekend(LocalDay)
        /// Two files for the same year.
        case yearListedTwice(Int)

        public var description: String {
            switch self {
            case .dayOutsideYear(let day, let year): "\(day) is not in \(year)"
            case .dayListedTwice(let day): "\(day) is listed twice"
            case .makeUpDayNotOnWeekend(let day): "\(day) is a make-up working day but not a Saturday or Sunday"
            case .yearListedTwice(let year): "\(year) is given twice"
            }
        }
    }

    /// The calendar with `year`'s data added, after checking it.
    public func adding(_ year: Year) throws(DataError) -> WorkingCalendar {
        guard !years.contains(year.year) else { throw .yearListedTwice(year.year) }
        var seen = Set<LocalDay>()
        for day in year.holidays + year.makeUpWorkingDays {
            guard day.date.year == year.year else { throw .dayOutsideYear(day, year: year.year) }
            guard seen.insert(day).inserted else { throw .dayListedTwice(day) }
        }
        for day in year.makeUpWorkingDays where !day.isWeekend {
            throw .makeUpDayNotOnWeekend(day)
        }
        var result = self
        result.holidays.formUnion(year.holidays)
        result.makeUpWorkingDays.formUnion(year.makeUpWorkingDays)
        result.years.insert(year.year)
        return result
    }

    /// Whether staff work on `day`.
    public func isWorkingDay(_ day: LocalDay) -> Bool {
        if makeUpWorkingDays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return !day.isWeekend
    }

    /// The `count`-th working day after `day` (`day` itself not counted); `day` when
    /// `count` is 0 or less.
    public func adding(workingDays count: Int, after day: LocalDay) -> LocalDay {
        var current = day
        var left = count
        while left > 0 {
            current = current.advanced(by: 1)
            if isWorkingDay(current) { left -= 1 }
        }
        return current
    }

    /// The working days after `start` up to and including `end`: 0 when `end` is not
    /// after `start`. A case opened on a Friday and rectified the next Monday took 1.
    public func workingDays(after start: LocalDay, through end: LocalDay) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start.advanced(by: 1)
        while day <= end {
            if isWorkingDay(day) { count += 1 }
            day = day.advanced(by: 1)
        }
        return count
    }
}

extension LocalDay {
    /// The day of the week, 0 for Sunday to 6 for Saturday (1970-01-01 was a Thursday).
    public var weekday: Int {
        let value = (daysSinceEpoch + 4) % 7
        return Int(value < 0 ? value + 7 : value)
    }

    /// Whether the day is a Saturday or a Sunday.
    public var isWeekend: Bool { weekday == 0 || weekday == 6 }
}
