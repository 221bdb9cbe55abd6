import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// The settings page's routes: each section's form posts here and is answered with a
/// redirect (303) to the page, or with the page again, the input kept and the problem said
/// in the user's language.
extension WebApplication {
    func installSettingsPages(on router: Router) {
        router.get("/staff/admin/settings") { [self] request in
            let language = Language.negotiate(request)
            guard let signedIn = try adminSession(request, language: language) else { return .seeOther("/staff/login") }
            var state = SettingsPageState(year: try Self.year(request, store: store, language: language))
            if let section = request.query("saved") {
                state.section = section
                state.notice = .init(text: language[request.query("unchanged") == nil ? .settingsSaved : .settingsUnchanged], isError: false)
            }
            return try settingsPage(signedIn, state: state, language: language)
        }
        for section in ["reasons", "method", "center", "calendar", "calendar/remove"] {
            router.post("/staff/admin/settings/\(section)") { [self] request in
                let fields = FormDecoding.fields(request.body) ?? []
                let language = Language.negotiate(request, formValue: fields.first { $0.name == "lang" }?.value)
                guard let signedIn = try adminSession(request, language: language) else { return .seeOther("/staff/login") }
                func field(_ name: String) -> String { fields.first { $0.name == name }?.value ?? "" }
                let anchor = section.hasPrefix("calendar") ? "calendar" : section
                var state = SettingsPageState(section: anchor, year: LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: store.timeZone).date.year)
                let actor = signedIn.session.user.username
                do {
                    let changed: Bool
                    switch section {
                    case "reasons":
                        for dimension in RatingDimension.allCases { state.reasonTexts[dimension.rawValue] = field(dimension.rawValue) }
                        changed = try settings.setReasons(try reasonLists(from: field), actor: actor)
                    case "method":
                        let document = methodDocument(field, keeping: &state)
                        changed = try settings.setMethod(SettingsCodec.method(from: document, over: settings.current.method), actor: actor)
                    case "center":
                        state.centerName = field("name")
                        state.timeZone = field("time_zone")
                        var document: [String: JSONInput] = ["name": .string(field("name")), "time_zone": .string(field("time_zone"))]
                        // A form without the field (an older page) leaves the English name as it is.
                        if fields.contains(where: { $0.name == "name_en" }) {
                            state.centerNameEnglish = field("name_en")
                            document["name_en"] = .string(field("name_en"))
                        }
                        changed = try apply("center", .object(document), actor: actor)
                    default:
                        let day = try SettingsCodec.day(field("date"))
                        state.year = day.date.year
                        var kind = WorkingCalendar.DayKind.ordinary
                        if section == "calendar" {
                            guard let given = WorkingCalendar.DayKind(rawValue: field("kind")), given != .ordinary else {
                                throw SettingsError("invalid_kind", .settingsUnknownKind)
                            }
                            kind = given
                        }
                        let note = field("note").trimmingCharacters(in: .whitespaces)
                        changed = try settings.setCalendarDay(day, to: kind, note: note.isEmpty ? nil : note, actor: actor)
                    }
                    var target = "/staff/admin/settings?saved=\(anchor)&lang=\(language.rawValue)"
                    if !changed { target += "&unchanged=1" }
                    if anchor == "calendar" { target += "&year=\(state.year)" }
                    return .seeOther(target + "#\(anchor)")
                } catch let error as SettingsError {
                    state.status = error.status
                    state.notice = .init(text: error.message(in: language), isError: true)
                    return try settingsPage(signedIn, state: state, language: language)
                }
            }
        }
    }

    private func settingsPage(_ signedIn: SignedIn, state: SettingsPageState, language: Language) throws -> Response {
        try settingsPages.page(
            settings.current, calendar: store.casePolicy.calendar, entries: try store.calendarOverrides(), state: state,
            session: signedIn.session, directory: directory, language: language
        )
    }

    private func reasonLists(from field: (String) -> String) throws -> ReasonLists {
        do {
            return try ReasonLists(
                attitude: SettingsPages.reasons(fromText: field("attitude")),
                efficiency: SettingsPages.reasons(fromText: field("efficiency")),
                result: SettingsPages.reasons(fromText: field("result"))
            )
        } catch {
            throw SettingsError(error)
        }
    }

    /// The method form as the document `SettingsCodec.method` reads; rows of the bands
    /// table left empty are skipped. What was typed is kept in `state` for a refusal.
    private func methodDocument(_ field: (String) -> String, keeping state: inout SettingsPageState) -> JSONInput {
        var weights: [String: JSONInput] = [:]
        for dimension in RatingDimension.allCases {
            let name = "weight_\(dimension.rawValue)"
            state.weights[name] = field(name)
            weights[dimension.rawValue] = .string(field(name))
        }
        var bands: [JSONInput] = []
        var rows: [SettingsPageContext.BandRow] = []
        for index in 1...12 {
            let row = SettingsPageContext.BandRow(
                index: index, code: field("band_code_\(index)"), label: field("band_label_\(index)"),
                labelEnglish: field("band_label_en_\(index)"), min: field("band_min_\(index)")
            )
            guard !(row.code + row.label + row.labelEnglish + row.min).trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            rows.append(row)
            bands.append(.object([
                "code": .string(row.code.trimmingCharacters(in: .whitespaces)), "label": .string(row.label.trimmingCharacters(in: .whitespaces)),
                "label_en": .string(row.labelEnglish.trimmingCharacters(in: .whitespaces)),
                "min": SettingsCodec.decimal(.string(row.min)) == nil ? .null : .string(row.min),
            ]))
        }
        state.bands = rows.enumerated().map { offset, row in
            var row = row
            row.index = offset + 1
            return row
        } + (0..<2).map { .init(index: rows.count + $0 + 1, code: "", label: "", labelEnglish: "", min: "") }
        state.minimumSample = field("minimum_sample")
        let minimum: JSONInput = Int64(field("minimum_sample").trimmingCharacters(in: .whitespaces)).map { .integer($0) } ?? .null
        return .object(["weights": .object(weights), "bands": .array(bands), "minimum_sample": minimum])
    }
}
