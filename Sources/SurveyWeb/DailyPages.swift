import Foundation
import MicroHTTP
import Mustache
import SurveyCore
import SurveyStore

/// Renders the staff's daily pages: the dashboard (`/staff`) and the feedback review
/// (`/staff/feedback`, `/staff/feedback/{id}`), with the staff pages' layout and header.
/// A page that cannot be rendered throws (500), never an empty 200.
final class DailyPages: Sendable {
    private let kit: StaffPageKit
    let configuration: WebConfiguration

    init(configuration: WebConfiguration, settings: @escaping @Sendable () -> CenterSettings) throws {
        self.configuration = configuration
        self.kit = try StaffPageKit(templates: [Templates.staff, Templates.daily], settings: settings)
    }

    func render(_ context: Any, _ template: String) throws -> String {
        try kit.render(context, template)
    }

    /// The layout of a staff page; `script` for the pages that have one.
    func layout(title: String, language: Language, script: String? = nil) -> PageLayout {
        kit.layout(title: title, language: language, script: script)
    }
}

extension Templates {
    /// The dashboard's and the feedback review's templates.
    static let daily: [String: String] = [
        "dashboard": dashboard, "feedback_list": feedbackList, "feedback_detail": feedbackDetail, "feedback_row": feedbackRow,
    ]

    /// One response in a list: the dashboard's latest feedback and the review's list.
    static let feedbackRow = """
    <tr class="{{#negative}}negative{{/negative}}" data-id="{{id}}">
      <td><a href="/staff/feedback/{{id}}">#{{id}}</a></td>
      <td>{{time}}</td>
      <td>{{department}}</td>
      <td>{{window}}</td>
      <td class="levels">{{levels}}{{#negative}} <strong class="badge">{{negativeLabel}}</strong>{{/negative}}</td>
      <td class="comment">{{comment}}</td>
      {{#status}}<td>{{status}}</td>{{/status}}
    </tr>
    """
}

/// One response as a list row.
struct FeedbackRowContext {
    var id: Int64
    var time: String
    var department: String
    var window: String
    var levels: String
    var negative: Bool
    var negativeLabel: String
    var comment: String
    /// Shown in the review's list, not on the dashboard.
    var status: String?

    init(_ entry: FeedbackEntry, directory: Directory, timeZone: TimeZone, language: Language, withStatus: Bool) {
        let response = entry.response
        id = response.id
        time = StaffFormat.localTime(response.createdAtMillis, in: timeZone)
        department = directory.departments.first { $0.code == response.departmentCode }?.name ?? response.departmentCode
        window = directory.window(code: response.windowCode)?.name ?? response.windowCode
        levels = StaffFormat.levels(response.ratings)
        negative = response.isNegative
        negativeLabel = language[.dashNegative]
        comment = response.comment ?? ""
        status = withStatus ? language[StaffFormat.phrase(entry.status)] : nil
    }
}
