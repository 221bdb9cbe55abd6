import SurveyCore

/// Everything the web layer says to people, by key. The words are in the catalogue, one
/// table per language (`Catalogue+zh.swift`, `Catalogue+en.swift`); `{name}` in a phrase
/// is filled in with the argument of that name.
enum Phrase: String, CaseIterable, Sendable {
    // MARK: Feedback review
    case feedbackInvalidFilter = "feedback.invalid_filter"
    case feedbackInvalidCursor = "feedback.invalid_cursor"
    case feedbackNotFound = "feedback.not_found"
    case feedbackInvalidStatus = "feedback.invalid_status"
    case feedbackReasonRequired = "feedback.reason_required"

    // The citizen pages.
    case surveyTitle = "survey.title"
    case surveyIntro = "survey.intro"
    case reasonsLegend = "survey.reasons_legend"
    case reasonsHint = "survey.reasons_hint"
    case otherReasonLabel = "survey.other_reason"
    case commentLabel = "survey.comment"
    case commentHint = "survey.comment_hint"
    case submit = "survey.submit"
    case errorSummary = "survey.error_summary"
    case thanksTitle = "thanks.title"
    case thanksBody = "thanks.body"
    case thanksResetting = "thanks.resetting"
    case startAgain = "thanks.start_again"
    case otherLanguageName = "language.other"
    case unknownWindowPage = "page.unknown_window"
    case pageNotFoundTitle = "page.not_found"
    case serverErrorTitle = "page.server_error"
    case serverErrorBody = "page.server_error_body"
    case storeUnavailable = "survey.store_unavailable"
    case malformedForm = "survey.malformed_form"
    case formExpired = "survey.form_expired"
    case alreadySubmitted = "survey.already_submitted"
    case windowLinkRefused = "survey.window_link_refused"
    case indexIntro = "index.intro"
    case windowHeading = "index.window"
    case departmentHeading = "index.department"
    case kioskHeading = "index.kiosk"
    case phoneHeading = "index.phone"

    // Levels and dimensions as the form names them.
    case level5 = "level.5"
    case level4 = "level.4"
    case level3 = "level.3"
    case level2 = "level.2"
    case level1 = "level.1"
    case attitudeLabel = "dimension.attitude"
    case efficiencyLabel = "dimension.efficiency"
    case resultLabel = "dimension.result"
    case attitudeQuestion = "question.attitude"
    case efficiencyQuestion = "question.efficiency"
    case resultQuestion = "question.result"

    // The responses API.
    case notStored = "api.not_stored"
    case unsupportedMediaType = "api.unsupported_media_type"
    case malformedJSON = "api.malformed_json"
    case wrongType = "api.wrong_type"
    case expectedText = "api.expected_text"
    case expectedTextList = "api.expected_text_list"
    case missingWindow = "api.missing_window"
    case clientIDConflict = "api.client_id_conflict"
    case metricsForbidden = "api.metrics_forbidden"

    // Submissions refused by the domain, by `SubmissionError.code`.
    case unknownWindow = "submission.unknown_window"
    case missingScore = "submission.missing_score"
    case invalidScore = "submission.invalid_score"
    case unknownChannel = "submission.unknown_channel"
    case commentTooLong = "submission.comment_too_long"
    case reasonTooLong = "submission.reason_too_long"
    case tooManyReasons = "submission.too_many_reasons"
    case reasonRequired = "submission.reason_required"
    case invalidClientID = "submission.invalid_client_id"
    case unknownServiceItem = "submission.unknown_service_item"
    case unknownStaff = "submission.unknown_staff"

    // API keys.
    case keyMissing = "auth.key_missing"
    case keyMalformed = "auth.key_malformed"
    case keyInvalid = "auth.key_invalid"
    case keyLacksScope = "auth.key_lacks_scope"
    case authThrottled = "auth.throttled"

    // The indicators API.
    case periodRequired = "indicators.period_required"
    case invalidBreakdown = "indicators.invalid_breakdown"
    case invalidTrend = "indicators.invalid_trend"
    case invalidFormat = "indicators.invalid_format"
    case notPublished = "indicators.not_published"
    case departmentRequired = "indicators.department_required"
    case unknownDepartment = "indicators.unknown_department"
    case periodNotEnded = "indicators.period_not_ended"
    case lateNote = "indicators.late_note"

    // Periods that do not parse, by `PeriodError.code`.
    case periodForms = "period.forms"
    case periodEmpty = "period.empty"
    case periodUnrecognized = "period.unrecognized"
    case periodYearOutOfRange = "period.year_out_of_range"
    case periodMonthOutOfRange = "period.month_out_of_range"
    case periodQuarterOutOfRange = "period.quarter_out_of_range"
    case periodHalfOutOfRange = "period.half_out_of_range"
    case periodInvalidDate = "period.invalid_date"
    case periodReversedRange = "period.reversed_range"

    // What the HTTP server refuses on its own, by `HTTPError.code`.
    case bodyTooLarge = "http.body_too_large"
    case shuttingDown = "http.shutting_down"
    case notFound = "http.not_found"
    case methodNotAllowed = "http.method_not_allowed"
    case badRequest = "http.bad_request"
    case internalError = "http.internal_error"
    case notImplemented = "http.not_implemented"
    case uriTooLong = "http.uri_too_long"
    case headersTooLarge = "http.headers_too_large"
    case ambiguousLength = "http.ambiguous_length"
    case malformedHeader = "http.malformed_header"
    case badHost = "http.bad_host"
    case nulInTarget = "http.nul_in_target"
    case malformedTarget = "http.malformed_target"

    // MARK: Staff accounts and sessions
    case staffLoginTitle = "staff.login_title"
    case staffUsername = "staff.username"
    case staffPassword = "staff.password"
    case staffSignIn = "staff.sign_in"
    case staffSignOut = "staff.sign_out"
    case staffLoginFailed = "staff.login_failed"
    case staffLoginThrottled = "staff.login_throttled"
    case staffLoginMalformed = "staff.login_malformed"
    case staffCrossSite = "staff.cross_site"
    case staffSignInRequired = "staff.sign_in_required"
    case staffAuthMissing = "staff.auth_missing"
    case staffCSRFInvalid = "staff.csrf_invalid"
    case staffRoleForbidden = "staff.role_forbidden"
    case staffAdminOnly = "staff.admin_only"
    case staffInvalidLimit = "staff.invalid_limit"
    case staffHomeTitle = "staff.home_title"
    case staffSignedInAs = "staff.signed_in_as"
    case staffRole = "staff.role"
    case staffDepartments = "staff.departments"
    case staffAllDepartments = "staff.all_departments"
    case staffRoleAdmin = "staff.role.admin"
    case staffRoleHead = "staff.role.head"
    case staffRoleReviewer = "staff.role.reviewer"
    case staffRoleViewer = "staff.role.viewer"
    case staffAuditTitle = "staff.audit_title"
    case staffAuditWhen = "staff.audit_when"
    case staffAuditWho = "staff.audit_who"
    case staffAuditAction = "staff.audit_action"
    case staffAuditSubject = "staff.audit_subject"
    case staffAuditBefore = "staff.audit_before"
    case staffAuditAfter = "staff.audit_after"
    case staffAuditEmpty = "staff.audit_empty"
    // MARK: Provenance and abuse defence
    case formCrossSite = "trust.form_cross_site"
    case tooManyRatings = "trust.too_many_ratings"
    case honeypotLabel = "trust.honeypot_label"
}

extension Phrase {
    /// The phrase for an error code the HTTP server gives itself, so its own English words
    /// are only a fallback.
    init?(serverCode code: String) {
        self.init(rawValue: "http." + code)
    }

    init(_ level: Level) {
        switch level {
        case .verySatisfied: self = .level5
        case .satisfied: self = .level4
        case .neutral: self = .level3
        case .dissatisfied: self = .level2
        case .veryDissatisfied: self = .level1
        }
    }

    /// The dimension's short name.
    static func label(_ dimension: RatingDimension) -> Phrase {
        switch dimension {
        case .attitude: .attitudeLabel
        case .efficiency: .efficiencyLabel
        case .result: .resultLabel
        }
    }

    /// The question the form asks about the dimension.
    static func question(_ dimension: RatingDimension) -> Phrase {
        switch dimension {
        case .attitude: .attitudeQuestion
        case .efficiency: .efficiencyQuestion
        case .result: .resultQuestion
        }
    }
}

/// The tables of every language, and the check that they are complete.
enum Catalogue {
    static func table(_ language: Language) -> [Phrase: String] {
        switch language {
        case .zh: chinese
        case .en: english
        }
    }

    /// Refuses, at start, a catalogue where a language lacks a phrase or where a phrase's
    /// `{placeholders}` differ from the Chinese one's, naming every such phrase.
    static func check(_ tables: (Language) -> [Phrase: String] = table) throws {
        var problems: [String] = []
        let chinese = tables(.zh)
        for language in Language.allCases {
            let table = tables(language)
            for phrase in Phrase.allCases {
                guard let text = table[phrase] else {
                    problems.append("\(language.rawValue): \(phrase.rawValue) is missing")
                    continue
                }
                if placeholders(text) != placeholders(chinese[phrase] ?? "") {
                    problems.append("\(language.rawValue): \(phrase.rawValue) has placeholders \(placeholders(text).sorted())")
                }
            }
        }
        guard problems.isEmpty else {
            throw WebSetupError("The language catalogue is incomplete: " + problems.joined(separator: "; "))
        }
    }

    static func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}

extension Language {
    /// The phrase in this language, with `{name}` replaced by `arguments[name]`.
    subscript(_ phrase: Phrase, _ arguments: [String: String] = [:]) -> String {
        var text = Catalogue.table(self)[phrase] ?? Catalogue.chinese[phrase] ?? phrase.rawValue
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// The language a page offers as the other choice.
    var other: Language { Language.allCases.first { $0 != self } ?? self }
}
