extension WorkingCalendar {
    /// What the calendar says of one day beyond its weekday: a public holiday, a make-up
    /// working day (调休), or nothing special.
    public enum DayKind: String, Sendable, CaseIterable {
        case holiday
        case workingDay = "working_day"
        /// Neither: a weekday works, a weekend day does not.
        case ordinary
    }

    /// What the calendar lists for `day`.
    public func listedKind(of day: LocalDay) -> DayKind {
        if makeUpWorkingDays.contains(day) { return .workingDay }
        if holidays.contains(day) { return .holiday }
        return .ordinary
    }

    /// The calendar with an administrator's changes laid over the shipped files: each day
    /// becomes what `overrides` says, and its year counts as having data. Throws
    /// `makeUpDayNotOnWeekend` for a make-up working day on a weekday (a weekday works anyway).
    public func overriding(_ overrides: [LocalDay: DayKind]) throws(DataError) -> WorkingCalendar {
        var (holidays, workingDays, years) = (self.holidays, makeUpWorkingDays, self.years)
        for (day, kind) in overrides.sorted(by: { $0.key < $1.key }) {
            holidays.remove(day)
            workingDays.remove(day)
            switch kind {
            case .holiday:
                holidays.insert(day)
            case .workingDay:
                guard day.isWeekend else { throw .makeUpDayNotOnWeekend(day) }
                workingDays.insert(day)
            case .ordinary:
                break
            }
            if kind != .ordinary { years.insert(day.date.year) }
        }
        return WorkingCalendar(holidays: holidays, makeUpWorkingDays: workingDays, years: years)
    }

    /// The holidays and make-up working days of `year`, in date order.
    public func listedDays(in year: Int) -> [(day: LocalDay, kind: DayKind)] {
        let holidays = self.holidays.filter { $0.date.year == year }.map { ($0, DayKind.holiday) }
        let working = makeUpWorkingDays.filter { $0.date.year == year }.map { ($0, DayKind.workingDay) }
        return (holidays + working).sorted { $0.0 < $1.0 }.map { (day: $0.0, kind: $0.1) }
    }
}
