import MicroHTTP
import SurveyCore
import SurveyStore

/// The kiosk page `/kiosk/{window}` and the phone page `/r/{window}`: a blank form on GET,
/// a submission on POST (then `303` to the thank-you page), the form again with a
/// message and the citizen's choices kept when something is missing.
extension WebApplication {
    func installSurveyPages(on router: Router) {
        for kind in [SurveyPages.Kind.kiosk, .phone] {
            let prefix = kind.pathPrefix
            router.get("\(prefix)/{window}") { [self] request in
                let language = Language.negotiate(request)
                let (window, department) = try place(request, language: language)
                let link = try signedLink(kind, request, window: window, language: language)
                if kind == .phone, let visitLink = request.query("v") {
                    return try visitPage(visitLink, window: window, department: department, language: language)
                }
                var extras = SurveyPages.FormExtras()
                extras.elder = elderMode(kind, request)
                if kind == .kiosk { extras.unpaired = try pairedDevice(request, window: window) == nil }
                let form = try pages.blankForm(kind, window: window, department: department, language: language, link: link, extras: extras)
                return kind == .phone ? withClientCookie(form, for: request) : form
            }
            router.get("\(prefix)/{window}/thanks") { [self] request in
                let language = Language.negotiate(request)
                let (window, _) = try place(request, language: language)
                let clientID = request.query("c").map(ClientID.canonical).flatMap { ClientID.isValid($0) ? $0 : nil }
                return try pages.thanks(kind, window: window, language: language, clientID: clientID)
            }
            router.on("POST", "\(prefix)/{window}/comment") { [self] request in
                try commentForm(kind, request)
            }
            router.on("POST", "\(prefix)/{window}") { [self] request in
                try submitForm(kind, request)
            }
        }
    }

    /// Elder mode: `?elder=1` or `?elder=0`, else the kiosk's configured default.
    private func elderMode(_ kind: SurveyPages.Kind, _ request: Request) -> Bool {
        switch request.query("elder") {
        case "1"?: true
        case "0"?: false
        default: kind == .kiosk && configuration.elderModeDefault
        }
    }

    private func place(_ request: Request, language: Language, in directory: Directory? = nil) throws -> (ServiceWindow, Department) {
        let code = request.pathParameters["window"] ?? ""
        let directory = directory ?? self.directory
        guard let window = directory.window(code: code), window.active,
              let department = directory.department(id: window.departmentID) else {
            throw HTTPError(status: 404, code: "unknown_window", .unknownWindowPage, in: language)
        }
        return (window, department)
    }

    /// The window link's token a phone page was opened or posted with (`?t=`), checked: `nil`
    /// when there is none, and a friendly 403 for one this server did not sign for this
    /// window with a key in force, so a forged or tampered link stores nothing.
    private func signedLink(_ kind: SurveyPages.Kind, _ request: Request, window: ServiceWindow, language: Language) throws -> String? {
        guard kind == .phone, let token = request.query("t") else { return nil }
        guard case .valid = windowLinks.verify(token, forWindow: window.code) else {
            throw HTTPError(status: 403, code: "invalid_window_link", .windowLinkRefused, in: language)
        }
        return token
    }

    private func submitForm(_ kind: SurveyPages.Kind, _ request: Request) throws -> Reply {
        // Before anything else: a post another site made a browser send stores nothing.
        try refuseCrossSiteForm(request)
        guard let fields = FormDecoding.fields(request.body) else {
            let language = Language.negotiate(request)
            throw HTTPError(status: 400, code: "malformed_form", .malformedForm, in: language)
        }
        let value = { (name: String) in fields.first { $0.name == name }?.value }
        let language = Language.negotiate(request, formValue: value("lang"))
        // One snapshot for the whole request: the window shown and the one validated agree.
        let directory = self.directory
        let (window, department) = try place(request, language: language, in: directory)
        let link = try signedLink(kind, request, window: window, language: language)

        var answers = SurveyPages.Answers()
        for dimension in RatingDimension.allCases {
            if let text = value(dimension.rawValue), let level = Int(text) { answers.levels[dimension] = level }
            answers.reasons[dimension] = fields.filter { $0.name == "reasons_\(dimension.rawValue)" }.map(\.value)
            if value("clerk_\(dimension.rawValue)") != nil { answers.clerk.insert(dimension) }
            answers.otherReasons[dimension] = value("reason_other_\(dimension.rawValue)") ?? ""
        }
        answers.comment = value("comment") ?? ""
        let givenID = value("client_id").map(ClientID.canonical) ?? ""
        let genuineID = formClientIDs.isGenuine(givenID)
        answers.clientID = genuineID ? givenID : pages.mintClientID()
        let visit = try formVisit(kind, request: request, fieldValue: value("visit_token"), window: window, clientID: answers.clientID, language: language)
        var extras = SurveyPages.FormExtras()
        extras.visitToken = kind == .kiosk && visit != nil ? value("visit_token") ?? "" : ""
        extras.visitLink = kind == .phone && visit != nil ? request.query("v") : nil
        extras.visitTicket = visit?.ticket
        extras.elder = elderMode(kind, request)

        func score(_ dimension: RatingDimension) -> ScoreInput {
            guard let text = value(dimension.rawValue), !text.isEmpty else { return .absent }
            return Int(text).map(ScoreInput.number) ?? .notANumber
        }
        var submission = Submission(
            windowCode: window.code,
            attitude: score(.attitude), efficiency: score(.efficiency), result: score(.result),
            comment: answers.comment,
            // Older pages send one list of reasons for the whole form.
            reasons: fields.filter { $0.name == "reasons" }.map(\.value) + [value("reason_other") ?? ""],
            channel: kind.channel(throughSignedLink: link != nil || visit != nil).rawValue,
            clientID: answers.clientID
        )
        for dimension in RatingDimension.allCases {
            submission.reasonsByDimension[dimension] = (answers.reasons[dimension] ?? []) + [answers.otherReasons[dimension] ?? ""]
        }
        var validated: ValidatedSubmission
        do throws(SubmissionProblems) {
            validated = try submission.validatedReportingAll(in: directory, policy: surveyPolicy)
        } catch {
            let formError = SurveyPages.FormError(status: 422, problems: error.problems.map { problem in
                .init(
                    message: problem.message(in: language), dimension: problem.dimension,
                    aboutReasons: problem.isAboutReasons, aboutComment: problem.isAboutComment
                )
            })
            return .now(try pages.formWithError(kind, window: window, department: department, language: language, answers: answers, error: formError, link: link, extras: extras))
        }
        guard genuineID else {
            // Not a form this server rendered (an old page, or a forged post): stored under
            // an id of ours, a retry would count twice. The citizen confirms once more, on a
            // form that carries a signed id.
            let formError = SurveyPages.FormError(status: 422, message: language[.formExpired])
            return .now(try pages.formWithError(kind, window: window, department: department, language: language, answers: answers, error: formError, link: link, extras: extras))
        }
        // A visit or the window's paired kiosk vouches for the rating, under its own
        // allowance (a busy kiosk shares the center's address); the honeypot still counts.
        let honeypot = value(Self.honeypotField)
        let vouchedFlag = try vouch(
            &validated, visit: visit, deviceToken: kind == .kiosk ? deviceToken(request, formValue: value(KioskDevices.formField)) : nil
        )
        let marked = validated.provenance == .visit || validated.provenance == .device
            ? self.marked(validated, provenance: validated.provenance, flag: honeypot?.isEmpty == false ? .honeypot : vouchedFlag)
            : self.marked(validated, provenance: Self.formProvenance(kind, link: link), flag: formFlag(request, link: link, honeypot: honeypot))
        let pages = self.pages
        let kept = answers
        let keptExtras = extras
        let thanksURL = "\(kind.pathPrefix)/\(window.code)/thanks?lang=\(language.rawValue)&c=\(validated.clientID)"
        // A suspect rating gets the usual thanks: the citizen is never told, nor turned away.
        return store(marked) { [self] outcome in
            ratedVisit(visit, outcome: outcome)
            switch outcome {
            case .success(let recorded) where recorded.kind == .visitAlreadyRated:
                return pages.message(heading: language[.thanksTitle], body: language[.visitAlreadyRated], status: 409, language: language)
            case .success(let recorded) where recorded.kind == .conflict:
                // The same form sent again with other answers (back, change, submit): the
                // first rating stands, and the citizen is told so.
                return pages.message(
                    heading: language[.thanksTitle], body: language[.alreadySubmitted],
                    status: 409, language: language
                )
            case .success:
                return .seeOther(thanksURL)
            case .failure:
                let formError = SurveyPages.FormError(status: 503, message: language[.storeUnavailable])
                do {
                    return try pages.formWithError(
                        kind, window: window, department: department, language: language, answers: kept, error: formError, link: link, extras: keptExtras
                    )
                } catch {
                    return answer(error, to: request)
                }
            }
        }
    }

    /// `POST {prefix}/{window}/comment`: the thank-you page's comment, without script.
    private func commentForm(_ kind: SurveyPages.Kind, _ request: Request) throws -> Reply {
        // Like the rating itself: another site cannot add words to a stored rating.
        try refuseCrossSiteForm(request)
        guard let fields = FormDecoding.fields(request.body) else {
            throw HTTPError(status: 400, code: "malformed_form", .malformedForm, in: Language.negotiate(request))
        }
        let value = { (name: String) in fields.first { $0.name == name }?.value }
        let language = Language.negotiate(request, formValue: value("lang"))
        let (window, _) = try place(request, language: language)
        let clientID = ClientID.canonical(value("client_id") ?? "")
        let note = try attachLateComment(value("comment") ?? "", toClientID: clientID, language: language)
        return .now(try pages.thanks(kind, window: window, language: language, clientID: clientID, commentNote: note))
    }
}
