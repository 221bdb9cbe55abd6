import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// The center settings for administrators: the pages under `/staff/admin/settings`, the
/// JSON API under `/api/v1/admin/settings`, and the QR cards' print sheet
/// (`/staff/admin/qr/print`). Every change goes through `LiveSettings`, which validates,
/// stores and audits it in one transaction and puts it in force at once.
extension WebApplication {
    /// The scope an API key needs to read and change the center settings.
    public static let settingsWriteScope = "settings:write"

    /// The submission rules in force: the configuration's limits, with the reasons in force.
    var surveyPolicy: SurveyPolicy {
        var policy = configuration.policy
        policy.reasonLists = settings.current.reasons
        return policy
    }

    func installSettings(on router: Router) {
        installSettingsAPI(on: router)
        installSettingsPages(on: router)
        router.get("/staff/admin/qr/print") { [self] request in
            let language = Language.negotiate(request)
            guard try adminSession(request, language: language) != nil else { return .seeOther("/staff/login") }
            return try qrPrintSheet(request, language: language)
        }
        router.get("/staff/admin/qr/sheet.css") { _ in
            var response = Response(status: 200, body: Array(QRCardSheet.css.utf8))
            response.headers.add("Content-Type", "text/css; charset=utf-8")
            return response
        }
    }

    // MARK: Who may

    /// The signed-in administrator of a settings page; nil when nobody is signed in. A
    /// change must carry the session's CSRF token; anyone but an administrator gets 403.
    func adminSession(_ request: Request, language: Language) throws -> SignedIn? {
        guard let signedIn = try signedIn(request) else { return nil }
        if request.method != "GET" && request.method != "HEAD" {
            try requireCSRF(signedIn, request, language: language)
        }
        guard signedIn.session.user.role == .admin else {
            throw HTTPError(status: 403, code: "forbidden", .settingsAdminOnly, in: language)
        }
        return signedIn
    }

    /// An administrator's session (with CSRF for changes) or a key with `settings:write`.
    private func settingsPrincipal(_ request: Request, language: Language) throws -> Principal {
        let principal = try principal(for: request, scope: Self.settingsWriteScope)
        if let role = principal.role, role != .admin {
            throw HTTPError(status: 403, code: "forbidden", .settingsAdminOnly, in: language)
        }
        return principal
    }

    static func httpError(_ error: SettingsError, in language: Language) -> HTTPError {
        HTTPError(status: error.status, code: error.code, message: error.message(in: language))
    }

    // MARK: The API

    private func installSettingsAPI(on router: Router) {
        let base = "/api/v1/admin/settings"
        router.get(base) { [self] request in
            _ = try settingsPrincipal(request, language: Language.negotiate(request))
            return .json(Self.settingsJSON(settings.current).serialized())
        }
        for section in ["reasons", "method", "center"] {
            router.get("\(base)/\(section)") { [self] request in
                _ = try settingsPrincipal(request, language: Language.negotiate(request))
                return .json(Self.sectionJSON(section, settings.current, changed: nil).serialized())
            }
            router.on("PUT", "\(base)/\(section)") { [self] request in
                let language = Language.negotiate(request)
                let principal = try settingsPrincipal(request, language: language)
                guard request.mediaType == "application/json" else {
                    throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
                }
                guard let document = JSONInput.parse(request.body) else {
                    throw HTTPError(status: 400, code: "malformed_json", .settingsMalformed, in: language)
                }
                do {
                    let changed = try apply(section, document, actor: principal.auditName)
                    return .now(.json(Self.sectionJSON(section, settings.current, changed: changed).serialized()))
                } catch let error as SettingsError {
                    throw Self.httpError(error, in: language)
                }
            }
        }
        router.get("\(base)/calendar") { [self] request in
            let language = Language.negotiate(request)
            _ = try settingsPrincipal(request, language: language)
            return .json(try calendarJSON(year: try Self.year(request, store: store, language: language)).serialized())
        }
        for method in ["PUT", "DELETE"] {
            router.on(method, "\(base)/calendar/{date}") { [self] request in
                let language = Language.negotiate(request)
                let principal = try settingsPrincipal(request, language: language)
                do {
                    let day = try SettingsCodec.day(request.pathParameters["date"] ?? "")
                    var kind = WorkingCalendar.DayKind.ordinary
                    var note: String?
                    if method == "PUT" {
                        guard request.mediaType == "application/json" else {
                            throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
                        }
                        guard case .object(let fields)? = JSONInput.parse(request.body) else {
                            throw HTTPError(status: 400, code: "malformed_json", .settingsMalformed, in: language)
                        }
                        if let unknown = Set(fields.keys).subtracting(["kind", "note"]).sorted().first {
                            throw SettingsError("unknown_setting_member", .settingsUnknownMember, ["name": unknown, "expected": "kind, note"])
                        }
                        guard case .string(let text)? = fields["kind"], let given = WorkingCalendar.DayKind(rawValue: text) else {
                            throw SettingsError("invalid_kind", .settingsUnknownKind)
                        }
                        kind = given
                        if case .string(let text)? = fields["note"] { note = text }
                    }
                    let changed = try settings.setCalendarDay(day, to: kind, note: note, actor: principal.auditName)
                    return .now(.json(JSON.object([
                        ("date", .string(day.description)), ("kind", .string(store.casePolicy.calendar.listedKind(of: day).rawValue)),
                        ("changed", .bool(changed)),
                    ]).serialized()))
                } catch let error as SettingsError {
                    throw Self.httpError(error, in: language)
                }
            }
        }
    }

    /// Applies a section's document: reasons, method (members given replace the current
    /// ones) or center (`name`, `name_en`, `time_zone`). True when something changed.
    func apply(_ section: String, _ document: JSONInput, actor: String) throws -> Bool {
        switch section {
        case "reasons":
            return try settings.setReasons(SettingsCodec.reasons(from: document), actor: actor)
        case "method":
            return try settings.setMethod(SettingsCodec.method(from: document, over: settings.current.method), actor: actor)
        default:
            guard case .object(let fields) = document else { throw SettingsError("invalid_setting", .settingsMalformed) }
            if let unknown = Set(fields.keys).subtracting(["name", "name_en", "time_zone"]).sorted().first {
                throw SettingsError("unknown_setting_member", .settingsUnknownMember, ["name": unknown, "expected": "name, name_en, time_zone"])
            }
            // All are checked before any is stored: a refused zone or English name changes no name.
            if let zone = fields["time_zone"] {
                guard case .string(let identifier) = zone else { throw SettingsError("unknown_time_zone", .settingsUnknownTimeZone, ["value": "\(zone)"]) }
                try settings.checkTimeZoneChange(identifier)
            }
            var name: String?
            if let given = fields["name"] {
                guard case .string(let text) = given else { throw SettingsError("invalid_center_name", .settingsCenterName, ["max": String(SettingKey.maxNameLength)]) }
                name = try SettingsCodec.centerName(text)
            }
            // `name_en` null or blank removes the English name; absent leaves it.
            var english: String?
            switch fields["name_en"] {
            case nil: break
            case .null?: english = ""
            case .string(let text)?: english = try SettingsCodec.centerNameEnglish(text) ?? ""
            default: throw SettingsError("invalid_center_name_en", .settingsCenterNameEnglish, ["max": String(SettingKey.maxNameLength)])
            }
            var changed = false
            if let name { changed = try settings.setCenterName(name, actor: actor) || changed }
            if let english { changed = try settings.setCenterNameEnglish(english, actor: actor) || changed }
            return changed
        }
    }

    /// The settings in force as `GET /api/v1/admin/settings` and `pingjia settings show` print them.
    public static func settingsJSON(_ settings: CenterSettings) -> JSON {
        .object([
            ("version", .int(settings.version)),
            ("center", centerJSON(settings)),
            ("reasons", SettingsCodec.json(settings.reasons)),
            ("method", SettingsCodec.json(settings.method)),
            ("changed", .array(settings.changedKeys.sorted().map(JSON.string))),
        ])
    }

    static func centerJSON(_ settings: CenterSettings) -> JSON {
        .object([
            ("name", .string(settings.centerName)), ("name_en", .optional(settings.centerNameEnglish)),
            ("time_zone", .string(settings.timeZone.identifier)),
        ])
    }

    static func sectionJSON(_ section: String, _ settings: CenterSettings, changed: Bool?) -> JSON {
        let value: JSON = switch section {
        case "reasons": SettingsCodec.json(settings.reasons)
        case "method": SettingsCodec.json(settings.method)
        default: centerJSON(settings)
        }
        guard let changed else { return value }
        return .object([("changed", .bool(changed)), ("settings", value)])
    }

    /// The `year` query (default: this year in the center's zone).
    static func year(_ request: Request, store: SurveyStore, language: Language) throws -> Int {
        let range = LocalDay.supportedYears
        guard let text = request.query("year"), !text.isEmpty else {
            return LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: store.timeZone).date.year
        }
        guard let year = Int(text), range.contains(year) else {
            throw HTTPError(status: 400, code: "invalid_year", .settingsInvalidYear, [
                "from": String(range.lowerBound), "to": String(range.upperBound),
            ], in: language)
        }
        return year
    }

    /// The year's holidays and make-up working days as in force, each with where it comes
    /// from, and the administrator's entries of the year (also those taking a day off).
    func calendarJSON(year: Int) throws -> JSON {
        let entries = try store.calendarOverrides().filter { $0.day.date.year == year }
        let byDay = Dictionary(entries.map { ($0.day, $0) }, uniquingKeysWith: { $1 })
        return .object([
            ("year", .int(year)),
            ("days", .array(store.casePolicy.calendar.listedDays(in: year).map { day, kind in
                .object([
                    ("date", .string(day.description)), ("kind", .string(kind.rawValue)),
                    ("source", .string(byDay[day] == nil ? "file" : "admin")), ("note", .optional(byDay[day]?.note)),
                ])
            })),
            ("entries", .array(entries.map { entry in
                .object([
                    ("date", .string(entry.day.description)), ("kind", .string(entry.kind.rawValue)), ("note", .optional(entry.note)),
                    ("updated_by", .string(entry.updatedBy)), ("updated_at", .string(UTCTimestamp.string(millis: entry.updatedAtMillis))),
                ])
            })),
        ])
    }

    // MARK: The QR print sheet

    private func qrPrintSheet(_ request: Request, language: Language) throws -> Response {
        guard let base = configuration.publicBaseURL else {
            throw HTTPError(status: 409, code: "no_public_base_url", .qrNoPublicURL, in: language)
        }
        var departments: Set<String> = []
        if let code = request.query("department"), !code.isEmpty {
            guard directory.departments.contains(where: { $0.code == code }) else {
                throw HTTPError(status: 404, code: "unknown_department", .unknownDepartment, ["code": code], in: language)
            }
            departments.insert(code)
        }
        let html = try QRCardSheet.html(
            directory: directory, departments: departments, centerName: settings.current.centerName,
            centerNameEnglish: settings.current.centerNameEnglish, links: windowLinks, base: base,
            page: QRCardSheet.PageChrome(
                stylesheet: "/staff/admin/qr/sheet.css", title: language[.qrPrintTitle], allLabel: language[.qrPrintAll],
                showLabel: language[.settingsCalendarShow], lang: language.rawValue,
                departments: directory.departments.map { .init(code: $0.code, name: $0.name, selected: departments.contains($0.code)) }
            )
        )
        return .html(html)
    }
}
