import Foundation
import SurveyCore
import SurveyStore

/// How a 差评 case is written as JSON: by the command line now, by the staff API later.
/// Times are UTC (`2026-11-27T08:30:00.000Z`), days are the center's (`2026-11-27`).
public enum CasePresentation {
    /// One case; `today` decides `overdue`.
    public static func json(_ file: CaseFile, today: LocalDay) -> JSON {
        var callback: JSON = .null
        var closedAs: JSON = .null
        switch file.state {
        case .rectified(let done): callback = json(done)
        case .closed(let closure):
            closedAs = .string(closure.name)
            if case .rectified(let done) = closure { callback = json(done) }
        case .new, .inProgress: break
        }
        let pending: JSON = file.state.pending.map(json) ?? .null
        var appeal: JSON = .null
        if case .closed(.appealUpheld(let upheld)) = file.state { appeal = json(PendingRequest.appeal(upheld)) }
        return .object([
            ("id", .int(file.id)),
            ("response_id", .int(file.responseID)),
            ("department", .string(file.departmentCode)),
            ("state", .string(file.state.name.rawValue)),
            ("state_label", .string(file.state.name.chineseLabel)),
            ("pending", pending),
            ("assignee", .optional(file.assignee)),
            ("opened_at", .string(UTCTimestamp.string(millis: file.openedAtMillis))),
            ("opened_day", .string(file.openedDay.description)),
            ("deadline", .string(file.deadline.description)),
            ("extension_days", .int(file.extensionDays)),
            ("overdue", .bool(file.isOverdue(on: today))),
            ("callback_attempts", .int(file.callbackAttempts)),
            ("callback", callback),
            ("rectified_at", file.rectifiedAtMillis.map { .string(UTCTimestamp.string(millis: $0)) } ?? .null),
            ("closed_at", file.closedAtMillis.map { .string(UTCTimestamp.string(millis: $0)) } ?? .null),
            ("closed_as", closedAs),
            ("upheld_appeal", appeal),
            ("allowed_actions", .array(CaseMachine.allowedActions(in: file.state).map { .string($0.rawValue) })),
        ])
    }

    /// A case with its history, oldest event first.
    public static func json(_ detail: CaseDetail, today: LocalDay) -> JSON {
        guard case .object(var members) = json(detail.file, today: today) else { return .null }
        members.append(("history", .array(detail.history.map(json))))
        return .object(members)
    }

    /// A page of cases, as `GET /api/v1/cases` will answer it.
    public static func json(_ page: CasePage, today: LocalDay) -> JSON {
        .object([
            ("entries", .array(page.entries.map { json($0, today: today) })),
            ("next_cursor", page.nextCursor.map { .string(String($0)) } ?? .null),
        ])
    }

    static func json(_ entry: CaseHistoryEntry) -> JSON {
        .object([
            ("id", .int(entry.id)),
            ("at", .string(UTCTimestamp.string(millis: entry.atMillis))),
            ("actor", .string(entry.actor)),
            ("action", .string(entry.event.action.rawValue)),
            ("from", .string(entry.event.from.rawValue)),
            ("to", .string(entry.event.to.rawValue)),
            ("note", .optional(entry.event.note)),
            ("data", .object(entry.event.data.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ])
    }

    static func json(_ callback: Callback) -> JSON {
        .object([("result", .string(callback.result.rawValue)), ("note", .string(callback.note))])
    }

    static func json(_ request: PendingRequest) -> JSON {
        switch request {
        case .appeal(let appeal):
            .object([
                ("kind", .string("appeal")), ("ruling", .string(appeal.ruling.rawValue)),
                ("reason", .string(appeal.reason)), ("requested_by", .string(appeal.requestedBy)),
            ])
        case .extension(let request):
            .object([
                ("kind", .string("extension")), ("days", .int(request.days)),
                ("reason", .string(request.reason)), ("requested_by", .string(request.requestedBy)),
            ])
        }
    }
}
