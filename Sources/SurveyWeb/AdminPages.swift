import Foundation
import MicroHTTP
import Mustache
import SurveyCore
import SurveyStore

// MARK: Contexts

/// A choice of a `<select>`.
struct AdminOption {
    var value: String
    var label: String
    var selected: Bool
}

/// The `admin_index` template: the administration's home, a link per kind of record.
struct AdminIndexContext {
    struct Link {
        var href: String
        var title: String
        var count: String
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var intro: String
    var links: [Link]
}

/// The `admin_list` template: the records of one kind, a form to add one, and on each row
/// the forms to edit and to deactivate (or reactivate) it.
struct AdminListContext {
    /// The fields of a record's form (`admin_fields`): the add form's, or a row's.
    struct Fields {
        /// Makes the controls' ids unique on the page: `new` for the add form.
        var idPrefix: String
        var code: String
        var name: String
        var englishName: String
        var departments: [AdminOption]
        var windows: [AdminOption]
    }

    struct Row {
        var fields: Fields
        var department: String?
        var window: String?
        var state: String
        var active: Bool
        var editAction: String
        var toggleAction: String
        var toggleLabel: String
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var backHref: String
    var back: String
    var error: String?
    var action: String
    var csrfToken: String
    var lang: String
    var addHeading: String
    var codeLabel: String
    var codeHint: String
    var nameLabel: String
    var englishNameLabel: String
    var englishNameHint: String
    var departmentLabel: String
    var windowLabel: String
    var stateLabel: String
    var editLabel: String
    var saveLabel: String
    var addLabel: String
    var hasDepartment: Bool
    var hasWindow: Bool
    var hasEnglishName: Bool
    var addForm: Fields
    var rows: [Row]
    var empty: String?
}

// MARK: Templates

extension Templates {
    static let admin: [String: String] = [
        "admin_index": adminIndex, "admin_list": adminList, "admin_fields": adminFields,
    ]

    static let adminIndex = """
    {{> layout}}
    <main class="staff admin">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      <p>{{intro}}</p>
      <ul class="admin-links">
        {{#links}}<li><a href="{{href}}">{{title}}</a> <span class="count">{{count}}</span></li>{{/links}}
      </ul>
    </main>
    {{> footer}}
    """

    static let adminList = """
    {{> layout}}
    <main class="staff admin">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      <p><a href="{{backHref}}">{{back}}</a></p>
      {{#error}}<p class="error-summary" role="alert" id="admin-error">⚠ {{error}}</p>{{/error}}
      <section class="admin-add">
        <h2>{{addHeading}}</h2>
        <form method="post" action="{{action}}" class="staff-form">
          <input type="hidden" name="csrf_token" value="{{csrfToken}}">
          <input type="hidden" name="lang" value="{{lang}}">
          {{#addForm}}{{> admin_fields}}{{/addForm}}
          <p><button type="submit">{{addLabel}}</button></p>
        </form>
      </section>
      {{#empty}}<p>{{empty}}</p>{{/empty}}
      <table class="admin-list">
        <thead><tr><th>{{codeLabel}}</th><th>{{nameLabel}}</th>{{#hasEnglishName}}<th>{{englishNameLabel}}</th>{{/hasEnglishName}}{{#hasDepartment}}<th>{{departmentLabel}}</th>{{/hasDepartment}}{{#hasWindow}}<th>{{windowLabel}}</th>{{/hasWindow}}<th>{{stateLabel}}</th><th>{{editLabel}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="{{^active}}inactive{{/active}}" id="{{fields.idPrefix}}">
          <td><code>{{fields.code}}</code></td><td class="name">{{fields.name}}</td>{{#hasEnglishName}}<td class="name-en" lang="en">{{fields.englishName}}</td>{{/hasEnglishName}}{{#hasDepartment}}<td>{{department}}</td>{{/hasDepartment}}{{#hasWindow}}<td>{{window}}</td>{{/hasWindow}}<td>{{state}}</td>
          <td>
            <details>
              <summary>{{editLabel}}</summary>
              <form method="post" action="{{editAction}}" class="staff-form">
                <input type="hidden" name="csrf_token" value="{{csrfToken}}">
                <input type="hidden" name="lang" value="{{lang}}">
                {{#fields}}{{> admin_fields}}{{/fields}}
                <p><button type="submit">{{saveLabel}}</button></p>
              </form>
            </details>
            <form method="post" action="{{toggleAction}}" class="admin-toggle">
              <input type="hidden" name="csrf_token" value="{{csrfToken}}">
              <input type="hidden" name="lang" value="{{lang}}">
              <button type="submit">{{toggleLabel}}</button>
            </form>
          </td>
        </tr>
        {{/rows}}
        </tbody>
      </table>
    </main>
    {{> footer}}
    """

    /// A record's fields, for the add form and each row's edit form alike.
    static let adminFields = """
    <p><label for="{{idPrefix}}-code">{{codeLabel}}</label>
    <input id="{{idPrefix}}-code" name="code" type="text" value="{{code}}" maxlength="32" autocapitalize="none" spellcheck="false" aria-describedby="{{idPrefix}}-code-hint" required>
    <span class="hint" id="{{idPrefix}}-code-hint">{{codeHint}}</span></p>
    <p><label for="{{idPrefix}}-name">{{nameLabel}}</label>
    <input id="{{idPrefix}}-name" name="name" type="text" value="{{name}}" maxlength="64" required></p>
    {{#hasEnglishName}}
    <p><label for="{{idPrefix}}-name-en">{{englishNameLabel}}</label>
    <input id="{{idPrefix}}-name-en" name="name_en" type="text" lang="en" value="{{englishName}}" maxlength="64" aria-describedby="{{idPrefix}}-name-en-hint">
    <span class="hint" id="{{idPrefix}}-name-en-hint">{{englishNameHint}}</span></p>
    {{/hasEnglishName}}
    {{#hasDepartment}}
    <p><label for="{{idPrefix}}-department">{{departmentLabel}}</label>
    <select id="{{idPrefix}}-department" name="department">{{#departments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/departments}}</select></p>
    {{/hasDepartment}}
    {{#hasWindow}}
    <p><label for="{{idPrefix}}-window">{{windowLabel}}</label>
    <select id="{{idPrefix}}-window" name="window">{{#windows}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/windows}}</select></p>
    {{/hasWindow}}
    """
}

// MARK: Rendering

/// The administration pages, rendered with the staff pages' library (layout, header).
extension StaffPages {
    static func title(_ kind: DirectoryKind) -> Phrase {
        switch kind {
        case .department: .adminDepartments
        case .window: .adminWindows
        case .item: .adminItems
        case .staff: .adminStaff
        }
    }

    func adminIndex(directory: Directory, header: StaffHeader, language: Language) throws -> Response {
        let entries = directory.entries
        let context = AdminIndexContext(
            layout: layout(title: language[.adminTitle], language: language), heading: language[.adminTitle], header: header,
            intro: language[.adminIntro],
            links: DirectoryKind.allCases.map { kind in
                let all = entries.filter { $0.kind == kind }
                return .init(
                    href: "/staff/admin/\(kind.plural)?lang=\(language.rawValue)", title: language[Self.title(kind)],
                    count: "\(all.filter(\.active).count) / \(all.count)"
                )
            }
        )
        return .html(try render(context, "admin_index"))
    }

    /// What the add form held when it was refused, so it is shown again as typed.
    struct AdminDraft {
        var code = ""
        var name = ""
        var englishName = ""
        var department = ""
        var window = ""
    }

    func adminList(
        _ kind: DirectoryKind, directory: Directory, header: StaffHeader, language: Language,
        error: HTTPError? = nil, draft: AdminDraft = AdminDraft()
    ) throws -> Response {
        let entries = directory.entries
        let departments = entries.filter { $0.kind == .department }
        let windows = entries.filter { $0.kind == .window }
        func departmentOptions(_ selected: String?) -> [AdminOption] {
            departments.filter { $0.active || $0.code == selected }.map {
                AdminOption(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected)
            }
        }
        func windowOptions(_ selected: String?) -> [AdminOption] {
            [AdminOption(value: "", label: language[.adminNoWindow], selected: selected == nil || selected == "")]
                + windows.filter { $0.active || $0.code == selected }.map {
                    AdminOption(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected)
                }
        }
        let departmentName = { (code: String?) in
            code.flatMap { code in departments.first { $0.code == code }.map { "\($0.name) (\(code))" } } ?? "–"
        }
        let windowName = { (code: String?) in
            code.flatMap { code in windows.first { $0.code == code }.map { "\($0.name) (\(code))" } } ?? "–"
        }
        let base = "/staff/admin/\(kind.plural)"
        let rows = entries.filter { $0.kind == kind }.map { entry in
            AdminListContext.Row(
                fields: .init(
                    idPrefix: "\(kind.rawValue)-\(entry.code)", code: entry.code, name: entry.name, englishName: entry.englishName ?? "",
                    departments: departmentOptions(entry.department), windows: windowOptions(entry.window)
                ),
                department: departmentName(entry.department), window: windowName(entry.window),
                state: language[entry.active ? .adminActive : .adminInactive], active: entry.active,
                editAction: "\(base)/\(entry.code)",
                toggleAction: "\(base)/\(entry.code)/\(entry.active ? "deactivate" : "reactivate")",
                toggleLabel: language[entry.active ? .adminDeactivate : .adminReactivate]
            )
        }
        let title = language[Self.title(kind)]
        let context = AdminListContext(
            layout: layout(title: title, language: language), heading: title, header: header,
            backHref: "/staff/admin?lang=\(language.rawValue)", back: language[.adminBack],
            error: error?.message, action: base, csrfToken: header.csrfToken, lang: language.rawValue,
            addHeading: language[.adminAddHeading, ["kind": language[kind.phrase]]],
            codeLabel: language[.adminCode], codeHint: language[.adminCodeHint], nameLabel: language[.adminName],
            englishNameLabel: language[.adminEnglishName], englishNameHint: language[.adminEnglishNameHint],
            departmentLabel: language[.adminDepartment], windowLabel: language[.adminWindow], stateLabel: language[.adminState],
            editLabel: language[.adminEdit], saveLabel: language[.adminSave], addLabel: language[.adminAdd],
            hasDepartment: kind.hasDepartment, hasWindow: kind == .staff, hasEnglishName: kind.hasEnglishName,
            addForm: .init(
                idPrefix: "new", code: draft.code, name: draft.name, englishName: draft.englishName,
                departments: departmentOptions(draft.department.isEmpty ? nil : draft.department), windows: windowOptions(draft.window)
            ),
            rows: rows, empty: rows.isEmpty ? language[.adminEmpty] : nil
        )
        return .html(try render(context, "admin_list"), status: error?.status ?? 200)
    }
}
