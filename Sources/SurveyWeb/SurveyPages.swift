import Foundation
import MicroHTTP
import Mustache
import SurveyCore
import Synchronization

/// Renders the citizen pages and keeps the untouched forms ready to serve.
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
        var channel: Channel { self == .kiosk ? .kiosk : .qr }
    }

    private struct BlankForm: Sendable {
        var head: [UInt8]
        var tail: [UInt8]
    }

    private let library: MustacheLibrary
    private let configuration: WebConfiguration
    private let blankForms = Mutex<[String: BlankForm]>([:])
    private static let clientIDMarker = "PINGJIA-CLIENT-ID-MARKER"

    init(configuration: WebConfiguration, templates: [String: String]) throws {
        self.configuration = configuration
        var library = MustacheLibrary()
        for (name, template) in templates {
            try library.register(template, named: name)
        }
        self.library = library
    }

    func clearCache() {
        blankForms.withLock { $0.removeAll() }
    }

    // MARK: Survey form

    /// What the citizen had chosen, kept when the form comes back with an error.
    struct Answers: Sendable {
        var levels: [RatingDimension: Int] = [:]
        var reasons: [String] = []
        var otherReason = ""
        var comment = ""
        var clientID = ClientID.make()
    }

    /// A blank form, served from the cache after the first render.
    func blankForm(_ kind: Kind, window: ServiceWindow, department: Department, language: Language) -> Response {
        let key = "\(kind.rawValue)|\(window.code)|\(language.rawValue)"
        let cached = blankForms.withLock { $0[key] }
        let form: BlankForm
        if let cached {
            form = cached
        } else {
            var answers = Answers()
            answers.clientID = Self.clientIDMarker
            let html = renderForm(kind, window: window, department: department, language: language, answers: answers, error: nil)
            let parts = html.components(separatedBy: Self.clientIDMarker)
            form = BlankForm(head: Array(parts[0].utf8), tail: Array(parts.dropFirst().joined(separator: Self.clientIDMarker).utf8))
            blankForms.withLock { $0[key] = form }
        }
        var body = form.head
        body.reserveCapacity(form.head.count + form.tail.count + 36)
        body.append(contentsOf: ClientID.make().utf8)
        body.append(contentsOf: form.tail)
        var response = Response.html("")
        response.body = body
        return response
    }

    /// The form again, with the citizen's answers and what is wrong with them.
    func formWithError(
        _ kind: Kind, window: ServiceWindow, department: Department, language: Language,
        answers: Answers, error: FormError
    ) -> Response {
        .html(renderForm(kind, window: window, department: department, language: language, answers: answers, error: error), status: error.status)
    }

    /// A problem to show on the form: which field it is about, if any, and what to say.
    struct FormError: Sendable {
        var status: Int
        var message: String
        var dimension: RatingDimension?
        var aboutReasons = false
        var aboutComment = false
    }

    private func renderForm(
        _ kind: Kind, window: ServiceWindow, department: Department, language: Language,
        answers: Answers, error: FormError?
    ) -> String {
        let strings = Strings.of(language)
        let action = "\(kind.pathPrefix)/\(window.code)"
        let other: Language = language == .zh ? .en : .zh
        let faces: [Level: String] = [
            .verySatisfied: "★★★★★", .satisfied: "★★★★", .neutral: "★★★", .dissatisfied: "★★", .veryDissatisfied: "★",
        ]
        let questions: [[String: Any]] = RatingDimension.allCases.map { dimension in
            let choices: [[String: Any]] = Level.allCases.reversed().map { level in
                [
                    "name": dimension.rawValue,
                    "value": level.rawValue,
                    "text": strings.levelLabel(level, in: language),
                    "face": faces[level] ?? "",
                    "negative": level.isNegative,
                    "checked": answers.levels[dimension] == level.rawValue,
                ]
            }
            let hasError = error?.dimension == dimension
            return [
                "name": dimension.rawValue,
                "label": dimension.label(in: language),
                "question": dimension.question(in: language),
                "choices": choices,
                "hasError": hasError,
                "errorMessage": error?.message ?? "",
            ]
        }
        let reasons: [[String: Any]] = configuration.policy.negativeReasons.map {
            ["value": $0, "checked": answers.reasons.contains($0)]
        }
        var errors: [[String: Any]] = []
        if let error {
            let anchor = error.dimension.map { "q-\($0.rawValue)" }
                ?? (error.aboutReasons ? "q-reasons" : error.aboutComment ? "q-comment" : "survey")
            errors.append(["message": error.message, "anchor": anchor])
        }
        var context = layoutContext(
            title: strings.surveyTitle, language: language,
            bodyClass: kind == .kiosk ? "kiosk" : "phone",
            script: "/static/js/survey.js"
        )
        if kind == .kiosk {
            // Without script the kiosk still clears itself, but only after a long pause,
            // since a reload cannot tell whether someone is still choosing.
            context["noscriptRefreshSeconds"] = String(max(configuration.kioskIdleResetSeconds * 3, 180))
        }
        context.merge([
            "isKiosk": kind == .kiosk,
            "idleSeconds": configuration.kioskIdleResetSeconds,
            "langQuery": "?lang=\(language.rawValue)",
            "departmentName": department.name,
            "windowName": window.name,
            "action": action,
            "otherLangHref": "\(action)?lang=\(other.rawValue)",
            "otherLangTag": other.htmlTag,
            "otherLangName": strings.otherLanguageName,
            "intro": strings.intro,
            "hasErrors": !errors.isEmpty,
            "errors": errors,
            "errorSummary": strings.errorSummary,
            "clientID": answers.clientID,
            "lang": language.rawValue,
            "questions": questions,
            "reasonsLegend": strings.reasonsLegend,
            "reasonsHint": strings.reasonsHint,
            "reasons": reasons,
            "otherReasonLabel": strings.otherReasonLabel,
            "otherReason": answers.otherReason,
            "commentLabel": strings.commentLabel,
            "commentHint": strings.commentHint,
            "comment": answers.comment,
            "commentMax": configuration.policy.commentMaxLength,
            "reasonMax": configuration.policy.reasonMaxLength,
            "submit": strings.submit,
        ]) { _, new in new }
        // Mustache treats any string, even an empty one, as true: set these only when present.
        if let error, error.aboutReasons { context["reasonError"] = error.message }
        if let error, error.aboutComment { context["commentError"] = error.message }
        return library.render(context, withTemplate: "survey") ?? ""
    }

    // MARK: Other pages

    func thanks(_ kind: Kind, window: ServiceWindow, language: Language) -> Response {
        let strings = Strings.of(language)
        let back = "\(kind.pathPrefix)/\(window.code)?lang=\(language.rawValue)"
        var context = layoutContext(title: strings.thanksTitle, language: language, bodyClass: kind == .kiosk ? "kiosk" : "phone")
        if kind == .kiosk {
            context["refreshSeconds"] = String(configuration.kioskThanksSeconds)
            context["refreshURL"] = back
            context["resetting"] = strings.thanksResetting
        }
        context["heading"] = strings.thanksTitle
        context["body"] = strings.thanksBody
        // Only the kiosk offers a way back: on a phone, a second rating of the same visit
        // would break 一次一评 (one rating per visit).
        if kind == .kiosk {
            context["backURL"] = back
            context["startAgain"] = strings.startAgain
        }
        return .html(library.render(context, withTemplate: "thanks") ?? "")
    }

    func message(heading: String, body: String, status: Int, language: Language) -> Response {
        var context = layoutContext(title: heading, language: language, bodyClass: "plain")
        context["heading"] = heading
        context["body"] = body
        return .html(library.render(context, withTemplate: "message") ?? "", status: status)
    }

    func errorPage(_ error: HTTPError, language: Language) -> Response {
        let strings = Strings.of(language)
        switch error.status {
        case 404:
            return message(heading: strings.pageNotFoundTitle, body: error.message, status: 404, language: language)
        case 500...:
            return message(heading: strings.serverErrorTitle, body: strings.serverErrorBody, status: error.status, language: language)
        default:
            return message(heading: error.message, body: "", status: error.status, language: language)
        }
    }

    func index(directory: Directory, language: Language) -> Response {
        var context = layoutContext(title: configuration.centerName, language: language, bodyClass: "plain")
        context["intro"] = language == .zh
            ? "每个窗口有一个平板评价页（kiosk）和一个扫码评价页（手机）。"
            : "Each window has a tablet survey page (kiosk) and a QR-code page for phones."
        context["windowHeading"] = language == .zh ? "窗口" : "Window"
        context["departmentHeading"] = language == .zh ? "科室" : "Department"
        context["kioskHeading"] = language == .zh ? "平板评价页" : "Kiosk page"
        context["phoneHeading"] = language == .zh ? "扫码评价页" : "Phone page"
        context["windows"] = directory.activeWindows.map { window -> [String: Any] in
            ["code": window.code, "name": window.name, "department": directory.department(id: window.departmentID)?.name ?? ""]
        }
        return .html(library.render(context, withTemplate: "index") ?? "")
    }

    private func layoutContext(title: String, language: Language, bodyClass: String, script: String? = nil) -> [String: Any] {
        var context: [String: Any] = [
            "htmlLang": language.htmlTag,
            "title": title,
            "centerName": configuration.centerName,
            "bodyClass": bodyClass,
        ]
        if let script { context["script"] = script }
        return context
    }
}
