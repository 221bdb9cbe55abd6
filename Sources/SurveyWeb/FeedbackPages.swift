import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// A choice of a filter's `<select>`.
struct FilterOption {
    var value: String
    var label: String
    var selected: Bool
}

/// A labelled `<select>` of the review's filter form.
struct FilterSelect {
    var name: String
    var label: String
    var options: [FilterOption]
}

/// The `feedback_list` template: the filters, a page of responses, the next page, the export.
struct FeedbackListContext {
    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var filtersLegend: String
    var periodLabel: String
    var periodHint: String
    var period: String
    var searchLabel: String
    var q: String
    var selects: [FilterSelect]
    var negativeLabel: String
    var negativeChecked: Bool
    var apply: String
    var reset: String
    var columns: [String]
    var rows: [FeedbackRowContext]
    var empty: String?
    var nextURL: String?
    var nextLabel: String
    var firstURL: String?
    var firstLabel: String
    var exportURL: String
    var exportLabel: String
}

/// The `feedback_detail` template: everything stored about one response, its status
/// history, its case, and the flag or restore form.
struct FeedbackDetailContext {
    struct Field {
        var label: String
        var value: String
    }

    struct Change {
        var when: String
        var from: String
        var to: String
        var reason: String
        var by: String
    }

    struct HistoryEntry {
        var when: String
        var actor: String
        var action: String
        var states: String
        var note: String
    }

    struct CaseSection {
        var heading: String
        var id: Int64
        var link: String
        var summary: String
        var overdue: Bool
        var overdueLabel: String
        var columns: [String]
        var history: [HistoryEntry]
    }

    struct StatusForm {
        var legend: String
        var action: String
        var csrfToken: String
        var statusLabel: String
        var options: [FilterOption]
        var reasonLabel: String
        var reasonHint: String
        var submit: String
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var back: String
    var negative: Bool
    var negativeLabel: String
    var error: String?
    var fields: [Field]
    var changesHeading: String
    var changeColumns: [String]
    var changes: [Change]
    var noChanges: String?
    var caseSection: CaseSection?
    var form: StatusForm?
}

extension Templates {
    static let feedbackList = """
    {{> layout}}
    <main class="staff staff-feedback">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      <form method="get" action="/staff/feedback" class="filters">
        <fieldset>
          <legend>{{filtersLegend}}</legend>
          <div class="filter-grid">
          <p><label for="f-period">{{periodLabel}}</label>
          <input id="f-period" name="period" type="text" value="{{period}}" aria-describedby="f-period-hint" spellcheck="false">
          <span id="f-period-hint" class="hint">{{periodHint}}</span></p>
          <p><label for="f-q">{{searchLabel}}</label>
          <input id="f-q" name="q" type="search" value="{{q}}" maxlength="100"></p>
          {{#selects}}
          <p><label for="f-{{name}}">{{label}}</label>
          <select id="f-{{name}}" name="{{name}}">
          {{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}
          </select></p>
          {{/selects}}
          <p class="check"><input id="f-negative" name="negative" type="checkbox" value="true"{{#negativeChecked}} checked{{/negativeChecked}}>
          <label for="f-negative">{{negativeLabel}}</label></p>
          <p class="actions"><button type="submit">{{apply}}</button> <a href="/staff/feedback">{{reset}}</a>
          <a class="export" href="{{exportURL}}">{{exportLabel}}</a></p>
          </div>
        </fieldset>
      </form>
      {{#empty}}<p class="empty">{{empty}}</p>{{/empty}}
      <table class="feedback-table">
        <thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}{{> feedback_row}}{{/rows}}
        </tbody>
      </table>
      <nav class="pages">{{#firstURL}}<a href="{{firstURL}}">{{firstLabel}}</a> {{/firstURL}}{{#nextURL}}<a rel="next" href="{{nextURL}}">{{nextLabel}}</a>{{/nextURL}}</nav>
    </main>
    {{> footer}}
    """

    static let feedbackDetail = """
    {{> layout}}
    <main class="staff staff-feedback-detail">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}{{#negative}} <strong class="badge">{{negativeLabel}}</strong>{{/negative}}</h1>
      {{> staff_header}}
      <p><a href="/staff/feedback">{{back}}</a></p>
      {{#error}}<p class="error-summary" role="alert">⚠ {{error}}</p>{{/error}}
      <dl class="response-fields">
      {{#fields}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/fields}}
      </dl>
      {{#caseSection}}
      <section class="case" aria-labelledby="case-heading">
        <h2 id="case-heading">{{heading}}</h2>
        <p><a href="{{link}}">#{{id}}</a> {{summary}}{{#overdue}} <strong class="badge overdue-badge">⚠ {{overdueLabel}}</strong>{{/overdue}}</p>
        <table class="history">
          <thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead>
          <tbody>
          {{#history}}<tr><td>{{when}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{states}}</td><td>{{note}}</td></tr>{{/history}}
          </tbody>
        </table>
      </section>
      {{/caseSection}}
      <section class="status-changes" aria-labelledby="changes-heading">
        <h2 id="changes-heading">{{changesHeading}}</h2>
        {{#noChanges}}<p class="empty">{{noChanges}}</p>{{/noChanges}}
        <table class="history">
          <thead><tr>{{#changeColumns}}<th scope="col">{{.}}</th>{{/changeColumns}}</tr></thead>
          <tbody>
          {{#changes}}<tr><td>{{when}}</td><td>{{from}}</td><td>{{to}}</td><td>{{reason}}</td><td>{{by}}</td></tr>{{/changes}}
          </tbody>
        </table>
      </section>
      {{#form}}
      <form method="post" action="{{action}}" class="staff-form status-form">
        <fieldset>
          <legend>{{legend}}</legend>
          <input type="hidden" name="csrf_token" value="{{csrfToken}}">
          <p><label for="status">{{statusLabel}}</label>
          <select id="status" name="status">
          {{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}
          </select></p>
          <p><label for="reason">{{reasonLabel}}</label>
          <textarea id="reason" name="reason" rows="3" maxlength="500" required aria-describedby="reason-hint"></textarea>
          <span id="reason-hint" class="hint">{{reasonHint}}</span></p>
          <p><button type="submit">{{submit}}</button></p>
        </fieldset>
      </form>
      {{/form}}
    </main>
    {{> footer}}
    """
}

extension DailyPages {
    /// The review's list page for `query`, showing `page`.
    func feedbackList(
        _ page: FeedbackPage, query: FeedbackListQuery, request: Request, scope: DepartmentScope,
        header: StaffHeader, directory: Directory, language: Language
    ) throws -> Response {
        let filter = query.filter
        let departments = directory.departments.filter { scope.includes($0.code) }
        let departmentIDs = Set(departments.map(\.id))
        func options(_ all: [(String, String)], _ chosen: String?) -> [FilterOption] {
            [FilterOption(value: "", label: language[.reviewAny], selected: chosen == nil)]
                + all.map { FilterOption(value: $0.0, label: $0.1, selected: $0.0 == chosen) }
        }
        let levelChoice = filter.level.map { level in
            level.dimension.map { "\($0.rawValue):\(level.level.rawValue)" } ?? String(level.level.rawValue)
        }
        let hasComment = filter.hasComment.map { $0 ? "true" : "false" }
        let status = filter.statuses.count == 1 ? filter.statuses.first?.rawValue : nil
        let selects = [
            FilterSelect(name: "department", label: language[.dashDepartmentColumn],
                         options: options(departments.map { ($0.code, "\($0.name) (\($0.code))") }, filter.departmentCode)),
            FilterSelect(name: "window", label: language[.dashWindowColumn], options: options(
                directory.windows.filter { departmentIDs.contains($0.departmentID) }.map { ($0.code, "\($0.name) (\($0.code))") },
                filter.windowCode)),
            FilterSelect(name: "staff", label: language[.reviewStaffLabel], options: options(
                directory.staff.filter { departmentIDs.contains($0.departmentID) }.map { ($0.code, "\($0.name) (\($0.code))") },
                filter.staffCode)),
            FilterSelect(name: "service_item", label: language[.reviewItemLabel], options: options(
                directory.items.filter { departmentIDs.contains($0.departmentID) }.map { ($0.code, "\($0.name) (\($0.code))") },
                filter.serviceItemCode)),
            FilterSelect(name: "channel", label: language[.reviewChannelLabel],
                         options: options(Channel.allCases.map { ($0.rawValue, language[StaffFormat.phrase($0)]) }, filter.channel?.rawValue)),
            FilterSelect(name: "level", label: language[.reviewLevelLabel],
                         options: options((1...5).reversed().map { (String($0), Self.levelText($0, language)) }, levelChoice)),
            FilterSelect(name: "has_comment", label: language[.reviewHasCommentLabel],
                         options: options([("true", language[.reviewYes]), ("false", language[.reviewNo])], hasComment)),
            FilterSelect(name: "status", label: language[.reviewStatusColumn],
                         options: options(ResponseStatus.allCases.map { ($0.rawValue, language[StaffFormat.phrase($0)]) }, status)),
        ]
        let filters = Self.filterItems(request)
        let timeZone = configuration.timeZone
        let context = FeedbackListContext(
            layout: layout(title: language[.reviewTitle], language: language), heading: language[.reviewTitle], header: header,
            filtersLegend: language[.reviewFilters], periodLabel: language[.reviewPeriodLabel], periodHint: language[.reviewPeriodHint],
            period: request.query("period") ?? "", searchLabel: language[.reviewSearchLabel], q: filter.search ?? "",
            selects: selects, negativeLabel: language[.reviewNegativeOnly], negativeChecked: filter.negativeOnly,
            apply: language[.reviewApply], reset: language[.reviewReset],
            columns: Self.feedbackColumns(language, withStatus: true),
            rows: page.entries.map { FeedbackRowContext($0, directory: directory, timeZone: timeZone, language: language, withStatus: true) },
            empty: page.entries.isEmpty ? language[.reviewEmpty] : nil,
            nextURL: page.next.map { "/staff/feedback?" + Self.queryString(filters + [("cursor", $0.token)]) },
            nextLabel: language[.reviewNext],
            firstURL: query.cursor == nil ? nil : "/staff/feedback" + (filters.isEmpty ? "" : "?" + Self.queryString(filters)),
            firstLabel: language[.reviewFirst],
            exportURL: "/staff/feedback.csv" + (filters.isEmpty ? "" : "?" + Self.queryString(filters)),
            exportLabel: language[.reviewExport]
        )
        return .html(try render(context, "feedback_list"))
    }

    /// The request's filters, without the cursor and without empty values: what the next
    /// page and the export repeat.
    static func filterItems(_ request: Request) -> [(String, String)] {
        request.queryItems.filter { !$0.value.isEmpty && $0.name != "cursor" }.map { ($0.name, $0.value) }
    }

    static func queryString(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func levelText(_ level: Int, _ language: Language) -> String {
        let phrases: [Phrase] = [.level1, .level2, .level3, .level4, .level5]
        return "\(level) \(language[phrases[min(max(level, 1), 5) - 1]])"
    }

    /// The detail page of one response; `error` when a flag was refused.
    func feedbackDetail(
        _ detail: FeedbackDetail, caseDetail: CaseDetail?, session: StaffSession, header: StaffHeader,
        language: Language, today: LocalDay, error: String? = nil
    ) throws -> Response {
        let entry = detail.entry
        let response = entry.response
        let timeZone = configuration.timeZone
        func named(_ name: String?, _ code: String?) -> String {
            guard let code else { return "–" }
            return name.map { "\($0) (\(code))" } ?? code
        }
        let fields: [FeedbackDetailContext.Field] = [
            .init(label: language[.dashIDColumn], value: String(response.id)),
            .init(label: language[.dashTimeColumn], value: StaffFormat.localTime(response.createdAtMillis, in: timeZone)),
            .init(label: language[.reviewStoredAt], value: response.createdAtISO8601),
            .init(label: language[.dashDepartmentColumn], value: named(detail.departmentName, response.departmentCode)),
            .init(label: language[.dashWindowColumn], value: named(detail.windowName, response.windowCode)),
            .init(label: language[.reviewItemLabel], value: named(detail.serviceItemName, response.serviceItemCode)),
            .init(label: language[.reviewStaffLabel], value: named(detail.staffName, response.staffCode)),
            .init(label: language[.reviewChannelLabel], value: language[StaffFormat.phrase(response.channel)]),
            .init(label: language[.attitudeLabel], value: Self.levelText(response.ratings.attitude.rawValue, language)),
            .init(label: language[.efficiencyLabel], value: Self.levelText(response.ratings.efficiency.rawValue, language)),
            .init(label: language[.resultLabel], value: Self.levelText(response.ratings.result.rawValue, language)),
            .init(label: language[.reviewReasons], value: response.reasons.isEmpty ? "–" : response.reasons.joined(separator: "；")),
            .init(label: language[.dashCommentColumn], value: response.comment ?? "–"),
            .init(label: language[.reviewStatusColumn], value: language[StaffFormat.phrase(entry.status)]),
            .init(label: language[.reviewClientID], value: response.clientID),
        ]
        let caseSection = caseDetail.map { found in
            FeedbackDetailContext.CaseSection(
                heading: language[.reviewCaseHeading], id: found.file.id, link: "/staff/cases/\(found.file.id)",
                summary: language[.reviewCaseSummary, [
                    "state": language[StaffFormat.phrase(found.file.state.name)], "deadline": found.file.deadline.description,
                ]],
                overdue: found.file.isOverdue(on: today), overdueLabel: language[.dashOverdue],
                columns: [language[.dashTimeColumn], language[.reviewByColumn], language[.reviewActionColumn],
                          language[.dashStateColumn], language[.reviewNoteColumn]],
                history: found.history.map { item in
                    FeedbackDetailContext.HistoryEntry(
                        when: StaffFormat.localTime(item.atMillis, in: timeZone), actor: item.actor, action: item.event.action.rawValue,
                        states: language[StaffFormat.phrase(item.event.from)] + " → " + language[StaffFormat.phrase(item.event.to)],
                        note: item.event.note ?? ""
                    )
                }
            )
        }
        let role = session.user.role
        let form: FeedbackDetailContext.StatusForm? = role.mayChange ? FeedbackDetailContext.StatusForm(
            legend: language[.reviewFlagLegend], action: "/staff/feedback/\(response.id)/status", csrfToken: session.csrfToken,
            statusLabel: language[.reviewStatusColumn],
            options: ResponseStatus.allCases.filter { $0 != entry.status && ($0 != .valid || role == .admin) }.map { status in
                FilterOption(value: status.rawValue, label: language[StaffFormat.phrase(status)], selected: false)
            },
            reasonLabel: language[.reviewReasonLabel], reasonHint: language[.reviewReasonHint], submit: language[.reviewFlagSubmit]
        ) : nil
        let context = FeedbackDetailContext(
            layout: layout(title: language[.reviewDetailTitle, ["id": String(response.id)]], language: language),
            heading: language[.reviewDetailTitle, ["id": String(response.id)]], header: header,
            back: language[.reviewBack], negative: response.isNegative, negativeLabel: language[.dashNegative], error: error,
            fields: fields, changesHeading: language[.reviewChangesHeading],
            changeColumns: [language[.dashTimeColumn], language[.reviewFromColumn], language[.reviewToColumn],
                            language[.reviewReasonLabel], language[.reviewByColumn]],
            changes: detail.statusChanges.map { change in
                FeedbackDetailContext.Change(
                    when: StaffFormat.localTime(change.changedAtMillis, in: timeZone), from: language[StaffFormat.phrase(change.from)],
                    to: language[StaffFormat.phrase(change.to)], reason: change.reason, by: change.changedBy ?? "–"
                )
            },
            noChanges: detail.statusChanges.isEmpty ? language[.reviewNoChanges] : nil,
            caseSection: caseSection,
            form: form?.options.isEmpty == false ? form : nil
        )
        return .html(try render(context, "feedback_detail"), status: error == nil ? 200 : 422)
    }
}
