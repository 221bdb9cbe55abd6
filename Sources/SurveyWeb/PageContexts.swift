// One context type per template, rendered by swift-mustache through `Mirror`: the
// property names are the template's keys, so a misspelled key does not compile. An
// optional that is nil leaves its section out; an empty string would not.

/// What the `layout` partial shows around every page.
struct PageLayout {
    var htmlLang: String
    var title: String
    var centerName: String
    var bodyClass: String
    var script: String?
    /// A second stylesheet, after the shared one (the staff pages' own).
    var stylesheet: String?
    /// The kiosk's thank-you page returns to the form after this many seconds without script.
    var refreshSeconds: String?
    var refreshURL: String?
    /// The kiosk's form reloads itself after this long without script.
    var noscriptRefreshSeconds: String?
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
    }

    struct Question {
        var name: String
        var label: String
        var question: String
        var choices: [Choice]
        var hasError: Bool
        var errorMessage: String
    }

    struct ErrorLink {
        var message: String
        var anchor: String
    }

    struct Reason {
        var value: String
        var checked: Bool
    }

    var layout: PageLayout
    var isKiosk: Bool
    var idleSeconds: Int
    var langQuery: String
    var departmentName: String
    var windowName: String
    var action: String
    var otherLangHref: String
    var otherLangTag: String
    var otherLangName: String
    var intro: String
    var hasErrors: Bool
    var errors: [ErrorLink]
    var errorSummary: String
    var clientID: String
    var lang: String
    var questions: [Question]
    var reasonsLegend: String
    var reasonsHint: String
    var reasons: [Reason]
    var reasonError: String?
    var otherReasonLabel: String
    var otherReason: String
    var commentLabel: String
    var commentHint: String
    var commentError: String?
    var comment: String
    var commentMax: Int
    var reasonMax: Int
    var submit: String
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
    var backURL: String?
    var startAgain: String
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
        var department: String
    }

    var layout: PageLayout
    var intro: String
    var windowHeading: String
    var departmentHeading: String
    var kioskHeading: String
    var phoneHeading: String
    var windows: [Window]
}
