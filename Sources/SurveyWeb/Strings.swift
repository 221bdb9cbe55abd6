import SurveyCore

/// Everything the web layer says to people, by key. The words are in the catalogue, one
/// table per language (`Catalogue+zh.swift`, `Catalogue+en.swift`); `{name}` in a phrase
/// is filled in with the argument of that name.
enum Phrase: String, CaseIterable, Sendable {
    // MARK: Center settings and QR print page
    case settingsAdminOnly = "settings.admin_only"
    case settingsUnknownKey = "settings.unknown_key"
    case settingsUnknownMember = "settings.unknown_member"
    case settingsMissingMember = "settings.missing_member"
    case settingsMalformed = "settings.malformed"
    case settingsReasonsShape = "settings.reasons_shape"
    case settingsMethodShape = "settings.method_shape"
    case settingsWeightNeeded = "settings.weight_needed"
    case settingsWeightsAllZero = "settings.weights_all_zero"
    case settingsBandShape = "settings.band_shape"
    case settingsMinimumSample = "settings.minimum_sample"
    case settingsCenterName = "settings.center_name"
    case settingsUnknownTimeZone = "settings.unknown_time_zone"
    case settingsTimeZoneNeedsRebuild = "settings.time_zone_needs_rebuild"
    case settingsInvalidDate = "settings.invalid_date"
    case settingsMakeUpDayNotWeekend = "settings.make_up_day_not_weekend"
    case settingsUnknownKind = "settings.unknown_kind"
    case settingsInvalidYear = "settings.invalid_year"
    case settingsTitle = "settings.title"
    case settingsSaved = "settings.saved"
    case settingsUnchanged = "settings.unchanged"
    case settingsSave = "settings.save"
    case settingsDefaultNote = "settings.default_note"
    case settingsChangedNote = "settings.changed_note"
    case settingsReasonsHeading = "settings.reasons_heading"
    case settingsReasonsHint = "settings.reasons_hint"
    case settingsMethodHeading = "settings.method_heading"
    case settingsMethodHint = "settings.method_hint"
    case settingsWeightsLegend = "settings.weights_legend"
    case settingsBandsLegend = "settings.bands_legend"
    case settingsBandCode = "settings.band_code"
    case settingsBandLabel = "settings.band_label"
    case settingsBandLabelEnglish = "settings.band_label_en"
    case settingsBandMin = "settings.band_min"
    case settingsMinimumSampleLabel = "settings.minimum_sample_label"
    case settingsCenterHeading = "settings.center_heading"
    case settingsCenterNameLabel = "settings.center_name_label"
    case settingsTimeZoneLabel = "settings.time_zone_label"
    case settingsTimeZoneHint = "settings.time_zone_hint"
    case settingsCalendarHeading = "settings.calendar_heading"
    case settingsCalendarHint = "settings.calendar_hint"
    case settingsCalendarYear = "settings.calendar_year"
    case settingsCalendarShow = "settings.calendar_show"
    case settingsCalendarDate = "settings.calendar_date"
    case settingsCalendarKind = "settings.calendar_kind"
    case settingsCalendarNote = "settings.calendar_note"
    case settingsCalendarSource = "settings.calendar_source"
    case settingsKindHoliday = "settings.kind_holiday"
    case settingsKindWorkingDay = "settings.kind_working_day"
    case settingsSourceFile = "settings.source_file"
    case settingsSourceAdmin = "settings.source_admin"
    case settingsCalendarAdd = "settings.calendar_add"
    case settingsCalendarRemove = "settings.calendar_remove"
    case settingsCalendarEmpty = "settings.calendar_empty"
    case settingsRemovedNote = "settings.removed_note"
    case settingsLink = "settings.link"
    case qrPrintLink = "qr.print_link"
    case qrPrintTitle = "qr.print_title"
    case qrPrintAll = "qr.print_all"
    case qrPrintButton = "qr.print_button"
    case qrNoPublicURL = "qr.no_public_url"
    case settingsMalformedValue = "settings.malformed_value"

    // MARK: Feedback review
    case feedbackInvalidFilter = "feedback.invalid_filter"
    case feedbackInvalidCursor = "feedback.invalid_cursor"
    case feedbackNotFound = "feedback.not_found"
    case feedbackInvalidStatus = "feedback.invalid_status"
    case feedbackReasonRequired = "feedback.reason_required"

    // MARK: Dashboard, live 差评 and feedback review pages
    case staffEventsInvalidSince = "staff.events.invalid_since"
    case staffEventsBusy = "staff.events.busy"
    case dashLatest = "dash.latest"
    case dashLiveConnecting = "dash.live_connecting"
    case dashLiveOn = "dash.live_on"
    case dashLivePolling = "dash.live_polling"
    case dashLiveOffline = "dash.live_offline"
    case dashLiveSignedOut = "dash.live_signed_out"
    case dashLiveArrived = "dash.live_arrived"
    case dashNegative = "dash.negative"
    case dashNoFeedback = "dash.no_feedback"
    case dashAllFeedback = "dash.all_feedback"
    case dashOpenCases = "dash.open_cases"
    case dashOpenCount = "dash.open_count"
    case dashOverdueCount = "dash.overdue_count"
    case dashNoOpenCases = "dash.no_open_cases"
    case dashOverdue = "dash.overdue"
    case dashCaseColumn = "dash.column.case"
    case dashDepartmentColumn = "dash.column.department"
    case dashResponseColumn = "dash.column.response"
    case dashOpenedColumn = "dash.column.opened"
    case dashDeadlineColumn = "dash.column.deadline"
    case dashStateColumn = "dash.column.state"
    case dashCaseNew = "dash.case.new"
    case dashCaseInProgress = "dash.case.in_progress"
    case dashCaseRectified = "dash.case.rectified"
    case dashCaseClosed = "dash.case.closed"
    case dashFigures = "dash.figures"
    case dashPeriodColumn = "dash.column.period"
    case dashIndicatorColumn = "dash.column.indicator"
    case dashGradeColumn = "dash.column.grade"
    case dashResponsesColumn = "dash.column.responses"
    case dashRectificationRate = "dash.column.rectification_rate"
    case dashOnTimeRate = "dash.column.on_time_rate"
    case dashCallbackRate = "dash.column.callback_rate"
    case dashMeanDays = "dash.column.mean_days"
    case dashTrendTitle = "dash.trend_title"
    case dashTrendDescription = "dash.trend_description"
    case dashIDColumn = "dash.column.id"
    case dashTimeColumn = "dash.column.time"
    case dashWindowColumn = "dash.column.window"
    case dashLevelsColumn = "dash.column.levels"
    case dashCommentColumn = "dash.column.comment"
    case reviewTitle = "review.title"
    case reviewStatusColumn = "review.column.status"
    case reviewStatusValid = "review.status.valid"
    case reviewStatusMisuse = "review.status.misuse"
    case reviewStatusInvalid = "review.status.invalid"
    case reviewStatusTest = "review.status.test"
    case reviewStatusSuspect = "review.status.suspect"
    case reviewChannelKiosk = "review.channel.kiosk"
    case reviewChannelQR = "review.channel.qr"
    case reviewChannelWeb = "review.channel.web"
    case reviewAny = "review.any"
    case reviewStaffLabel = "review.staff"
    case reviewItemLabel = "review.item"
    case reviewChannelLabel = "review.channel"
    case reviewLevelLabel = "review.level"
    case reviewHasCommentLabel = "review.has_comment"
    case reviewYes = "review.yes"
    case reviewNo = "review.no"
    case reviewFilters = "review.filters"
    case reviewPeriodLabel = "review.period"
    case reviewPeriodHint = "review.period_hint"
    case reviewSearchLabel = "review.search"
    case reviewNegativeOnly = "review.negative_only"
    case reviewApply = "review.apply"
    case reviewReset = "review.reset"
    case reviewExport = "review.export"
    case reviewEmpty = "review.empty"
    case reviewNext = "review.next"
    case reviewFirst = "review.first"
    case reviewDetailTitle = "review.detail_title"
    case reviewBack = "review.back"
    case reviewStoredAt = "review.stored_at"
    case reviewReasons = "review.reasons"
    case reviewClientID = "review.client_id"
    case reviewCaseHeading = "review.case_heading"
    case reviewCaseSummary = "review.case_summary"
    case reviewByColumn = "review.column.by"
    case reviewActionColumn = "review.column.action"
    case reviewNoteColumn = "review.column.note"
    case reviewChangesHeading = "review.changes_heading"
    case reviewNoChanges = "review.no_changes"
    case reviewFromColumn = "review.column.from"
    case reviewToColumn = "review.column.to"
    case reviewFlagLegend = "review.flag_legend"
    case reviewReasonLabel = "review.reason"
    case reviewReasonHint = "review.reason_hint"
    case reviewFlagSubmit = "review.flag_submit"

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

    // MARK: Kiosk devices and visits
    case visitTokenInvalid = "visit.token_invalid"
    case visitWrongWindow = "visit.wrong_window"
    case visitClosed = "visit.closed"
    case visitAlreadyRated = "visit.already_rated"
    case visitLinkInvalid = "visit.link_invalid"
    case deviceNotPairedNotice = "device.not_paired_notice"
    case visitBanner = "visit.banner"
    case visitInvalidTime = "visit.invalid_time"
    case visitInvalidTicket = "visit.invalid_ticket"
    case visitUnknownWindow = "visit.unknown_window"
    case visitEndsBeforeStart = "visit.ends_before_start"
    case visitNotFound = "visit.not_found"
    case deviceNotPaired = "device.not_paired"
    case kioskPollBusy = "device.poll_busy"
    case devicePairTitle = "device.pair_title"
    case devicePairIntro = "device.pair_intro"
    case devicePairCode = "device.pair_code"
    case devicePairSubmit = "device.pair_submit"
    case devicePairRefused = "device.pair_refused"
    case devicePairThrottled = "device.pair_throttled"
    case devicesAdminOnly = "device.admin_only"
    case deviceNotFound = "device.not_found"
    case deviceInvalidName = "device.invalid_name"
    case devicesTitle = "device.list_title"
    case devicesCodeNote = "device.code_note"
    case devicesWindow = "device.window"
    case devicesName = "device.name"
    case devicesPair = "device.pair"
    case devicesPairedAt = "device.paired_at"
    case devicesLastSeen = "device.last_seen"
    case devicesStatus = "device.status"
    case devicesRename = "device.rename"
    case devicesRevoke = "device.revoke"
    case devicesRevoked = "device.revoked"
    case devicesActive = "device.active"
    case devicesEmpty = "device.empty"
    case visitsTitle = "visit.title"
    case visitsTicket = "visit.ticket"
    case visitsFinish = "visit.finish"
    case visitsCreated = "visit.created"
    case visitsCreatedAt = "visit.created_at"
    case visitStateOpen = "visit.state.open"
    case visitStateRated = "visit.state.rated"
    case visitStateUnrated = "visit.state.unrated"

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

    // MARK: Kiosk flow (one question per screen, reasons per question, offline capture)
    case stepProgress = "kiosk.step_progress"
    case reasonsFor = "kiosk.reasons_for"
    case reasonsForLevel = "kiosk.reasons_for_level"
    case reasonsPick = "kiosk.reasons_pick"
    case clerkReason = "kiosk.clerk_reason"
    case clerkReasonLabel = "kiosk.clerk_reason_label"
    case continueButton = "kiosk.continue"
    case backButton = "kiosk.back"
    case moreTimeTitle = "kiosk.more_time_title"
    case moreTimeCountdown = "kiosk.more_time_countdown"
    case moreTimeYes = "kiosk.more_time_yes"
    case thanksCountdown = "kiosk.thanks_countdown"
    case addComment = "kiosk.add_comment"
    case sendComment = "kiosk.send_comment"
    case commentSaved = "kiosk.comment_saved"
    case commentClosed = "kiosk.comment_closed"
    case commentNotFound = "kiosk.comment_not_found"
    case pendingCount = "kiosk.pending_count"
    case expectedReasonsByDimension = "kiosk.expected_reasons_by_dimension"
    case commentEmpty = "kiosk.comment_empty"
    case invalidRatedAt = "submission.invalid_rated_at"
    case ratedAtOutOfRange = "submission.rated_at_out_of_range"
    // MARK: Provenance and abuse defence
    case formCrossSite = "trust.form_cross_site"
    case tooManyRatings = "trust.too_many_ratings"
    case honeypotLabel = "trust.honeypot_label"

    // MARK: 差评 cases: the API, the pages and feedback status rules
    case caseNotFound = "case.not_found"
    case caseInvalidCursor = "case.invalid_cursor"
    case caseInvalidAction = "case.invalid_action"
    case caseInvalidField = "case.invalid_field"
    case caseTextTooLong = "case.text_too_long"
    case caseUnknownAssignee = "case.unknown_assignee"
    case caseIllegalTransition = "case.illegal_transition"
    case caseIllegalTransitionPending = "case.illegal_transition_pending"
    case caseActionForbidden = "case.action_forbidden"
    case caseFieldRequired = "case.field_required"
    case caseExtensionDays = "case.extension_days"
    case caseCallbackAttemptRequired = "case.callback_attempt_required"
    case feedbackFlagForbidden = "feedback.flag_forbidden"
    case feedbackRestoreAdminOnly = "feedback.restore_admin_only"
    case caseStateNew = "case.state.new"
    case caseStateInProgress = "case.state.in_progress"
    case caseStateRectified = "case.state.rectified"
    case caseStateClosed = "case.state.closed"
    case casePendingAppealName = "case.pending.appeal"
    case casePendingExtensionName = "case.pending.extension"
    case caseActionStart = "case.action.start"
    case caseActionRectify = "case.action.rectify"
    case caseActionClose = "case.action.close"
    case caseActionAssign = "case.action.assign"
    case caseActionNote = "case.action.note"
    case caseActionAppeal = "case.action.appeal"
    case caseActionApproveAppeal = "case.action.approve_appeal"
    case caseActionRejectAppeal = "case.action.reject_appeal"
    case caseActionRequestExtension = "case.action.request_extension"
    case caseActionApproveExtension = "case.action.approve_extension"
    case caseActionRejectExtension = "case.action.reject_extension"
    case caseCallbackSatisfied = "case.callback.satisfied"
    case caseCallbackBasicallySatisfied = "case.callback.basically_satisfied"
    case caseCallbackDissatisfied = "case.callback.dissatisfied"
    case caseCallbackUnreachable = "case.callback.unreachable"
    case caseRulingInvalid = "case.ruling.invalid"
    case caseRulingMalicious = "case.ruling.malicious"
    case casesTitle = "cases.title"
    case caseTitle = "case.title"
    case casesColumnID = "cases.column.id"
    case casesColumnDepartment = "cases.column.department"
    case casesColumnState = "cases.column.state"
    case casesColumnOpened = "cases.column.opened"
    case casesColumnDeadline = "cases.column.deadline"
    case casesColumnAssignee = "cases.column.assignee"
    case casesOverdue = "cases.overdue"
    case casesFilterAny = "cases.filter.any"
    case casesFilterOverdue = "cases.filter.overdue"
    case casesFilterApply = "cases.filter.apply"
    case casesNextPage = "cases.next_page"
    case casesFirstPage = "cases.first_page"
    case casesEmpty = "cases.empty"
    case caseUnassigned = "case.unassigned"
    case caseResponseHeading = "case.response_heading"
    case caseReceivedAt = "case.received_at"
    case caseWindow = "case.window"
    case caseComment = "case.comment"
    case caseReasons = "case.reasons"
    case caseNone = "case.none"
    case casePending = "case.pending"
    case casePendingAppeal = "case.pending_appeal"
    case casePendingExtension = "case.pending_extension"
    case caseClosedByAppeal = "case.closed_by_appeal"
    case caseCallback = "case.callback"
    case caseCallbackAttempts = "case.callback_attempts"
    case caseExtensionDaysGranted = "case.extension_days_granted"
    case caseHistoryHeading = "case.history_heading"
    case caseHistoryWhen = "case.history.when"
    case caseHistoryWho = "case.history.who"
    case caseHistoryAction = "case.history.action"
    case caseHistoryChange = "case.history.change"
    case caseHistoryNote = "case.history.note"
    case caseActionsHeading = "case.actions_heading"
    case caseNoActions = "case.no_actions"
    case caseNoteLabel = "case.note_label"
    case caseNoteOptionalLabel = "case.note_optional_label"
    case caseCallbackNoteLabel = "case.callback_note_label"
    case caseCallbackAttemptLabel = "case.callback_attempt_label"
    case caseAssigneeLabel = "case.assignee_label"
    case caseRulingLabel = "case.ruling_label"
    case caseReasonLabel = "case.reason_label"
    case caseDaysLabel = "case.days_label"
    case caseBackToList = "case.back_to_list"
    case caseErrorHeading = "case.error_heading"
    // MARK: Directory administration
    case directoryKindDepartment = "directory.kind.department"
    case directoryKindWindow = "directory.kind.window"
    case directoryKindItem = "directory.kind.item"
    case directoryKindStaff = "directory.kind.staff"
    case directoryInvalidCode = "directory.invalid_code"
    case directoryEmptyName = "directory.empty_name"
    case directoryNameTooLong = "directory.name_too_long"
    case directoryDuplicateCode = "directory.duplicate_code"
    case directoryNotFound = "directory.not_found"
    case directoryUnknownDepartment = "directory.unknown_department"
    case directoryInactiveDepartment = "directory.inactive_department"
    case directoryUnknownWindow = "directory.unknown_window"
    case directoryWindowInOtherDepartment = "directory.window_in_other_department"
    case directoryCodeInUse = "directory.code_in_use"
    case directoryDepartmentInUse = "directory.department_in_use"
    case directoryNothingToChange = "directory.nothing_to_change"
    case directoryMalformedJSON = "directory.malformed_json"
    case directoryMissingColumn = "directory.missing_column"
    case directoryUnknownKind = "directory.unknown_kind"
    case directoryInvalidActive = "directory.invalid_active"
    case directoryNotText = "directory.not_text"
    case directoryProblemAt = "directory.problem_at"
    case directoryProblemAtPlace = "directory.problem_at_place"
    case directoryInvalidField = "directory.invalid_field"
    case adminOnly = "admin.only"
    case adminTitle = "admin.title"
    case adminIntro = "admin.intro"
    case adminDepartments = "admin.departments"
    case adminWindows = "admin.windows"
    case adminItems = "admin.items"
    case adminStaff = "admin.staff"
    case adminCode = "admin.code"
    case adminName = "admin.name"
    case adminDepartment = "admin.department"
    case adminWindow = "admin.window"
    case adminState = "admin.state"
    case adminActive = "admin.active"
    case adminInactive = "admin.inactive"
    case adminNoWindow = "admin.no_window"
    case adminAddHeading = "admin.add_heading"
    case adminAdd = "admin.add"
    case adminSave = "admin.save"
    case adminDeactivate = "admin.deactivate"
    case adminReactivate = "admin.reactivate"
    case adminEdit = "admin.edit"
    case adminCodeHint = "admin.code_hint"
    case adminEmpty = "admin.empty"
    case adminBack = "admin.back"

    // MARK: English names of the center and the directory
    case directoryEnglishNameTooLong = "directory.name_en_too_long"
    case adminEnglishName = "admin.name_en"
    case adminEnglishNameHint = "admin.name_en_hint"
    case settingsCenterNameEnglish = "settings.center_name_en"
    case settingsCenterNameEnglishLabel = "settings.center_name_en_label"
    case settingsCenterNameEnglishHint = "settings.center_name_en_hint"
    // MARK: Kiosk visit streams
    case kioskStreamBusy = "device.stream_busy"
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
