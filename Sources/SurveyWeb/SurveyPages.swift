import Foundation
import MicroHTTP
import Mustache
import SurveyCore
import Synchronization

/// Renders the citizen pages and keeps the untouched forms ready to serve.
///
/// Each template gets a context of its own type (see `PageContexts.swift`): a misspelled
/// key does not compile. A page that cannot be rendered throws, so the router logs it and
/// answers 500, instead of sending an empty page with 200.
///
/// A blank form differs between requests only in its client id, so it is rendered once
/// per window, channel and language and split around that id; a request then costs two
/// copies and a UUID, not a template render.
final class SurveyPages: Sendable {
    enum Kind: String, Sendable {
        /// The tablet at the window.
        case kiosk
        /// A phone that scanned the window's QR code.
        case phone

        var pathPrefix: String { self == .kiosk ? "/kiosk" : "/r" }
        /// The channel a rating comes through: a phone counts as `qr` only when it came
        /// through a window's signed link, and as `web` otherwise.
        func channel(throughSignedLink: Bool) -> Channel {
            switch self {
            case .kiosk: .kiosk
            case .phone: throughSignedLink ? .qr : .web
            }
        }
    }

    private struct BlankForm: Sendable {
        var head: [UInt8]
        var tail: [UInt8]
    }

    private let library: MustacheLibrary
    private let configuration: WebConfiguration
    /// The blank forms rendered under one version of the center settings; a new version
    /// (a new name or new reasons) empties it.
    private struct FormCache {
        var settingsVersion: Int64 = 0
        var forms: [String: BlankForm] = [:]
    }

    private let blankForms = Mutex(FormCache())
    /// The center settings in force (`LiveSettings.current`).
    private let settings: @Sendable () -> CenterSettings
    private static let clientIDMarker = "PINGJIA-CLIENT-ID-MARKER"
    /// Signed client ids for the forms (see `FormClientIDs`).
    let mintClientID: @Sendable () -> String

    init(
        configuration: WebConfiguration, templates: [String: String], mintClientID: @escaping @Sendable () -> String,
        settings: @escaping @Sendable () -> CenterSettings
    ) throws {
        self.configuration = configuration
        self.settings = settings
        self.mintClientID = mintClientID
        var library = MustacheLibrary()
        for (name, template) in templates {
            try library.register(template, named: name)
        }
        self.library = library
    }

    // MARK: Survey form

    /// What the citizen had chosen, kept when the form comes back with an error.
    struct Answers: Sendable {
        var levels: [RatingDimension: Int] = [:]
        var reasons: [RatingDimension: [String]] = [:]
        /// The questions whose reason the citizen asked staff to write down.
        var clerk: Set<RatingDimension> = []
        var otherReasons: [RatingDimension: String] = [:]
        var comment = ""
        /// Set to a fresh signed id whenever the form is rendered with the answers.
        var clientID = ""
    }

    /// A blank form, served from the cache after the first render.
    ///
    /// - Parameter link: the window link's token the page was opened with, carried on in the
    ///   form's address so the rating is known to come through the window's card.
    func blankForm(
        _ kind: Kind, window: ServiceWindow, department: Department, language: Language, link: String? = nil, extras: FormExtras = FormExtras()
    ) throws -> Response {
        // The names are part of the key: a renamed (or translated) window or department is a
        // new form even before the cache is cleared.
        let names = [window.name, window.englishName ?? "", department.name, department.englishName ?? ""].joined(separator: "|")
        let key = "\(kind.rawValue)|\(window.code)|\(names)|\(language.rawValue)|\(link ?? "")|\(extras.cacheKey)"
        let version = settings().version
        let cached = blankForms.withLock { cache -> BlankForm? in
            if cache.settingsVersion != version { cache = FormCache(settingsVersion: version) }
            return cache.forms[key]
        }
        let form: BlankForm
        if let cached {
            form = cached
        } else {
            var answers = Answers()
            answers.clientID = Self.clientIDMarker
            let html = try renderForm(
                kind, window: window, department: department, language: language, answers: answers, error: nil, link: link, extras: extras
            )
            let parts = html.components(separatedBy: Self.clientIDMarker)
            form = BlankForm(head: Array(parts[0].utf8), tail: Array(parts.dropFirst().joined(separator: Self.clientIDMarker).utf8))
            blankForms.withLock { cache in
                if cache.settingsVersion == version { cache.forms[key] = form }
            }
        }
        var body = form.head
        body.reserveCapacity(form.head.count + form.tail.count + 36)
        body.append(contentsOf: mintClientID().utf8)
        body.append(contentsOf: form.tail)
        var response = Response.html("")
        response.body = body
        return response
    }

    /// Drops every cached form, after the directory changed.
    func forgetBlankForms() {
        blankForms.withLock { $0.forms.removeAll() }
    }

    /// The form again, with the citizen's answers and what is wrong with them.
    func formWithError(
        _ kind: Kind, window: ServiceWindow, department: Department, language: Language,
        answers: Answers, error: FormError, link: String? = nil, extras: FormExtras = FormExtras()
    ) throws -> Response {
        .html(
            try renderForm(
                kind, window: window, department: department, language: language, answers: answers, error: error, link: link, extras: extras
            ),
            status: error.status
        )
    }

    /// The problems to show on the form, each tied to its question when it has one.
    struct FormError: Sendable {
        struct Problem: Sendable {
            var message: String
            var dimension: RatingDimension?
            var aboutReasons = false
            var aboutComment = false
        }

        var status: Int
        var problems: [Problem]

        init(status: Int, problems: [Problem]) {
            self.status = status
            self.problems = problems
        }

        /// One problem about the form as a whole.
        init(status: Int, message: String) {
            self.init(status: status, problems: [Problem(message: message)])
        }
    }

    /// A template that could not be rendered: it is not among those registered.
    struct RenderFailure: Error, CustomStringConvertible {
        var template: String
        var description: String { "the page template “\(template)” could not be rendered" }
    }

    private func render(_ context: Any, _ template: String) throws -> String {
        guard let html = library.render(context, withTemplate: template) else { throw RenderFailure(template: template) }
        return html
    }

    /// The reasons offered when `dimension` is answered negatively, in force now.
    func reasonList(for dimension: RatingDimension) -> [Reason] {
        settings().reasons[dimension]
    }

    /// A phrase with one `{name}` placeholder, split around it, so that a page can show a
    /// number the script counts down between the two parts.
    private static func split(_ text: String, at name: String) -> (String, String) {
        let parts = text.components(separatedBy: "{\(name)}")
        return (parts[0], parts.dropFirst().joined(separator: "{\(name)}"))
    }

    func renderForm(
        _ kind: Kind, window: ServiceWindow, department: Department, language: Language,
        answers: Answers, error: FormError?, link: String? = nil, extras: FormExtras = FormExtras()
    ) throws -> String {
        let query = extras.visitLink.map { "?v=\($0)" } ?? link.map { "?t=\($0)" }
        let action = "\(kind.pathPrefix)/\(window.code)" + (query ?? "")
        let faces: [Level: String] = [
            .verySatisfied: "★★★★★", .satisfied: "★★★★", .neutral: "★★★", .dissatisfied: "★★", .veryDissatisfied: "★",
        ]
        // Reasons without an English text are shown in Chinese, marked as such.
        let nameLang: String? = language == .zh ? nil : Language.zh.htmlTag
        let english = language.readsEnglish
        // In the order of the page: each question, then its reasons; the rest after.
        let problems = (error?.problems ?? []).enumerated().sorted { a, b in
            func place(_ problem: FormError.Problem) -> Int {
                guard let dimension = problem.dimension, let index = RatingDimension.allCases.firstIndex(of: dimension) else { return 99 }
                return index * 2 + (problem.aboutReasons ? 1 : 0)
            }
            return (place(a.element), a.offset) < (place(b.element), b.offset)
        }.map(\.element)
        let total = RatingDimension.allCases.count
        let questions = RatingDimension.allCases.enumerated().map { index, dimension in
            let label = language[.label(dimension)]
            let scoreProblems = problems.filter { $0.dimension == dimension && !$0.aboutReasons }
            let reasonProblems = problems.filter { $0.dimension == dimension && $0.aboutReasons }
                + (dimension == .attitude ? problems.filter { $0.dimension == nil && $0.aboutReasons } : [])
            return SurveyContext.Question(
                name: dimension.rawValue,
                progress: language[.stepProgress, ["step": String(index + 1), "total": String(total)]],
                label: label,
                question: language[.question(dimension)],
                missingMessage: language[.missingScore, ["dimension": label]],
                choices: Level.allCases.reversed().map { level in
                    SurveyContext.Choice(
                        name: dimension.rawValue, value: level.rawValue, text: language[Phrase(level)], face: faces[level] ?? "",
                        negative: level.isNegative, checked: answers.levels[dimension] == level.rawValue,
                        invalid: !scoreProblems.isEmpty
                    )
                },
                hasError: !scoreProblems.isEmpty,
                errorMessages: scoreProblems.map(\.message),
                reasonsTitle: language[.reasonsFor, ["dimension": label]],
                reasonsTitleTemplate: language[.reasonsForLevel, ["dimension": label]],
                reasonMissingTemplate: language[.reasonRequired, ["dimension": label]],
                reasonsPick: language[.reasonsPick],
                reasons: reasonList(for: dimension).map { reason in
                    // The value sent is the Chinese text, the one stored and counted; an
                    // English page shows the English text where the center gave one.
                    let english = language.readsEnglish && reason.english != nil
                    return .init(
                        dimension: dimension.rawValue, value: reason.chinese, text: reason.text(english: english),
                        checked: answers.reasons[dimension]?.contains(reason.chinese) == true, nameLang: english ? nil : nameLang
                    )
                },
                clerkChecked: answers.clerk.contains(dimension),
                clerkReason: language[.clerkReason],
                clerkReasonLabel: language[.clerkReasonLabel],
                otherReason: answers.otherReasons[dimension] ?? "",
                // Mustache treats any string, even an empty one, as true: nil unless present.
                reasonError: reasonProblems.isEmpty ? nil : reasonProblems.map(\.message).joined(separator: " "),
                reasonMax: configuration.policy.reasonMaxLength,
                continueText: language[.continueButton]
            )
        }
        let errors = problems.map { problem in
            let anchor = problem.dimension.map { (problem.aboutReasons ? "r-" : "q-") + $0.rawValue }
                ?? (problem.aboutReasons ? "r-attitude" : problem.aboutComment ? "q-comment" : "survey")
            return SurveyContext.ErrorLink(message: problem.message, anchor: anchor)
        }
        let commentProblems = problems.filter(\.aboutComment)
        var layout = self.layout(title: language[.surveyTitle], language: language, bodyClass: kind == .kiosk ? "kiosk" : "phone")
        if extras.elder { layout.bodyClass += " elder" }
        layout.script = "/static/js/survey.js"
        let slower = extras.elder ? 2 : 1
        let (thanksBefore, thanksAfter) = Self.split(language[.thanksCountdown], at: "seconds")
        let (promptBefore, promptAfter) = Self.split(language[.moreTimeCountdown], at: "seconds")
        let (pendingBefore, pendingAfter) = Self.split(language[.pendingCount], at: "count")
        let context = SurveyContext(
            layout: layout,
            kind: kind.rawValue,
            isKiosk: kind == .kiosk,
            idleSeconds: configuration.kioskIdleResetSeconds * slower,
            promptSeconds: configuration.kioskPromptSeconds * slower,
            thanksSeconds: configuration.kioskThanksSeconds * slower,
            windowCode: window.code,
            departmentName: department.displayName(english: english),
            departmentLang: Self.chineseLang(department, english: english),
            windowName: window.displayName(english: english),
            windowLang: Self.chineseLang(window, english: english),
            action: action,
            otherLanguages: LanguageLink.others(than: language) { "\(action)\(query == nil ? "?" : "&")lang=\($0)\(extras.elder ? "&elder=1" : "")" },
            intro: language[.surveyIntro],
            hasErrors: !errors.isEmpty,
            errors: errors,
            errorSummary: language[.errorSummary],
            clientID: answers.clientID,
            lang: language.rawValue,
            questions: questions,
            commentLabel: language[.commentLabel],
            commentHint: language[.commentHint],
            commentError: commentProblems.isEmpty ? nil : commentProblems.map(\.message).joined(separator: " "),
            comment: answers.comment,
            commentMax: configuration.policy.commentMaxLength,
            submit: language[.submit],
            backText: language[.backButton],
            thanksTitle: language[.thanksTitle],
            thanksBody: language[.thanksBody],
            thanksBefore: thanksBefore,
            thanksAfter: thanksAfter,
            addComment: language[.addComment],
            sendComment: language[.sendComment],
            commentSaved: language[.commentSaved],
            moreTimeTitle: language[.moreTimeTitle],
            promptBefore: promptBefore,
            promptAfter: promptAfter,
            moreTimeYes: language[.moreTimeYes],
            pendingBefore: pendingBefore,
            pendingAfter: pendingAfter,
            honeypotLabel: language[.honeypotLabel],
            extras: extras.context(kind, window: window, language: language)
        )
        return try render(context, "survey")
    }

    // MARK: Other pages

    /// The thank-you page after a form post. It offers to add a comment to the rating just
    /// stored (`clientID`), for as long as the store accepts one; `commentNote` says a
    /// comment was received. The kiosk returns to a blank form after a pause; a phone does
    /// not, since a second rating of the same visit would break 一次一评 (one rating per visit).
    func thanks(_ kind: Kind, window: ServiceWindow, language: Language, clientID: String? = nil, commentNote: String? = nil) throws -> Response {
        let back = "\(kind.pathPrefix)/\(window.code)?lang=\(language.rawValue)"
        var layout = self.layout(title: language[.thanksTitle], language: language, bodyClass: kind == .kiosk ? "kiosk" : "phone")
        let kiosk = kind == .kiosk
        if kiosk {
            layout.refreshSeconds = String(configuration.kioskThanksSeconds)
            layout.refreshURL = back
        }
        let context = ThanksContext(
            layout: layout,
            heading: language[.thanksTitle],
            body: language[.thanksBody],
            returnAfterSeconds: layout.refreshSeconds,
            returnURL: layout.refreshURL,
            resetting: kiosk ? language[.thanksResetting] : nil,
            commentAction: clientID == nil || commentNote != nil ? nil : "\(kind.pathPrefix)/\(window.code)/comment",
            commentNote: commentNote,
            clientID: clientID ?? "",
            lang: language.rawValue,
            addComment: language[.addComment],
            sendComment: language[.sendComment],
            commentHint: language[.commentHint],
            commentMax: configuration.policy.commentMaxLength
        )
        return .html(try render(context, "thanks"))
    }

    /// A page with a heading and a line of text. When even that cannot be rendered, the
    /// same words in plain text: this is how errors are shown, and it must not fail.
    func message(heading: String, body: String, status: Int, language: Language) -> Response {
        let context = MessageContext(layout: layout(title: heading, language: language, bodyClass: "plain"), heading: heading, body: body)
        guard let html = try? render(context, "message") else {
            return .text(body.isEmpty ? heading + "\n" : heading + "\n" + body + "\n", status: status)
        }
        return .html(html, status: status)
    }

    func errorPage(_ error: HTTPError, language: Language) -> Response {
        switch error.status {
        case 404:
            message(heading: language[.pageNotFoundTitle], body: error.message, status: 404, language: language)
        case 500...:
            message(heading: language[.serverErrorTitle], body: language[.serverErrorBody], status: error.status, language: language)
        default:
            message(heading: error.message, body: "", status: error.status, language: language)
        }
    }

    func index(directory: Directory, language: Language) throws -> Response {
        let context = IndexContext(
            layout: layout(title: settings().centerName(english: language.readsEnglish), language: language, bodyClass: "plain"),
            intro: language[.indexIntro],
            windowHeading: language[.windowHeading],
            departmentHeading: language[.departmentHeading],
            kioskHeading: language[.kioskHeading],
            phoneHeading: language[.phoneHeading],
            windows: directory.activeWindows.map { window in
                let english = language.readsEnglish
                let department = directory.department(id: window.departmentID)
                return IndexContext.Window(
                    code: window.code, name: window.displayName(english: english), nameLang: Self.chineseLang(window, english: english),
                    department: department?.displayName(english: english) ?? "",
                    departmentLang: department.flatMap { Self.chineseLang($0, english: english) }
                )
            }
        )
        return .html(try render(context, "index"))
    }

    private func layout(title: String, language: Language, bodyClass: String) -> PageLayout {
        let settings = settings()
        let english = language.readsEnglish
        return PageLayout(
            htmlLang: language.htmlTag, htmlDir: language.htmlDirection, title: title, centerName: settings.centerName(english: english),
            centerLang: settings.centerNameIsChinese(english: english) ? Language.zh.htmlTag : nil, bodyClass: bodyClass
        )
    }

    /// `zh-CN` for a directory name an English page shows in Chinese (it has no English
    /// name), so that screen readers and fonts treat it as Chinese; nil otherwise.
    static func chineseLang(_ record: some TranslatedName, english: Bool) -> String? {
        record.isChineseOnEnglishPage(english: english) ? Language.zh.htmlTag : nil
    }
}
