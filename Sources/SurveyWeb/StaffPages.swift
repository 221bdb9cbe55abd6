import Foundation
import MicroHTTP
import Mustache
import SurveyCore
import SurveyStore

// MARK: Contexts

/// The `staff_login` template: the sign-in form, with the last refusal if any.
struct StaffLoginContext {
    var layout: PageLayout
    var heading: String
    var error: String?
    var usernameLabel: String
    var username: String
    var passwordLabel: String
    var submit: String
    var lang: String
    var otherLanguages: [LanguageLink]
}

/// What the staff pages show of the signed-in person, and the sign-out form.
struct StaffHeader {
    var signedInAs: String
    var roleLabel: String
    var role: String
    var departmentsLabel: String
    var departments: String
    var csrfToken: String
    var signOut: String
    var auditLink: String?
    var auditTitle: String
    var dashboardTitle: String
    var feedbackTitle: String
    var casesTitle: String
    /// The 办结 page, for those who may record visits; the devices page, for admins.
    var visitsLink: String?
    var visitsTitle: String
    var devicesLink: String?
    var devicesTitle: String
    /// Administrators' links to the center settings and the QR print sheet.
    var adminLink: String?
    var adminTitle: String
    var adminLinks: [AdminLink] = []

    struct AdminLink {
        var href: String
        var title: String
    }
}

/// The `staff_audit` template: the latest audit entries.
struct StaffAuditContext {
    struct Entry {
        var when: String
        var actor: String
        var action: String
        var subject: String
        var before: String
        var after: String
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var whenHeading: String
    var whoHeading: String
    var actionHeading: String
    var subjectHeading: String
    var beforeHeading: String
    var afterHeading: String
    var entries: [Entry]
    var empty: String?
}

// MARK: Templates

extension Templates {
    /// The staff pages, rendered with the citizen pages' layout and footer.
    static let staff: [String: String] = [
        "layout": layout, "footer": footer, "staff_login": staffLogin, "staff_audit": staffAudit,
        "staff_header": staffHeader,
    ]

    static let staffLogin = """
    {{> layout}}
    <main class="staff staff-login">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      <p class="lang">{{#otherLanguages}}<a href="{{href}}" lang="{{tag}}">{{name}}</a>{{/otherLanguages}}</p>
      {{#error}}<p class="error-summary" role="alert">⚠ {{error}}</p>{{/error}}
      <form method="post" action="/staff/login" class="staff-form">
        <input type="hidden" name="lang" value="{{lang}}">
        <p><label for="username">{{usernameLabel}}</label>
        <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" value="{{username}}" required></p>
        <p><label for="password">{{passwordLabel}}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required></p>
        <p><button type="submit">{{submit}}</button></p>
      </form>
    </main>
    {{> footer}}
    """

    static let staffHeader = """
    {{#header}}
    <header class="staff-header">
      <p><strong>{{signedInAs}}</strong></p>
      <dl>
        <dt>{{roleLabel}}</dt><dd class="role">{{role}}</dd>
        <dt>{{departmentsLabel}}</dt><dd class="departments">{{departments}}</dd>
      </dl>
      <nav class="staff-nav"><a href="/staff">{{dashboardTitle}}</a> <a href="/staff/feedback">{{feedbackTitle}}</a>
        <a href="/staff/cases">{{casesTitle}}</a> {{#auditLink}}<a href="{{auditLink}}">{{auditTitle}}</a>{{/auditLink}}
        {{#visitsLink}}<a href="{{visitsLink}}">{{visitsTitle}}</a>{{/visitsLink}}
        {{#devicesLink}}<a href="{{devicesLink}}">{{devicesTitle}}</a>{{/devicesLink}}{{#adminLink}} <a href="{{adminLink}}">{{adminTitle}}</a>{{/adminLink}}{{#adminLinks}} <a href="{{href}}">{{title}}</a>{{/adminLinks}}</nav>
      <form method="post" action="/staff/logout" class="staff-logout">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <button type="submit">{{signOut}}</button>
      </form>
    </header>
    {{/header}}
    """

    static let staffAudit = """
    {{> layout}}
    <main class="staff staff-audit">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      {{#empty}}<p>{{empty}}</p>{{/empty}}
      <table class="audit">
        <thead><tr><th>{{whenHeading}}</th><th>{{whoHeading}}</th><th>{{actionHeading}}</th><th>{{subjectHeading}}</th><th>{{beforeHeading}}</th><th>{{afterHeading}}</th></tr></thead>
        <tbody>
        {{#entries}}
        <tr><td>{{when}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{subject}}</td><td><code>{{before}}</code></td><td><code>{{after}}</code></td></tr>
        {{/entries}}
        </tbody>
      </table>
    </main>
    {{> footer}}
    """
}

// MARK: Rendering

/// The templates and the layout every staff page renderer shares: the staff pages, the
/// case pages and the daily pages each hold one, over their own templates.
struct StaffPageKit: Sendable {
    private let library: MustacheLibrary
    /// The center settings in force: the center's name can change while the server runs.
    private let settings: @Sendable () -> CenterSettings

    /// - Parameter templates: by name; where two sets name the same template, the first wins.
    init(templates: [[String: String]], settings: @escaping @Sendable () -> CenterSettings) throws {
        self.settings = settings
        var library = MustacheLibrary()
        let merged = templates.reduce(into: [String: String]()) { all, set in all.merge(set, uniquingKeysWith: { first, _ in first }) }
        for (name, template) in merged {
            try library.register(template, named: name)
        }
        self.library = library
    }

    func render(_ context: Any, _ template: String) throws -> String {
        guard let html = library.render(context, withTemplate: template) else { throw SurveyPages.RenderFailure(template: template) }
        return html
    }

    /// The layout of a staff page; `script` for the pages that have one.
    func layout(title: String, language: Language, script: String? = nil) -> PageLayout {
        PageLayout(
            htmlLang: language.htmlTag, htmlDir: language.htmlDirection, title: title, centerName: settings().centerName, bodyClass: "plain staff",
            script: script, stylesheet: "/static/css/staff.css"
        )
    }
}

/// Renders the staff pages. A page that cannot be rendered throws (500), never an empty 200.
final class StaffPages: Sendable {
    private let kit: StaffPageKit
    private let configuration: WebConfiguration

    init(configuration: WebConfiguration, settings: @escaping @Sendable () -> CenterSettings) throws {
        self.configuration = configuration
        self.kit = try StaffPageKit(templates: [Templates.staff, Templates.devices, Templates.admin], settings: settings)
    }

    func render(_ context: Any, _ template: String) throws -> String {
        try kit.render(context, template)
    }

    func layout(title: String, language: Language) -> PageLayout {
        kit.layout(title: title, language: language)
    }

    func login(language: Language, username: String = "", error: HTTPError? = nil) throws -> Response {
        let context = StaffLoginContext(
            layout: layout(title: language[.staffLoginTitle], language: language), heading: language[.staffLoginTitle],
            error: error?.message, usernameLabel: language[.staffUsername], username: username,
            passwordLabel: language[.staffPassword], submit: language[.staffSignIn], lang: language.rawValue,
            otherLanguages: LanguageLink.others(than: language) { "/staff/login?lang=\($0)" }
        )
        var response = Response.html(try render(context, "staff_login"), status: error?.status ?? 200)
        if let seconds = error?.retryAfterSeconds { response.headers.add("Retry-After", String(seconds)) }
        return response
    }

    func audit(_ entries: [AuditEntry], session: StaffSession, directory: Directory, language: Language) throws -> Response {
        let context = StaffAuditContext(
            layout: layout(title: language[.staffAuditTitle], language: language), heading: language[.staffAuditTitle],
            header: header(session, directory: directory, language: language),
            whenHeading: language[.staffAuditWhen], whoHeading: language[.staffAuditWho], actionHeading: language[.staffAuditAction],
            subjectHeading: language[.staffAuditSubject], beforeHeading: language[.staffAuditBefore], afterHeading: language[.staffAuditAfter],
            entries: entries.map { entry in
                .init(
                    when: UTCTimestamp.string(millis: entry.atMillis), actor: entry.actor, action: entry.action,
                    subject: entry.subjectID.map { "\(entry.subjectType) \($0)" } ?? entry.subjectType,
                    before: entry.beforeJSON ?? "–", after: entry.afterJSON ?? "–"
                )
            },
            empty: entries.isEmpty ? language[.staffAuditEmpty] : nil
        )
        return .html(try render(context, "staff_audit"))
    }

    func header(_ session: StaffSession, directory: Directory, language: Language) -> StaffHeader {
        let user = session.user
        let departments = user.departmentCodes.map { code in
            directory.departments.first { $0.code == code }.map { "\($0.name) (\(code))" } ?? code
        }
        return StaffHeader(
            signedInAs: language[.staffSignedInAs, ["name": user.username]], roleLabel: language[.staffRole],
            role: language[Self.phrase(user.role)], departmentsLabel: language[.staffDepartments],
            departments: user.role.seesEveryDepartment ? language[.staffAllDepartments] : departments.joined(separator: "、"),
            csrfToken: session.csrfToken, signOut: language[.staffSignOut],
            auditLink: user.role == .admin ? "/staff/audit" : nil, auditTitle: language[.staffAuditTitle],
            dashboardTitle: language[.staffHomeTitle], feedbackTitle: language[.reviewTitle],
            casesTitle: language[.casesTitle],
            visitsLink: user.role.mayChange ? "/staff/visits" : nil, visitsTitle: language[.visitsTitle],
            devicesLink: user.role == .admin ? "/staff/devices" : nil, devicesTitle: language[.devicesTitle],
            adminLink: user.role == .admin ? "/staff/admin" : nil, adminTitle: language[.adminTitle],
            adminLinks: user.role == .admin ? [
                .init(href: "/staff/admin/settings", title: language[.settingsLink]),
                .init(href: "/staff/admin/qr/print", title: language[.qrPrintLink]),
            ] : []
        )
    }

    static func phrase(_ role: StaffRole) -> Phrase {
        switch role {
        case .admin: .staffRoleAdmin
        case .head: .staffRoleHead
        case .reviewer: .staffRoleReviewer
        case .viewer: .staffRoleViewer
        }
    }
}
