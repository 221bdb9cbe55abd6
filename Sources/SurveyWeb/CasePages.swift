import Foundation
import MicroHTTP
import Mustache
import SurveyCore
import SurveyStore

// MARK: Templates

extension Templates {
    /// The case pages, with the staff pages' layout, footer and header.
    static let cases: [String: String] = [
        "layout": layout, "footer": footer, "staff_header": staffHeader, "cases": caseList, "case": caseDetail,
    ]

    static let caseList = """
    {{> layout}}
    <main class="staff staff-cases">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      <form method="get" action="/staff/cases" class="case-filters">
        {{#lang}}<input type="hidden" name="lang" value="{{lang}}">{{/lang}}
        <p><label for="filter-state">{{stateLabel}}</label>
        <select id="filter-state" name="state">{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select></p>
        {{#departmentFilter}}<p><label for="filter-department">{{label}}</label>
        <select id="filter-department" name="department">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select></p>{{/departmentFilter}}
        <p><label for="filter-assignee">{{assigneeLabel}}</label>
        <input id="filter-assignee" name="assignee" type="text" value="{{assignee}}" autocapitalize="none" spellcheck="false"></p>
        <p class="check"><input id="filter-overdue" name="overdue" type="checkbox" value="true"{{#overdueChecked}} checked{{/overdueChecked}}>
        <label for="filter-overdue">{{overdueLabel}}</label></p>
        <p><button type="submit">{{apply}}</button></p>
      </form>
      {{#empty}}<p class="empty">{{empty}}</p>{{/empty}}
      <table class="cases">
        <thead><tr><th>{{idHeading}}</th><th>{{departmentHeading}}</th><th>{{stateHeading}}</th><th>{{openedHeading}}</th><th>{{deadlineHeading}}</th><th>{{assigneeHeading}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="{{rowClass}}" data-case="{{id}}"><td><a href="{{href}}">{{id}}</a></td><td>{{department}}</td><td class="state">{{state}}{{#pending}} <span class="pending">({{pending}})</span>{{/pending}}</td><td>{{opened}}</td><td class="deadline">{{deadline}}{{#overdue}} <strong class="overdue-mark">⚠ {{overdue}}</strong>{{/overdue}}</td><td>{{assignee}}</td></tr>
        {{/rows}}
        </tbody>
      </table>
      <nav class="pages">{{#firstHref}}<a href="{{firstHref}}">{{firstLabel}}</a> {{/firstHref}}{{#nextHref}}<a href="{{nextHref}}" rel="next">{{nextLabel}}</a>{{/nextHref}}</nav>
    </main>
    {{> footer}}
    """

    static let caseDetail = """
    {{> layout}}
    <main class="staff staff-case">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      <p><a href="{{backHref}}">{{backLabel}}</a></p>
      {{#error}}<div class="error-summary" role="alert"><h2>{{errorHeading}}</h2><p>{{error}}</p></div>{{/error}}
      <section class="case-facts">
        <dl>{{#caseFacts}}<dt>{{label}}</dt><dd class="{{className}}">{{value}}</dd>{{/caseFacts}}</dl>
      </section>
      <section class="case-response">
        <h2>{{responseHeading}}</h2>
        <ul class="ratings">{{#ratings}}<li class="level-{{value}}{{#negative}} negative{{/negative}}">{{label}}：<strong>{{level}}</strong> ({{value}})</li>{{/ratings}}</ul>
        <dl>{{#responseFacts}}<dt>{{label}}</dt><dd class="{{className}}">{{value}}</dd>{{/responseFacts}}</dl>
      </section>
      <section class="case-actions">
        <h2>{{actionsHeading}}</h2>
        {{#noActions}}<p>{{noActions}}</p>{{/noActions}}
        {{#forms}}
        <form method="post" action="{{formAction}}" class="staff-form case-action" id="action-{{action}}">
          <fieldset>
            <legend>{{title}}</legend>
            <input type="hidden" name="csrf_token" value="{{csrfToken}}">
            <input type="hidden" name="action" value="{{action}}">
            {{#selects}}<p><label for="{{action}}-{{name}}">{{label}}</label>
            <select id="{{action}}-{{name}}" name="{{name}}" required>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select></p>{{/selects}}
            {{#number}}<p><label for="{{action}}-{{name}}">{{label}}</label>
            <input id="{{action}}-{{name}}" name="{{name}}" type="number" min="{{min}}" max="{{max}}" required></p>{{/number}}
            {{#checkbox}}<p class="check"><input id="{{action}}-{{name}}" name="{{name}}" type="checkbox" value="true">
            <label for="{{action}}-{{name}}">{{label}}</label></p>{{/checkbox}}
            {{#texts}}<p><label for="{{action}}-{{name}}">{{label}}</label>
            <textarea id="{{action}}-{{name}}" name="{{name}}" rows="2" maxlength="1000"{{#required}} required{{/required}}></textarea></p>{{/texts}}
            <p><button type="submit">{{title}}</button></p>
          </fieldset>
        </form>
        {{/forms}}
      </section>
      <section class="case-history">
        <h2>{{historyHeading}}</h2>
        <table class="audit">
          <thead><tr><th>{{whenHeading}}</th><th>{{whoHeading}}</th><th>{{actionHeading}}</th><th>{{changeHeading}}</th><th>{{noteHeading}}</th></tr></thead>
          <tbody>
          {{#events}}<tr><td>{{when}}</td><td>{{who}}</td><td>{{action}}</td><td>{{change}}</td><td>{{note}}{{#data}} <code>{{data}}</code>{{/data}}</td></tr>{{/events}}
          </tbody>
        </table>
      </section>
    </main>
    {{> footer}}
    """
}

// MARK: Rendering

/// Renders the case list and the case page. A page that cannot be rendered throws (500).
final class CasePages: Sendable {
    private let kit: StaffPageKit

    init(configuration: WebConfiguration, settings: @escaping @Sendable () -> CenterSettings) throws {
        self.kit = try StaffPageKit(templates: [Templates.cases], settings: settings)
    }

    func render(_ context: Any, _ template: String, status: Int = 200) throws -> Response {
        .html(try kit.render(context, template), status: status)
    }

    func layout(title: String, language: Language) -> PageLayout {
        kit.layout(title: title, language: language)
    }
}

/// The words and shapes the case pages share.
enum CaseWording {
    static func action(_ name: CaseActionName) -> Phrase {
        switch name {
        case .start: .caseActionStart
        case .rectify: .caseActionRectify
        case .close: .caseActionClose
        case .assign: .caseActionAssign
        case .note: .caseActionNote
        case .appeal: .caseActionAppeal
        case .approveAppeal: .caseActionApproveAppeal
        case .rejectAppeal: .caseActionRejectAppeal
        case .requestExtension: .caseActionRequestExtension
        case .approveExtension: .caseActionApproveExtension
        case .rejectExtension: .caseActionRejectExtension
        }
    }

    static func callback(_ result: CallbackResult) -> Phrase {
        switch result {
        case .satisfied: .caseCallbackSatisfied
        case .basicallySatisfied: .caseCallbackBasicallySatisfied
        case .dissatisfied: .caseCallbackDissatisfied
        case .unreachable: .caseCallbackUnreachable
        }
    }

    static func ruling(_ ruling: AppealRuling) -> Phrase {
        switch ruling {
        case .invalid: .caseRulingInvalid
        case .malicious: .caseRulingMalicious
        }
    }

    /// The state in words, with the pending request's kind.
    static func state(_ state: CaseState, _ language: Language) -> (state: String, pending: String?) {
        let pending: String? = switch state.pending {
        case .appeal?: language[.casePendingAppealName]
        case .extension?: language[.casePendingExtensionName]
        case nil: nil
        }
        return (language[WebApplication.phrase(state.name)], pending)
    }

    /// The actions `principal` may take on `file` now: what the state allows, as far as
    /// their authority over the case reaches.
    static func actions(for principal: Principal, on file: CaseFile) -> [CaseActionName] {
        let authority = CaseAuthority.of(principal, over: file)
        return CaseMachine.allowedActions(in: file.state).filter { authority >= $0.authority }
    }
}
