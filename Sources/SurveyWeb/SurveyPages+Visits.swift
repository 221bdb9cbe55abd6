import MicroHTTP
import SurveyCore

extension SurveyPages {
    /// What a survey form carries beyond its questions: whether the kiosk's tablet is
    /// paired, and the visit (一次一评) being rated.
    struct FormExtras: Sendable {
        /// A kiosk whose request carried no device in force for its window.
        var unpaired = false
        /// The kiosk's hidden `visit_token`, kept when the form comes back with an error.
        var visitToken = ""
        /// A phone's visit link (`?v=`), carried in the form's address.
        var visitLink: String?
        /// The ticket of the visit being rated, for the banner.
        var visitTicket: String?
        /// Elder mode (`?elder=1`): larger text and targets, and twice the time before any
        /// prompt or reset.
        var elder = false

        /// Blank forms, which carry no visit, differ only in the notice and the mode.
        var cacheKey: String { (unpaired ? "unpaired" : "") + (elder ? "|elder" : "") }

        func context(_ kind: Kind, window: ServiceWindow, language: Language) -> FormExtrasContext {
            FormExtrasContext(
                deviceNotice: kind == .kiosk && unpaired ? language[.deviceNotPairedNotice] : nil,
                visitBanner: visitTicket.map { language[.visitBanner, ["ticket": $0]] },
                visitToken: visitToken,
                visitPollURL: kind == .kiosk ? "/kiosk/\(window.code)/visit" : nil,
                visitLabel: language[.visitBanner]
            )
        }
    }

    /// The form bound to a visit, rendered for this request (never cached: it names the visit).
    func visitForm(
        _ kind: Kind, window: ServiceWindow, department: Department, language: Language, extras: FormExtras
    ) throws -> Response {
        var answers = Answers()
        answers.clientID = mintClientID()
        return .html(try renderForm(kind, window: window, department: department, language: language, answers: answers, error: nil, extras: extras))
    }
}
