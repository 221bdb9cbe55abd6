import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// What the dashboard shows, read for one person's departments.
struct DashboardData {
    struct DepartmentFigures {
        var department: Department
        var month: Indicator
        var quarter: Indicator
        var monthCases: CaseIndicators
        var quarterCases: CaseIndicators
        /// The 12 months ending with this one, oldest first.
        var trend: [(period: Period, indicator: Indicator)]
    }

    var month: Period
    var quarter: Period
    var departments: [DepartmentFigures]
    var latest: [FeedbackEntry]
    var openCases: OpenCaseSummary
    /// The newest response id when the page was read: the live feed starts after it.
    var latestID: Int64
    var today: LocalDay
}

extension WebApplication {
    /// Months in the dashboard's trend.
    static let dashboardTrendMonths = 12

    /// The dashboard's figures for `scope`: the indicators of this month, this quarter and
    /// the last twelve months from one read, the case figures, the latest feedback and the
    /// open cases.
    func dashboardData(scope: DepartmentScope, now: Int64 = UTCTimestamp.nowMillis()) throws -> DashboardData {
        // First, so a response stored while the page is read is sent live rather than lost.
        let latestID = try store.latestResponseID()
        let today = LocalDay(instantMillis: now, in: configuration.timeZone)
        guard let month = Period.containing(today, granularity: .month),
              let quarter = Period.containing(today, granularity: .quarter) else {
            throw Router.internalError
        }
        let months = month.trend(count: Self.dashboardTrendMonths)
        let (monthTallies, quarterTallies, series) = try store.snapshot { reads in
            (try reads.tallies(month, by: .department), try reads.tallies(quarter, by: .department),
             try reads.trendTallies(months, by: .department))
        }
        let monthCases = try CaseFigures.compute(store: store, period: month)
        let quarterCases = try CaseFigures.compute(store: store, period: quarter)
        let policy = configuration.indicatorPolicy
        let departments = directory.departments.filter { scope.includes($0.code) }.map { department in
            let group = TallyGroup.department(id: department.id)
            return DashboardData.DepartmentFigures(
                department: department,
                month: Indicator.compute(monthTallies[group] ?? .zero, policy: policy),
                quarter: Indicator.compute(quarterTallies[group] ?? .zero, policy: policy),
                monthCases: monthCases[department.code] ?? .zero,
                quarterCases: quarterCases[department.code] ?? .zero,
                trend: zip(months, series).map { period, tallies in
                    (period, Indicator.compute(tallies[group] ?? .zero, policy: policy))
                }
            )
        }
        return DashboardData(
            month: month, quarter: quarter, departments: departments,
            latest: try store.feedback(FeedbackFilter(), scope: scope, limit: 10).entries,
            openCases: try store.openCases(scope: scope, limit: 20, today: today),
            latestID: latestID, today: today
        )
    }
}

/// The `dashboard` template.
struct DashboardContext {
    struct FigureRow {
        var period: String
        var indicator: String
        var grade: String
        var responses: Int64
        var rectification: String
        var onTime: String
        var callback: String
        var meanDays: String
    }

    struct TrendValue {
        var period: String
        var value: String
    }

    struct DepartmentCard {
        var name: String
        var code: String
        var rows: [FigureRow]
        var chart: String
        var trendCaption: String
        var trendValues: [TrendValue]
    }

    struct CaseRow {
        var id: Int64
        var department: String
        var responseID: Int64
        var opened: String
        var deadline: String
        var state: String
        var overdue: Bool
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var liveConnecting: String
    var liveLabels: String
    var since: Int64
    var latestHeading: String
    var columns: [String]
    var latest: [FeedbackRowContext]
    var noFeedback: String?
    var moreFeedback: String
    var casesHeading: String
    var openSummary: String
    var overdueSummary: String?
    var caseColumns: [String]
    var cases: [CaseRow]
    var overdueLabel: String
    var noCases: String?
    var figuresHeading: String
    var figureColumns: [String]
    var departments: [DepartmentCard]
}

extension Templates {
    static let dashboard = """
    {{> layout}}
    <main class="staff staff-dashboard">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      <section class="live" aria-labelledby="live-heading">
        <h2 id="live-heading">{{latestHeading}}</h2>
        <p id="live-status" class="live-status" role="status" data-since="{{since}}" data-labels="{{liveLabels}}">{{liveConnecting}}</p>
        <table class="feedback-table" id="latest-feedback">
          <thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead>
          <tbody>
          {{#latest}}{{> feedback_row}}{{/latest}}
          </tbody>
        </table>
        {{#noFeedback}}<p class="empty">{{noFeedback}}</p>{{/noFeedback}}
        <p><a href="/staff/feedback">{{moreFeedback}}</a></p>
      </section>
      <section class="cases" aria-labelledby="cases-heading">
        <h2 id="cases-heading">{{casesHeading}}</h2>
        <p class="case-summary"><span id="open-count">{{openSummary}}</span>
        {{#overdueSummary}} <strong class="overdue-summary">⚠ {{overdueSummary}}</strong>{{/overdueSummary}}</p>
        {{#noCases}}<p class="empty">{{noCases}}</p>{{/noCases}}
        <table class="case-table">
          <thead><tr>{{#caseColumns}}<th scope="col">{{.}}</th>{{/caseColumns}}</tr></thead>
          <tbody>
          {{#cases}}
          <tr class="{{#overdue}}overdue{{/overdue}}">
            <td><a href="/staff/cases/{{id}}">#{{id}}</a></td>
            <td>{{department}}</td>
            <td><a href="/staff/feedback/{{responseID}}">#{{responseID}}</a></td>
            <td>{{opened}}</td>
            <td>{{deadline}}{{#overdue}} <strong class="badge overdue-badge">⚠ {{overdueLabel}}</strong>{{/overdue}}</td>
            <td>{{state}}</td>
          </tr>
          {{/cases}}
          </tbody>
        </table>
      </section>
      <section class="figures" aria-labelledby="figures-heading">
        <h2 id="figures-heading">{{figuresHeading}}</h2>
        <div class="cards">
        {{#departments}}
        <article class="department-card">
          <h3>{{name}} <span class="code">({{code}})</span></h3>
          <table class="figure-table">
            <thead><tr>{{#figureColumns}}<th scope="col">{{.}}</th>{{/figureColumns}}</tr></thead>
            <tbody>
            {{#rows}}
            <tr><th scope="row">{{period}}</th><td class="indicator">{{indicator}}</td><td>{{grade}}</td><td>{{responses}}</td>
            <td>{{rectification}}</td><td>{{onTime}}</td><td>{{callback}}</td><td>{{meanDays}}</td></tr>
            {{/rows}}
            </tbody>
          </table>
          <figure class="trend">
            {{{chart}}}
            <figcaption>{{trendCaption}}</figcaption>
            <table class="trend-values">
              <tr>{{#trendValues}}<th scope="col">{{period}}</th>{{/trendValues}}</tr>
              <tr>{{#trendValues}}<td>{{value}}</td>{{/trendValues}}</tr>
            </table>
          </figure>
        </article>
        {{/departments}}
        </div>
      </section>
    </main>
    {{> footer}}
    """
}

extension DailyPages {
    func dashboard(_ data: DashboardData, header: StaffHeader, directory: Directory, language: Language) throws -> Response {
        let timeZone = configuration.timeZone
        let departments = data.departments.map { figures in
            Self.card(figures, month: data.month, quarter: data.quarter, language: language)
        }
        let open = data.openCases
        let context = DashboardContext(
            layout: layout(title: language[.staffHomeTitle], language: language, script: "/static/js/staff.js"),
            heading: language[.staffHomeTitle], header: header,
            liveConnecting: language[.dashLiveConnecting],
            liveLabels: Self.liveLabels(language), since: data.latestID,
            latestHeading: language[.dashLatest],
            columns: Self.feedbackColumns(language, withStatus: false),
            latest: data.latest.map { FeedbackRowContext($0, directory: directory, timeZone: timeZone, language: language, withStatus: false) },
            noFeedback: data.latest.isEmpty ? language[.dashNoFeedback] : nil,
            moreFeedback: language[.dashAllFeedback],
            casesHeading: language[.dashOpenCases],
            openSummary: language[.dashOpenCount, ["count": String(open.open)]],
            overdueSummary: open.overdue > 0 ? language[.dashOverdueCount, ["count": String(open.overdue)]] : nil,
            caseColumns: [
                language[.dashCaseColumn], language[.dashDepartmentColumn], language[.dashResponseColumn],
                language[.dashOpenedColumn], language[.dashDeadlineColumn], language[.dashStateColumn],
            ],
            cases: open.earliest.map { file in
                DashboardContext.CaseRow(
                    id: file.id,
                    department: directory.departments.first { $0.code == file.departmentCode }?.name ?? file.departmentCode,
                    responseID: file.responseID, opened: file.openedDay.description, deadline: file.deadline.description,
                    state: language[StaffFormat.phrase(file.state.name)], overdue: file.isOverdue(on: data.today)
                )
            },
            overdueLabel: language[.dashOverdue],
            noCases: open.open == 0 ? language[.dashNoOpenCases] : nil,
            figuresHeading: language[.dashFigures],
            figureColumns: [
                language[.dashPeriodColumn], language[.dashIndicatorColumn], language[.dashGradeColumn], language[.dashResponsesColumn],
                language[.dashRectificationRate], language[.dashOnTimeRate], language[.dashCallbackRate], language[.dashMeanDays],
            ],
            departments: departments
        )
        return .html(try render(context, "dashboard"))
    }

    /// The words the script needs for rows it adds and for its status line, as
    /// `key=value` pairs separated by `|` in one data attribute (no inline script).
    static func liveLabels(_ language: Language) -> String {
        [
            ("live", Phrase.dashLiveOn), ("polling", .dashLivePolling), ("offline", .dashLiveOffline),
            ("signedOut", .dashLiveSignedOut), ("negative", .dashNegative), ("arrived", .dashLiveArrived),
        ].map { "\($0.0)=\(language[$0.1].replacingOccurrences(of: "|", with: "/"))" }.joined(separator: "|")
    }

    static func feedbackColumns(_ language: Language, withStatus: Bool) -> [String] {
        [
            language[.dashIDColumn], language[.dashTimeColumn], language[.dashDepartmentColumn], language[.dashWindowColumn],
            language[.dashLevelsColumn], language[.dashCommentColumn],
        ] + (withStatus ? [language[.reviewStatusColumn]] : [])
    }

    static func card(
        _ figures: DashboardData.DepartmentFigures, month: Period, quarter: Period, language: Language
    ) -> DashboardContext.DepartmentCard {
        func row(_ period: Period, _ indicator: Indicator, _ cases: CaseIndicators) -> DashboardContext.FigureRow {
            DashboardContext.FigureRow(
                period: period.description, indicator: indicator.composite?.description ?? "–",
                grade: StaffFormat.status(indicator.status, language), responses: indicator.negativeRate.total,
                rectification: StaffFormat.rate(cases.rectificationRate), onTime: StaffFormat.rate(cases.onTimeRate),
                callback: StaffFormat.rate(cases.callbackRate), meanDays: StaffFormat.days(cases.meanWorkingDaysToRectify)
            )
        }
        let name = figures.department.name
        let points = figures.trend.map { period, indicator in
            TrendChart.Point(
                label: Self.monthLabel(period),
                value: indicator.composite?.publishedDouble,
                caption: "\(period.description): " + (indicator.composite?.description ?? StaffFormat.status(indicator.status, language))
            )
        }
        let first = figures.trend.first?.period.description ?? ""
        let last = figures.trend.last?.period.description ?? ""
        let chart = TrendChart(
            id: "trend-\(figures.department.code)",
            title: language[.dashTrendTitle, ["department": name]],
            description: language[.dashTrendDescription, ["from": first, "to": last]],
            points: points
        )
        return DashboardContext.DepartmentCard(
            name: name, code: figures.department.code,
            rows: [row(month, figures.month, figures.monthCases), row(quarter, figures.quarter, figures.quarterCases)],
            chart: chart.svg, trendCaption: language[.dashTrendTitle, ["department": name]],
            trendValues: figures.trend.map { period, indicator in
                DashboardContext.TrendValue(period: period.description, value: indicator.composite?.description ?? "–")
            }
        )
    }

    /// The month's number, as the chart's axis labels it.
    static func monthLabel(_ period: Period) -> String {
        if case .month(_, let month) = period.kind { return String(month) }
        return period.description
    }
}
