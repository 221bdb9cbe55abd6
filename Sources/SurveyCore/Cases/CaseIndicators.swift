/// What the case indicators need to know about one case.
public struct CaseFacts: Sendable, Equatable {
    public var departmentCode: String
    public var openedDay: LocalDay
    public var deadline: LocalDay
    public var state: CaseStateName
    /// Closed because an appeal was upheld: the rating was ruled invalid or malicious, so
    /// there was nothing to put right and no one to call back.
    public var closedByAppeal: Bool
    /// The center-local day it was rectified, if it was.
    public var rectifiedDay: LocalDay?
    public var callback: CallbackResult?

    public init(
        departmentCode: String, openedDay: LocalDay, deadline: LocalDay, state: CaseStateName,
        closedByAppeal: Bool = false, rectifiedDay: LocalDay? = nil, callback: CallbackResult? = nil
    ) {
        self.departmentCode = departmentCode
        self.openedDay = openedDay
        self.deadline = deadline
        self.state = state
        self.closedByAppeal = closedByAppeal
        self.rectifiedDay = rectifiedDay
        self.callback = callback
    }
}

/// The 差评 follow-up figures of one department (or the center) over one period.
///
/// - 整改率 (`rectificationRate`): of the cases opened in the period, those rectified or
///   closed (an upheld appeal closes a case too).
/// - 按期整改率 (`onTimeRate`): of the cases due in the period (deadline inside it) that
///   needed rectifying (not closed by an upheld appeal), those rectified on or before
///   their deadline.
/// - 回访率 (`callbackRate`): of the cases opened in the period that need a callback (all
///   but those closed by an upheld appeal), those whose callback reached the citizen
///   (满意, 基本满意 or 不满意; `unreachable` does not count).
/// - `meanWorkingDaysToRectify`: over the cases opened in the period and rectified, the
///   mean of the working days from the opening day to the rectification day.
///
/// A rate with an empty denominator is nil, not zero: nothing was due.
public struct CaseIndicators: Sendable, Equatable {
    public var opened: Int
    public var rectifiedOrClosed: Int
    public var due: Int
    public var rectifiedOnTime: Int
    public var needingCallback: Int
    public var callbacksMade: Int
    public var rectified: Int
    public var workingDaysToRectify: Int

    public var rectificationRate: Rate? { Self.rate(rectifiedOrClosed, opened) }
    public var onTimeRate: Rate? { Self.rate(rectifiedOnTime, due) }
    public var callbackRate: Rate? { Self.rate(callbacksMade, needingCallback) }
    /// Working days, as a fraction `workingDaysToRectify / rectified`.
    public var meanWorkingDaysToRectify: Double? {
        rectified == 0 ? nil : Double(workingDaysToRectify) / Double(rectified)
    }

    /// A pair of counts; the rate is `part / whole`.
    public struct Rate: Sendable, Equatable {
        public var part: Int
        public var whole: Int
        public var value: Double { Double(part) / Double(whole) }
    }

    static func rate(_ part: Int, _ whole: Int) -> Rate? {
        whole == 0 ? nil : Rate(part: part, whole: whole)
    }

    public static let zero = CaseIndicators(
        opened: 0, rectifiedOrClosed: 0, due: 0, rectifiedOnTime: 0, needingCallback: 0, callbacksMade: 0,
        rectified: 0, workingDaysToRectify: 0
    )

    /// The figures of `period` over `facts` (cases opened or due in it), on `calendar`.
    public static func compute(_ facts: [CaseFacts], period: Period, calendar: WorkingCalendar) -> CaseIndicators {
        var result = CaseIndicators.zero
        for fact in facts {
            if period.contains(fact.openedDay) {
                result.opened += 1
                if fact.state == .rectified || fact.state == .closed { result.rectifiedOrClosed += 1 }
                if !fact.closedByAppeal {
                    result.needingCallback += 1
                    if fact.callback?.reached == true { result.callbacksMade += 1 }
                }
                if let day = fact.rectifiedDay {
                    result.rectified += 1
                    result.workingDaysToRectify += calendar.workingDays(after: fact.openedDay, through: day)
                }
            }
            if period.contains(fact.deadline), !fact.closedByAppeal {
                result.due += 1
                if let day = fact.rectifiedDay, day <= fact.deadline { result.rectifiedOnTime += 1 }
            }
        }
        return result
    }

    /// The figures per department code, for every department that has a case in `facts`.
    public static func byDepartment(_ facts: [CaseFacts], period: Period, calendar: WorkingCalendar) -> [String: CaseIndicators] {
        Dictionary(grouping: facts, by: \.departmentCode).mapValues { compute($0, period: period, calendar: calendar) }
    }
}
