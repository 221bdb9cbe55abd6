/// A 差评 case: opened with its negative response, put right, called back and closed.
public struct CaseFile: Sendable, Equatable {
    public var id: Int64
    /// The negative response the case is about; one case per response.
    public var responseID: Int64
    /// The department the response was given to, by code: what scopes see the case.
    public var departmentCode: String
    public var state: CaseState
    /// The reviewer handling the case, by username.
    public var assignee: String?
    /// When the response was stored, in milliseconds since the epoch.
    public var openedAtMillis: Int64
    /// The center-local day the case opened: where its deadline is counted from.
    public var openedDay: LocalDay
    /// The last working day on which rectifying is on time.
    public var deadline: LocalDay
    /// Working days granted by approved extensions.
    public var extensionDays: Int
    /// Callback attempts recorded with notes; `unreachable` needs at least one.
    public var callbackAttempts: Int
    public var rectifiedAtMillis: Int64?
    public var closedAtMillis: Int64?

    public init(
        id: Int64, responseID: Int64, departmentCode: String, state: CaseState, assignee: String? = nil,
        openedAtMillis: Int64, openedDay: LocalDay, deadline: LocalDay, extensionDays: Int = 0,
        callbackAttempts: Int = 0, rectifiedAtMillis: Int64? = nil, closedAtMillis: Int64? = nil
    ) {
        self.id = id
        self.responseID = responseID
        self.departmentCode = departmentCode
        self.state = state
        self.assignee = assignee
        self.openedAtMillis = openedAtMillis
        self.openedDay = openedDay
        self.deadline = deadline
        self.extensionDays = extensionDays
        self.callbackAttempts = callbackAttempts
        self.rectifiedAtMillis = rectifiedAtMillis
        self.closedAtMillis = closedAtMillis
    }

    /// Whether the case is still open on `today`, past its deadline.
    public func isOverdue(on today: LocalDay) -> Bool {
        state.isOpen && today > deadline
    }
}

/// How deadlines are counted: so many working days after the day a case opened, on a
/// calendar of the center's working days.
public struct CasePolicy: Sendable {
    /// Working days to rectify, 15 by default (`cases.deadline_working_days`).
    public var deadlineWorkingDays: Int
    public var calendar: WorkingCalendar

    /// The longest extension one request may ask for, in working days.
    public static let extensionDays = 1...30

    public init(deadlineWorkingDays: Int = 15, calendar: WorkingCalendar = .weekendsOnly) {
        self.deadlineWorkingDays = deadlineWorkingDays
        self.calendar = calendar
    }

    /// The deadline of a case opened on `openedDay` with `extensionDays` granted.
    public func deadline(openedOn openedDay: LocalDay, extensionDays: Int = 0) -> LocalDay {
        calendar.adding(workingDays: deadlineWorkingDays + extensionDays, after: openedDay)
    }
}
