import Foundation
import MicroHTTP
import Mustache
import SurveyCore
import SurveyStore

// MARK: Contexts

/// The `admin_settings` template: the four sections of the center settings, each its own
/// form, with the outcome of the last change or what was wrong with it.
struct SettingsPageContext {
    struct Notice {
        var text: String
        var isError: Bool
    }

    struct Section {
        var id: String
        var heading: String
        var origin: String?
        var notice: Notice?
    }

    struct ReasonField {
        var name: String
        var label: String
        var text: String
    }

    struct WeightField {
        var name: String
        var label: String
        var value: String
    }

    struct BandRow {
        var index: Int
        var code: String
        var label: String
        var labelEnglish: String
        var min: String
    }

    struct CalendarRow {
        var date: String
        var kind: String
        var source: String
        var note: String
        var removable: Bool
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var csrfToken: String
    var lang: String
    var save: String
    var reasons: Section
    var reasonsHint: String
    var reasonFields: [ReasonField]
    var method: Section
    var methodHint: String
    var weightsLegend: String
    var weights: [WeightField]
    var bandsLegend: String
    var bandCode: String
    var bandLabel: String
    var bandLabelEnglish: String
    var bandMin: String
    var bands: [BandRow]
    var minimumSampleLabel: String
    var minimumSample: String
    var center: Section
    var centerNameLabel: String
    var centerName: String
    var centerNameEnglishLabel: String
    var centerNameEnglish: String
    var centerNameEnglishHint: String
    var timeZoneLabel: String
    var timeZone: String
    var timeZoneHint: String
    var calendar: Section
    var calendarHint: String
    var yearLabel: String
    var year: String
    var show: String
    var dateLabel: String
    var kindLabel: String
    var noteLabel: String
    var sourceLabel: String
    var holiday: String
    var workingDay: String
    var add: String
    var remove: String
    var days: [CalendarRow]
    var emptyYear: String?
}

/// What the settings page shows besides the settings in force: the outcome of the last
/// change (after a redirect) or the refused input, kept so nothing typed is lost.
struct SettingsPageState {
    var section: String?
    var notice: SettingsPageContext.Notice?
    var status = 200
    var reasonTexts: [String: String] = [:]
    var weights: [String: String] = [:]
    var bands: [SettingsPageContext.BandRow]?
    var minimumSample: String?
    var centerName: String?
    var centerNameEnglish: String?
    var timeZone: String?
    var year: Int
}

// MARK: Template

extension Templates {
    /// The opening of one section: its heading, where its value comes from, and the outcome
    /// of the last change to it. The section's `</section>` is in the page template.
    static let settingsSectionHead = """
    <section id="{{id}}" class="settings-section">
      <h2>{{heading}}</h2>
      {{#origin}}<p class="origin">{{origin}}</p>{{/origin}}
      {{#notice}}<p class="{{#isError}}error-summary{{/isError}}{{^isError}}notice{{/isError}}" role="{{#isError}}alert{{/isError}}{{^isError}}status{{/isError}}">{{text}}</p>{{/notice}}
    """

    static let adminSettings = """
    {{> layout}}
    <main class="staff staff-settings">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      {{#reasons}}
      {{> settings_section_head}}
      {{/reasons}}
        <p class="hint">{{reasonsHint}}</p>
        <form method="post" action="/staff/admin/settings/reasons" class="staff-form">
          <input type="hidden" name="csrf_token" value="{{csrfToken}}">
          <input type="hidden" name="lang" value="{{lang}}">
          {{#reasonFields}}
          <p><label for="reasons-{{name}}">{{label}}</label>
          <textarea id="reasons-{{name}}" name="{{name}}" rows="7">{{text}}</textarea></p>
          {{/reasonFields}}
          <p><button type="submit">{{save}}</button></p>
        </form>
      </section>
      {{#method}}
      {{> settings_section_head}}
      {{/method}}
        <p class="hint">{{methodHint}}</p>
        <form method="post" action="/staff/admin/settings/method" class="staff-form">
          <input type="hidden" name="csrf_token" value="{{csrfToken}}">
          <input type="hidden" name="lang" value="{{lang}}">
          <fieldset><legend>{{weightsLegend}}</legend>
          {{#weights}}<p><label for="{{name}}">{{label}}</label> <input id="{{name}}" name="{{name}}" type="text" inputmode="decimal" value="{{value}}" required></p>{{/weights}}
          </fieldset>
          <fieldset><legend>{{bandsLegend}}</legend>
          <table class="bands">
            <thead><tr><th>{{bandCode}}</th><th>{{bandLabel}}</th><th>{{bandLabelEnglish}}</th><th>{{bandMin}}</th></tr></thead>
            <tbody>
            {{#bands}}
            <tr>
              <td><input name="band_code_{{index}}" aria-label="{{bandCode}} {{index}}" value="{{code}}"></td>
              <td><input name="band_label_{{index}}" aria-label="{{bandLabel}} {{index}}" value="{{label}}"></td>
              <td><input name="band_label_en_{{index}}" aria-label="{{bandLabelEnglish}} {{index}}" value="{{labelEnglish}}"></td>
              <td><input name="band_min_{{index}}" aria-label="{{bandMin}} {{index}}" inputmode="decimal" value="{{min}}"></td>
            </tr>
            {{/bands}}
            </tbody>
          </table>
          </fieldset>
          <p><label for="minimum_sample">{{minimumSampleLabel}}</label> <input id="minimum_sample" name="minimum_sample" type="text" inputmode="numeric" value="{{minimumSample}}" required></p>
          <p><button type="submit">{{save}}</button></p>
        </form>
      </section>
      {{#center}}
      {{> settings_section_head}}
      {{/center}}
        <form method="post" action="/staff/admin/settings/center" class="staff-form">
          <input type="hidden" name="csrf_token" value="{{csrfToken}}">
          <input type="hidden" name="lang" value="{{lang}}">
          <p><label for="center_name">{{centerNameLabel}}</label> <input id="center_name" name="name" type="text" value="{{centerName}}" required></p>
          <p><label for="center_name_en">{{centerNameEnglishLabel}}</label> <input id="center_name_en" name="name_en" type="text" lang="en" value="{{centerNameEnglish}}" aria-describedby="center_name_en_hint"></p>
          <p class="hint" id="center_name_en_hint">{{centerNameEnglishHint}}</p>
          <p><label for="time_zone">{{timeZoneLabel}}</label> <input id="time_zone" name="time_zone" type="text" value="{{timeZone}}" aria-describedby="time_zone_hint" required></p>
          <p class="hint" id="time_zone_hint">{{timeZoneHint}}</p>
          <p><button type="submit">{{save}}</button></p>
        </form>
      </section>
      {{#calendar}}
      {{> settings_section_head}}
      {{/calendar}}
        <p class="hint">{{calendarHint}}</p>
        <form method="get" action="/staff/admin/settings" class="staff-form inline">
          <input type="hidden" name="lang" value="{{lang}}">
          <label for="year">{{yearLabel}}</label> <input id="year" name="year" type="text" inputmode="numeric" value="{{year}}">
          <button type="submit">{{show}}</button>
        </form>
        {{#emptyYear}}<p>{{emptyYear}}</p>{{/emptyYear}}
        {{^emptyYear}}
        <table class="calendar">
          <thead><tr><th>{{dateLabel}}</th><th>{{kindLabel}}</th><th>{{sourceLabel}}</th><th>{{noteLabel}}</th><th></th></tr></thead>
          <tbody>
          {{#days}}
          <tr><td>{{date}}</td><td>{{kind}}</td><td>{{source}}</td><td>{{note}}</td>
          <td>{{#removable}}<form method="post" action="/staff/admin/settings/calendar/remove">
            <input type="hidden" name="csrf_token" value="{{csrfToken}}"><input type="hidden" name="lang" value="{{lang}}">
            <input type="hidden" name="date" value="{{date}}"><button type="submit" aria-label="{{remove}} {{date}}">{{remove}}</button>
          </form>{{/removable}}</td></tr>
          {{/days}}
          </tbody>
        </table>
        {{/emptyYear}}
        <form method="post" action="/staff/admin/settings/calendar" class="staff-form">
          <input type="hidden" name="csrf_token" value="{{csrfToken}}">
          <input type="hidden" name="lang" value="{{lang}}">
          <p><label for="calendar_date">{{dateLabel}}</label> <input id="calendar_date" name="date" type="text" placeholder="YYYY-MM-DD" required></p>
          <p><label for="calendar_kind">{{kindLabel}}</label>
          <select id="calendar_kind" name="kind"><option value="holiday">{{holiday}}</option><option value="working_day">{{workingDay}}</option></select></p>
          <p><label for="calendar_note">{{noteLabel}}</label> <input id="calendar_note" name="note" type="text"></p>
          <p><button type="submit">{{add}}</button></p>
        </form>
      </section>
    </main>
    {{> footer}}
    """
}

// MARK: Rendering

/// Renders the settings page with the staff pages' layout and header.
final class SettingsPages: Sendable {
    private let library: MustacheLibrary
    private let staffPages: StaffPages

    init(staffPages: StaffPages) throws {
        self.staffPages = staffPages
        var library = MustacheLibrary()
        for (name, template) in Templates.staff {
            try library.register(template, named: name)
        }
        try library.register(Templates.settingsSectionHead, named: "settings_section_head")
        try library.register(Templates.adminSettings, named: "admin_settings")
        self.library = library
    }

    /// The page: the settings in force, or what `state` kept of a refused change.
    func page(
        _ settings: CenterSettings, calendar: WorkingCalendar, entries: [CalendarOverride], state: SettingsPageState,
        session: StaffSession, directory: Directory, language: Language
    ) throws -> Response {
        func section(_ id: String, _ heading: Phrase, keys: [SettingKey]) -> SettingsPageContext.Section {
            let changed = keys.contains { settings.changedKeys.contains($0.rawValue) }
            return .init(
                id: id, heading: language[heading],
                origin: keys.isEmpty ? nil : language[changed ? .settingsChangedNote : .settingsDefaultNote],
                notice: state.section == id ? state.notice : nil
            )
        }
        let method = settings.method
        var bands = method.bands.bands.enumerated().map { index, band in
            SettingsPageContext.BandRow(
                index: index + 1, code: band.code, label: band.chineseLabel, labelEnglish: band.englishLabel,
                min: NSDecimalNumber(decimal: band.threshold).stringValue
            )
        }
        bands += (0..<2).map { SettingsPageContext.BandRow(index: bands.count + $0 + 1, code: "", label: "", labelEnglish: "", min: "") }
        let byDay = Dictionary(entries.map { ($0.day, $0) }, uniquingKeysWith: { $1 })
        let days = calendar.listedDays(in: state.year).map { day, kind in
            let entry = byDay[day]
            return SettingsPageContext.CalendarRow(
                date: day.description, kind: language[kind == .holiday ? .settingsKindHoliday : .settingsKindWorkingDay],
                source: entry.map { language[.settingsSourceAdmin, ["who": $0.updatedBy]] } ?? language[.settingsSourceFile],
                note: entry?.note ?? "", removable: true
            )
        } + entries.filter { $0.kind == .ordinary && $0.day.date.year == state.year }.map { entry in
            SettingsPageContext.CalendarRow(
                date: entry.day.description, kind: "–",
                source: language[.settingsRemovedNote, ["who": entry.updatedBy, "date": entry.day.description]],
                note: entry.note ?? "", removable: false
            )
        }
        let context = SettingsPageContext(
            layout: staffPages.layout(title: language[.settingsTitle], language: language), heading: language[.settingsTitle],
            header: staffPages.header(session, directory: directory, language: language),
            csrfToken: session.csrfToken, lang: language.rawValue, save: language[.settingsSave],
            reasons: section("reasons", .settingsReasonsHeading, keys: [.reasons]), reasonsHint: language[.settingsReasonsHint],
            reasonFields: RatingDimension.allCases.map { dimension in
                .init(
                    name: dimension.rawValue, label: language[.label(dimension)],
                    text: state.reasonTexts[dimension.rawValue] ?? Self.reasonText(settings.reasons[dimension])
                )
            },
            method: section("method", .settingsMethodHeading, keys: [.method]), methodHint: language[.settingsMethodHint],
            weightsLegend: language[.settingsWeightsLegend],
            weights: RatingDimension.allCases.map { dimension in
                let name = "weight_\(dimension.rawValue)"
                return .init(
                    name: name, label: language[.label(dimension)],
                    value: state.weights[name] ?? SettingsCodec.json(method).weightText(dimension)
                )
            },
            bandsLegend: language[.settingsBandsLegend], bandCode: language[.settingsBandCode], bandLabel: language[.settingsBandLabel],
            bandLabelEnglish: language[.settingsBandLabelEnglish], bandMin: language[.settingsBandMin], bands: state.bands ?? bands,
            minimumSampleLabel: language[.settingsMinimumSampleLabel], minimumSample: state.minimumSample ?? String(method.minimumSample),
            center: section("center", .settingsCenterHeading, keys: [.centerName, .centerNameEnglish, .timeZone]),
            centerNameLabel: language[.settingsCenterNameLabel], centerName: state.centerName ?? settings.centerName,
            centerNameEnglishLabel: language[.settingsCenterNameEnglishLabel],
            centerNameEnglish: state.centerNameEnglish ?? settings.centerNameEnglish ?? "",
            centerNameEnglishHint: language[.settingsCenterNameEnglishHint],
            timeZoneLabel: language[.settingsTimeZoneLabel], timeZone: state.timeZone ?? settings.timeZone.identifier,
            timeZoneHint: language[.settingsTimeZoneHint],
            calendar: section("calendar", .settingsCalendarHeading, keys: []), calendarHint: language[.settingsCalendarHint],
            yearLabel: language[.settingsCalendarYear], year: String(state.year), show: language[.settingsCalendarShow],
            dateLabel: language[.settingsCalendarDate], kindLabel: language[.settingsCalendarKind], noteLabel: language[.settingsCalendarNote],
            sourceLabel: language[.settingsCalendarSource], holiday: language[.settingsKindHoliday], workingDay: language[.settingsKindWorkingDay],
            add: language[.settingsCalendarAdd], remove: language[.settingsCalendarRemove], days: days,
            emptyYear: days.isEmpty ? language[.settingsCalendarEmpty, ["year": String(state.year)]] : nil
        )
        guard let html = library.render(context, withTemplate: "admin_settings") else {
            throw SurveyPages.RenderFailure(template: "admin_settings")
        }
        return .html(html, status: state.status)
    }

    /// A list as the page's text box shows it: one reason a line, `中文 | English`.
    static func reasonText(_ reasons: [Reason]) -> String {
        reasons.map { reason in reason.english.map { "\(reason.chinese) | \($0)" } ?? reason.chinese }.joined(separator: "\n")
    }

    /// The reasons of a text box: one a line, blank lines skipped, `中文 | English`.
    static func reasons(fromText text: String) -> [Reason] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let chinese = parts.first, !(chinese.isEmpty && parts.count == 1) else { return nil }
            return Reason(chinese: chinese, english: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil)
        }
    }
}

private extension JSON {
    /// A weight of `SettingsCodec.json(_ method:)`, as the form shows it.
    func weightText(_ dimension: RatingDimension) -> String {
        guard case .object(let members) = self, case .object(let weights)? = members.first(where: { $0.0 == "weights" })?.1,
              let weight = weights.first(where: { $0.0 == dimension.rawValue })?.1 else { return "" }
        return weight.text
    }
}
