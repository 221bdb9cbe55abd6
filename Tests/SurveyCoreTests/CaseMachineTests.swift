import Testing
@testable import SurveyCore

/// The 差评 case workflow, driven without a database: every (state, action) pair, every
/// role against every action, and the rules each action carries.
struct CaseMachineTests {
    static let appeal = Appeal(ruling: .malicious, reason: "与办事无关", requestedBy: "head1")
    static let request = ExtensionRequest(days: 5, reason: "需要外部材料", requestedBy: "head1")
    static let callback = Callback(result: .satisfied, note: "已回访")

    /// Every shape a case can be in, named for the test report.
    static let states: [(String, CaseState)] = [
        ("new", .new(pending: nil)),
        ("new+appeal", .new(pending: .appeal(appeal))),
        ("new+extension", .new(pending: .extension(request))),
        ("in_progress", .inProgress(pending: nil)),
        ("in_progress+appeal", .inProgress(pending: .appeal(appeal))),
        ("in_progress+extension", .inProgress(pending: .extension(request))),
        ("rectified", .rectified(callback)),
        ("closed", .closed(.rectified(callback))),
        ("closed-upheld", .closed(.appealUpheld(appeal))),
    ]

    /// One well-formed instance of every action.
    static let actions: [CaseAction] = [
        .start(note: nil), .rectify(callback: .basicallySatisfied, note: "已整改并回访"), .close(note: nil),
        .assign(assignee: "rev1", note: nil), .note("电话未接通", callbackAttempt: false),
        .appeal(ruling: .invalid, reason: "误按"), .approveAppeal(note: nil), .rejectAppeal(note: nil),
        .requestExtension(days: 3, reason: "等待材料"), .approveExtension(note: nil), .rejectExtension(note: nil),
    ]

    /// The table of legal moves, written out by hand: state name → action → state after.
    static let legal: [String: [CaseActionName: String]] = [
        "new": [.start: "in_progress", .assign: "new", .note: "new", .appeal: "new+appeal", .requestExtension: "new+extension"],
        "new+appeal": [.assign: "new+appeal", .note: "new+appeal", .approveAppeal: "closed-upheld", .rejectAppeal: "new"],
        "new+extension": [.start: "in_progress+extension", .assign: "new+extension", .note: "new+extension",
                          .approveExtension: "new", .rejectExtension: "new"],
        "in_progress": [.rectify: "rectified", .assign: "in_progress", .note: "in_progress", .appeal: "in_progress+appeal",
                        .requestExtension: "in_progress+extension"],
        "in_progress+appeal": [.assign: "in_progress+appeal", .note: "in_progress+appeal", .approveAppeal: "closed-upheld",
                               .rejectAppeal: "in_progress"],
        "in_progress+extension": [.rectify: "rectified", .assign: "in_progress+extension", .note: "in_progress+extension",
                                  .approveExtension: "in_progress", .rejectExtension: "in_progress"],
        "rectified": [.close: "closed", .note: "rectified"],
        "closed": [.note: "closed"],
        "closed-upheld": [.note: "closed-upheld"],
    ]

    static let pairs: [(String, CaseAction)] = states.flatMap { state in actions.map { (state.0, $0) } }

    static let admin = Principal(kind: .staff(username: "admin1", role: .admin), departments: .all)
    static let policy = CasePolicy(deadlineWorkingDays: 15, calendar: .weekendsOnly)
    static let opened = LocalDay(year: 2026, month: 11, day: 2)!  // a Monday

    static func file(_ state: CaseState, assignee: String? = "rev1", attempts: Int = 0) -> CaseFile {
        CaseFile(
            id: 1, responseID: 10, departmentCode: "SPK", state: state, assignee: assignee,
            openedAtMillis: 0, openedDay: opened, deadline: policy.deadline(openedOn: opened), callbackAttempts: attempts
        )
    }

    static func stateNamed(_ name: String) -> CaseState { states.first { $0.0 == name }!.1 }

    /// The test's own name for a state, to compare with the table.
    static func shape(_ state: CaseState) -> String {
        switch state {
        case .new(nil): "new"
        case .new(.appeal?): "new+appeal"
        case .new(.extension?): "new+extension"
        case .inProgress(nil): "in_progress"
        case .inProgress(.appeal?): "in_progress+appeal"
        case .inProgress(.extension?): "in_progress+extension"
        case .rectified: "rectified"
        case .closed(.rectified): "closed"
        case .closed(.appealUpheld): "closed-upheld"
        }
    }

    /// The machine's answer as a value (a `do`/`catch` around a typed throw here crashes
    /// the Swift 6.3 compiler).
    static func outcome(_ action: CaseAction, on file: CaseFile, by principal: Principal) -> Result<CaseDecision, CaseActionError> {
        Result { () throws(CaseActionError) in
            try CaseMachine.decide(action, on: file, by: principal, atMillis: 1000, policy: policy)
        }
    }

    @Test(arguments: pairs)
    func everyStateAndAction(_ stateName: String, _ action: CaseAction) throws {
        let before = Self.file(Self.stateNamed(stateName))
        let expected = Self.legal[stateName]![action.name]
        switch Self.outcome(action, on: before, by: Self.admin) {
        case .success(let decision):
            #expect(expected != nil, "\(action.name) from \(stateName) should be refused")
            #expect(Self.shape(decision.file.state) == expected)
            #expect(decision.event.action == action.name)
            #expect(decision.event.from == before.state.name)
            #expect(decision.event.to == decision.file.state.name)
        case .failure(let error):
            #expect(expected == nil, "\(action.name) from \(stateName) should be allowed, got \(error)")
            let allowed = Self.legal[stateName]!.keys.sorted()
            #expect(error == .illegalTransition(
                action: action.name, state: before.state.name, pending: CaseMachine.pendingName(before.state.pending),
                allowed: allowed
            ))
            // The message names what is allowed, in both languages.
            for name in allowed {
                #expect(error.englishMessage.contains(name.rawValue))
                #expect(error.chineseMessage.contains(name.rawValue))
            }
        }
    }

    /// Who may take each action, on a case assigned to `rev1`.
    static let principals: [(String, Principal, CaseAuthority)] = [
        ("admin", admin, .admin),
        ("head", Principal(kind: .staff(username: "head1", role: .head), departments: .only(["SPK"])), .head),
        ("assigned reviewer", Principal(kind: .staff(username: "rev1", role: .reviewer), departments: .only(["SPK"])), .handler),
        ("other reviewer", Principal(kind: .staff(username: "rev2", role: .reviewer), departments: .only(["SPK"])), .none),
        ("viewer", Principal(kind: .staff(username: "v", role: .viewer), departments: .all), .none),
        ("key with cases:write", Principal(kind: .apiKey(name: "hotline", scopes: ["cases:write"]), departments: .all), .head),
        ("read-only key", Principal(kind: .apiKey(name: "office", scopes: ["feedback:read"]), departments: .all), .none),
    ]

    /// The minimum authority of each action, written out by hand.
    static let needs: [CaseActionName: CaseAuthority] = [
        .start: .handler, .rectify: .handler, .note: .handler, .requestExtension: .handler,
        .close: .head, .assign: .head, .appeal: .head,
        .approveAppeal: .admin, .rejectAppeal: .admin, .approveExtension: .admin, .rejectExtension: .admin,
    ]

    @Test(arguments: principals.flatMap { p in actions.map { (p.0, $0) } })
    func rolesAgainstActions(_ who: String, _ action: CaseAction) throws {
        let (_, principal, authority) = Self.principals.first { $0.0 == who }!
        // A state where the action is legal, so only the role can refuse it.
        let stateName = Self.states.map(\.0).first { Self.legal[$0]![action.name] != nil }!
        let mayDo = authority >= Self.needs[action.name]!
        switch Self.outcome(action, on: Self.file(Self.stateNamed(stateName)), by: principal) {
        case .success:
            #expect(mayDo, "\(who) must not \(action.name)")
        case .failure(let error):
            #expect(!mayDo, "\(who) may \(action.name), got \(error)")
            #expect(error == .notAllowedForRole(action: action.name, needs: Self.needs[action.name]!))
        }
    }

    @Test func theRoleIsCheckedBeforeTheState() {
        let viewer = Self.principals[4].1
        #expect(throws: CaseActionError.notAllowedForRole(action: .approveAppeal, needs: .admin)) {
            try CaseMachine.decide(.approveAppeal(note: nil), on: Self.file(.closed(.rectified(Self.callback))), by: viewer, atMillis: 1, policy: Self.policy)
        }
    }

    @Test func unreachableNeedsARecordedAttempt() throws {
        let working = Self.file(.inProgress(pending: nil))
        let rectify = CaseAction.rectify(callback: .unreachable, note: "三次未接通")
        #expect(throws: CaseActionError.callbackAttemptRequired) {
            try CaseMachine.decide(rectify, on: working, by: Self.admin, atMillis: 1, policy: Self.policy)
        }
        let attempt = try CaseMachine.decide(.note("拨打未接通", callbackAttempt: true), on: working, by: Self.admin, atMillis: 2, policy: Self.policy)
        #expect(attempt.file.callbackAttempts == 1)
        #expect(attempt.event.data["callback_attempt"] == "true")
        let done = try CaseMachine.decide(rectify, on: attempt.file, by: Self.admin, atMillis: 3, policy: Self.policy)
        #expect(done.file.state == .rectified(Callback(result: .unreachable, note: "三次未接通")))
        #expect(done.file.rectifiedAtMillis == 3)
    }

    @Test(arguments: [
        (CaseAction.rectify(callback: .satisfied, note: "  "), CaseStateName.inProgress, "note"),
        (.note("", callbackAttempt: false), .new, "note"),
        (.appeal(ruling: .invalid, reason: " "), .new, "reason"),
        (.requestExtension(days: 2, reason: ""), .new, "reason"),
        (.assign(assignee: "  ", note: nil), .new, "assignee"),
    ] as [(CaseAction, CaseStateName, String)])
    func requiredFields(_ action: CaseAction, _ state: CaseStateName, _ field: String) {
        let file = Self.file(state == .new ? .new(pending: nil) : .inProgress(pending: nil))
        #expect(throws: CaseActionError.fieldRequired(field)) {
            try CaseMachine.decide(action, on: file, by: Self.admin, atMillis: 1, policy: Self.policy)
        }
    }

    @Test(arguments: [0, -1, 31, 365])
    func extensionDaysOutOfRange(_ days: Int) {
        #expect(throws: CaseActionError.extensionDaysOutOfRange(days, allowed: 1...30)) {
            try CaseMachine.decide(.requestExtension(days: days, reason: "材料"), on: Self.file(.new(pending: nil)), by: Self.admin, atMillis: 1, policy: Self.policy)
        }
    }

    @Test func anApprovedAppealFlagsTheResponseAndClosesTheCase() throws {
        let head = Self.principals[1].1
        let asked = try CaseMachine.decide(.appeal(ruling: .malicious, reason: "与办事无关"), on: Self.file(.inProgress(pending: nil)), by: head, atMillis: 1, policy: Self.policy)
        #expect(asked.effects.isEmpty)
        let approved = try CaseMachine.decide(.approveAppeal(note: "同意"), on: asked.file, by: Self.admin, atMillis: 2, policy: Self.policy)
        let appeal = Appeal(ruling: .malicious, reason: "与办事无关", requestedBy: "head1")
        #expect(approved.file.state == .closed(.appealUpheld(appeal)))
        #expect(approved.file.closedAtMillis == 2)
        #expect(approved.effects == [.flagResponse(.malicious, reason: "与办事无关")])
    }

    @Test func anApprovedExtensionMovesTheDeadlineByWorkingDays() throws {
        let asked = try CaseMachine.decide(.requestExtension(days: 5, reason: "材料"), on: Self.file(.inProgress(pending: nil)), by: Self.admin, atMillis: 1, policy: Self.policy)
        #expect(asked.file.deadline == Self.file(.new(pending: nil)).deadline)
        let approved = try CaseMachine.decide(.approveExtension(note: nil), on: asked.file, by: Self.admin, atMillis: 2, policy: Self.policy)
        // Opened Monday 2026-11-02: 15 working days is Monday 11-23, 20 is Monday 11-30.
        #expect(Self.file(.new(pending: nil)).deadline.description == "2026-11-23")
        #expect(approved.file.deadline.description == "2026-11-30")
        #expect(approved.file.extensionDays == 5)
        #expect(approved.file.state == .inProgress(pending: nil))
        // A rejected one changes nothing but the pending request.
        let rejected = try CaseMachine.decide(.rejectExtension(note: nil), on: asked.file, by: Self.admin, atMillis: 2, policy: Self.policy)
        #expect(rejected.file.deadline.description == "2026-11-23")
        #expect(rejected.file.extensionDays == 0)
    }

    @Test func rectifyingWithdrawsAPendingExtension() throws {
        let file = Self.file(.inProgress(pending: .extension(Self.request)))
        let done = try CaseMachine.decide(.rectify(callback: .dissatisfied, note: "已解释"), on: file, by: Self.admin, atMillis: 5, policy: Self.policy)
        #expect(done.event.data["extension_withdrawn"] == "true")
        #expect(done.file.state.pending == nil)
    }

    @Test func overdueOnlyWhileOpenAndPastTheDeadline() {
        let open = Self.file(.inProgress(pending: nil))
        #expect(!open.isOverdue(on: open.deadline))
        #expect(open.isOverdue(on: open.deadline.advanced(by: 1)))
        #expect(!Self.file(.rectified(Self.callback)).isOverdue(on: open.deadline.advanced(by: 1)))
    }
}
