import SurveyCore

/// Every piece of text the citizen pages show, in each language.
struct Strings: Sendable {
    var surveyTitle: String
    var intro: String
    var reasonsLegend: String
    var reasonsHint: String
    var otherReasonLabel: String
    var commentLabel: String
    var commentHint: String
    var submit: String
    var errorSummary: String
    var thanksTitle: String
    var thanksBody: String
    var thanksResetting: String
    var startAgain: String
    var otherLanguageName: String
    var notFoundTitle: String
    var notFoundBody: String
    var pageNotFoundTitle: String
    var serverErrorTitle: String
    var serverErrorBody: String
    var storeUnavailable: String
    var malformedForm: String
    var formExpired: String
    var alreadySubmitted: String
    /// `%d` is the number of seconds to wait.
    var authThrottled: String
    var metricsForbidden: String

    static func of(_ language: Language) -> Strings {
        switch language {
        case .zh: chinese
        case .en: english
        }
    }

    func levelLabel(_ level: Level, in language: Language) -> String {
        language == .zh ? level.chineseLabel : level.englishLabel
    }

    static let chinese = Strings(
        surveyTitle: "服务评价",
        intro: "请您对刚才的服务作出评价，每项选择一个。",
        reasonsLegend: "不满意的原因",
        reasonsHint: "您选择了“不满意”或“非常不满意”，请至少选择一项原因或填写其他原因。",
        otherReasonLabel: "其他原因",
        commentLabel: "意见和建议（选填）",
        commentHint: "最多 500 字",
        submit: "提交评价",
        errorSummary: "请检查以下内容：",
        thanksTitle: "感谢您的评价！",
        thanksBody: "您的评价已经保存。我们会认真对待每一条意见。",
        thanksResetting: "本页面将自动返回，供下一位办事群众使用。",
        startAgain: "返回评价页",
        otherLanguageName: "English",
        notFoundTitle: "找不到这个窗口",
        notFoundBody: "这个窗口编号不存在或已停用，请联系工作人员。",
        pageNotFoundTitle: "页面不存在",
        serverErrorTitle: "系统暂时出了问题",
        serverErrorBody: "请稍后再试，或联系工作人员。",
        storeUnavailable: "评价暂时无法保存，请稍后再提交一次。您的选择已保留。",
        malformedForm: "提交的内容无法识别，请重新填写。",
        formExpired: "这张表单已失效，您的选择已保留，请再点一次提交。",
        alreadySubmitted: "这次评价已经提交过了，不能再更改。感谢您的评价！",
        authThrottled: "错误的 API 密钥尝试过多，请在 %d 秒后重试。",
        metricsForbidden: "监控指标只对本机或持有监控令牌的请求开放。"
    )

    static let english = Strings(
        surveyTitle: "Rate our service",
        intro: "Please rate the service you just received: choose one answer for each question.",
        reasonsLegend: "What went wrong?",
        reasonsHint: "You chose “dissatisfied” or “very dissatisfied”: please choose at least one reason or write your own.",
        otherReasonLabel: "Another reason",
        commentLabel: "Comments or suggestions (optional)",
        commentHint: "Up to 500 characters",
        submit: "Submit",
        errorSummary: "Please check the following:",
        thanksTitle: "Thank you for your feedback!",
        thanksBody: "Your rating has been saved. We read every comment.",
        thanksResetting: "This page will reset for the next person in a few seconds.",
        startAgain: "Back to the survey",
        otherLanguageName: "中文",
        notFoundTitle: "Window not found",
        notFoundBody: "This window code does not exist or is no longer in use. Please ask a member of staff.",
        pageNotFoundTitle: "Page not found",
        serverErrorTitle: "Something went wrong",
        serverErrorBody: "Please try again in a moment, or ask a member of staff.",
        storeUnavailable: "Your rating could not be saved just now. Please submit again; your answers are kept.",
        malformedForm: "The form could not be read. Please fill it in again.",
        formExpired: "This form had expired. Your answers are kept; please submit once more.",
        alreadySubmitted: "This rating was already submitted and cannot be changed. Thank you for your rating!",
        authThrottled: "Too many attempts with a wrong API key. Please try again in %d seconds.",
        metricsForbidden: "Metrics are served only to this machine or with the metrics token."
    )
}

extension RatingDimension {
    func label(in language: Language) -> String {
        language == .zh ? chineseLabel : englishLabel
    }

    /// The question as asked on the form.
    func question(in language: Language) -> String {
        switch (self, language) {
        case (.attitude, .zh): "工作人员的服务态度，您满意吗？"
        case (.efficiency, .zh): "办事效率（等候和办理时间），您满意吗？"
        case (.result, .zh): "办理结果，您满意吗？"
        case (.attitude, .en): "How satisfied are you with the staff's attitude?"
        case (.efficiency, .en): "How satisfied are you with the speed (waiting and handling time)?"
        case (.result, .en): "How satisfied are you with the result?"
        }
    }
}

extension SubmissionError {
    func message(in language: Language) -> String {
        language == .zh ? chineseMessage : englishMessage
    }
}
