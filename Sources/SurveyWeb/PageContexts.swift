// One context type per template, rendered by swift-mustache through `Mirror`: the
// property names are the template's keys, so a misspelled key does not compile. An
// optional that is nil leaves its section out; an empty string would not.

/// What the `layout` partial shows around every page.
struct PageLayout {
    var htmlLang: String
    /// `rtl` for a language written right to left; left out otherwise.
    var htmlDir: String?
    var title: String
    /// The center's name in the page's language where it has one (see `CenterSettings.centerName(english:)`).
    var centerName: String
    /// `zh-CN` where the Chinese center name stands on a page in another language.
    var centerLang: String? = nil
    var bodyClass: String
    var script: String?
    /// A second stylesheet, after the shared one (the staff pages' own).
    var stylesheet: String?
    /// The kiosk's thank-you page returns to the form after this many seconds without script.
    var refreshSeconds: String?
    var refreshURL: String?
}

/// The `survey` template: the form of one window.
struct SurveyContext {
    struct Choice {
        var name: String
        var value: Int
        var text: String
        var face: String
        var negative: Bool
        var checked: Bool
        /// Set only after an attempt that left this question unanswered or wrong.
        var invalid: Bool
    }

    struct Reason {
        var dimension: String
        /// The reason as stored: its Chinese text.
        var value: String
        /// The reason as shown, in the page's language where the center gave a translation.
        var text: String
        var checked: Bool
        /// `zh` where Chinese text stands on a page in another language.
        var nameLang: String?
    }

    struct Question {
        var name: String
        var progress: String
        var label: String
        var question: String
        var missingMessage: String
        var choices: [Choice]
        var hasError: Bool
        var errorMessages: [String]
        var reasonsTitle: String
        /// The reason screen's title with `{level}` left for the script to fill in.
        var reasonsTitleTemplate: String
        var reasonMissingTemplate: String
        var reasonsPick: String
        var reasons: [Reason]
        var clerkChecked: Bool
        var clerkReason: String
        var clerkReasonLabel: String
        var otherReason: String
        var reasonError: String?
        var reasonMax: Int
        var continueText: String
    }

    struct ErrorLink {
        var message: String
        var anchor: String
    }

    var layout: PageLayout
    var kind: String
    var isKiosk: Bool
    var idleSeconds: Int
    var promptSeconds: Int
    var thanksSeconds: Int
    var windowCode: String
    var departmentName: String
    /// `zh-CN` where the Chinese name stands on a page in another language.
    var departmentLang: String?
    var windowName: String
    var windowLang: String?
    var action: String
    /// The language switch: a link to each other language.
    var otherLanguages: [LanguageLink]
    var intro: String
    var hasErrors: Bool
    var errors: [ErrorLink]
    var errorSummary: String
    var clientID: String
    var lang: String
    var questions: [Question]
    var commentLabel: String
    var commentHint: String
    var commentError: String?
    var comment: String
    var commentMax: Int
    var submit: String
    var backText: String
    var thanksTitle: String
    var thanksBody: String
    var thanksBefore: String
    var thanksAfter: String
    var addComment: String
    var sendComment: String
    var commentSaved: String
    var moreTimeTitle: String
    var promptBefore: String
    var promptAfter: String
    var moreTimeYes: String
    var pendingBefore: String
    var pendingAfter: String
    /// The label of the phone form's hidden field (read only by programs that fill in everything).
    var honeypotLabel: String
    /// The visit and device parts (`SurveyPages.FormExtras`).
    var extras: FormExtrasContext
}

/// The survey form's visit and device parts: the kiosk's notice that its tablet is not
/// paired, the visit being rated, and what the kiosk's visit script needs.
struct FormExtrasContext {
    var deviceNotice: String?
    var visitBanner: String?
    var visitToken: String
    /// Where the kiosk polls for its window's next visit; nil off the kiosk.
    var visitPollURL: String?
    /// The banner's words with `{ticket}` for the script to fill in.
    var visitLabel: String
}

/// The `thanks` template.
struct ThanksContext {
    var layout: PageLayout
    var heading: String
    var body: String
    var returnAfterSeconds: String?
    var returnURL: String?
    var resetting: String?
    /// Where the citizen may still send a comment for the rating just stored.
    var commentAction: String?
    var commentNote: String?
    var clientID: String
    var lang: String
    var addComment: String
    var sendComment: String
    var commentHint: String
    var commentMax: Int
}

/// The `message` template: a heading and a line, for errors.
struct MessageContext {
    var layout: PageLayout
    var heading: String
    var body: String
}

/// The `index` template: every window's pages.
struct IndexContext {
    struct Window {
        var code: String
        var name: String
        /// `zh-CN` where the Chinese name stands on a page in another language.
        var nameLang: String?
        var department: String
        var departmentLang: String?
    }

    var layout: PageLayout
    var intro: String
    var windowHeading: String
    var departmentHeading: String
    var kioskHeading: String
    var phoneHeading: String
    var windows: [Window]
}

/// One link of the language switch, named in its own language.
struct LanguageLink {
    var href: String
    var tag: String
    var name: String

    /// A link to each language but `language`, its address made from the code.
    static func others(than language: Language, href: (String) -> String) -> [LanguageLink] {
        language.others.map { LanguageLink(href: href($0.rawValue), tag: $0.htmlTag, name: $0.name) }
    }
}
