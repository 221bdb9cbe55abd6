import ArgumentParser
import Foundation
import SurveyCore
import SurveyStore
import SurveyWeb

extension CaseStateName: ExpressibleByArgument {}
extension CaseActionName: ExpressibleByArgument {}
extension CallbackResult: ExpressibleByArgument {}
extension AppealRuling: ExpressibleByArgument {}

/// `pingjia case`: the 差评 cases for operators, acting as a center-wide admin.
struct Case: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Lists, shows and acts on 差评 cases (整改), as an admin of the whole center.",
        subcommands: [List.self, Show.self, Act.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    /// The store and today's date in the center's zone.
    static func open(_ common: CommonOptions) throws -> (SurveyStore, LocalDay) {
        let configuration = try common.load()
        let store = try configuration.openStore(logger: configuration.makeLogger())
        return (store, LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: configuration.timeZone))
    }

    /// One line per case, for a terminal; `!` marks an overdue case.
    static func line(_ file: CaseFile, today: LocalDay) -> String {
        let pending = CaseMachine.pendingName(file.state.pending).map { "+\($0)" } ?? ""
        return [
            String(file.id), file.isOverdue(on: today) ? "!" : " ", file.departmentCode,
            "\(file.state.name.rawValue)\(pending)", file.state.name.chineseLabel, "response \(file.responseID)",
            "opened \(file.openedDay)", "deadline \(file.deadline)", file.assignee ?? "-",
        ].joined(separator: "\t")
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists cases, newest first; ! marks an overdue one.")

        @OptionGroup var common: CommonOptions
        @Option(help: "Only this state: new, in_progress, rectified or closed.") var state: CaseStateName?
        @Option(help: "Only this department (its code).") var department: String?
        @Flag(help: "Only open cases past their deadline.") var overdue = false
        @Option(help: "Only the cases assigned to this user.") var assignee: String?
        @Option(help: "The next_cursor of the previous page.") var cursor: Int64?
        @Option(help: "At most this many cases (1-500).") var limit = 50
        @Option(help: "table or json.") var format: Format = .table

        func validate() throws {
            guard (1...SurveyStore.maximumCasePage).contains(limit) else { throw ValidationError("--limit must be from 1 to 500.") }
        }

        func run() throws {
            let (store, today) = try Case.open(common)
            defer { try? store.close() }
            let filter = CaseFilter(scope: .all, state: state, departmentCode: department, overdue: overdue ? true : nil, assignee: assignee)
            let page = try store.cases(filter: filter, cursor: cursor, limit: limit, today: today)
            switch format {
            case .json: print(CasePresentation.json(page, today: today).text)
            case .table:
                page.entries.forEach { print(Case.line($0, today: today)) }
                if let next = page.nextCursor { print("more: --cursor \(next)") }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows a case with its history.")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The case's id.") var id: Int64
        @Option(help: "table or json.") var format: Format = .table

        func run() throws {
            let (store, today) = try Case.open(common)
            defer { try? store.close() }
            guard let detail = try store.case(id: id, scope: .all) else {
                throw ValidationError(CaseStoreError.caseNotFound(id: id).chineseMessage)
            }
            switch format {
            case .json: print(CasePresentation.json(detail, today: today).text)
            case .table:
                print(Case.line(detail.file, today: today))
                print("allowed: " + CaseMachine.allowedActions(in: detail.file.state).map(\.rawValue).joined(separator: ", "))
                for entry in detail.history {
                    let data = entry.event.data.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                    print("  \(UTCTimestamp.string(millis: entry.atMillis))  \(entry.actor)  \(entry.event.action.rawValue)  "
                        + "\(entry.event.from.rawValue) → \(entry.event.to.rawValue)  \(entry.event.note ?? "")  \(data)")
                }
            }
        }
    }

    struct Act: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Takes an action on a case, as an admin: start, rectify, close, assign, note, appeal, approve_appeal, "
                + "reject_appeal, request_extension, approve_extension or reject_extension."
        )

        @OptionGroup var common: CommonOptions
        @Argument(help: "The case's id.") var id: Int64
        @Argument(help: "The action.") var action: CaseActionName
        @Option(help: "The note (required for rectify and note).") var note: String?
        @Option(name: .customLong("callback-result"), help: "rectify: satisfied, basically_satisfied, dissatisfied or unreachable.")
        var callbackResult: CallbackResult?
        @Flag(name: .customLong("callback-attempt"), help: "note: records a callback attempt that did not reach the citizen.")
        var callbackAttempt = false
        @Option(help: "assign: the reviewer's username.") var assignee: String?
        @Option(help: "appeal: invalid or malicious.") var ruling: AppealRuling?
        @Option(help: "appeal and request_extension: why.") var reason: String?
        @Option(help: "request_extension: working days.") var days: Int?
        @Option(name: .customLong("as"), help: "The name recorded in the case history.") var actor = "operator"

        /// The action with its fields; a missing one is a usage error.
        func caseAction() throws -> CaseAction {
            func required<T>(_ value: T?, _ option: String) throws -> T {
                guard let value else { throw ValidationError("\(action.rawValue) needs --\(option).") }
                return value
            }
            switch action {
            case .start: return .start(note: note)
            case .rectify: return .rectify(callback: try required(callbackResult, "callback-result"), note: note ?? "")
            case .close: return .close(note: note)
            case .assign: return .assign(assignee: try required(assignee, "assignee"), note: note)
            case .note: return .note(note ?? "", callbackAttempt: callbackAttempt)
            case .appeal: return .appeal(ruling: try required(ruling, "ruling"), reason: reason ?? "")
            case .approveAppeal: return .approveAppeal(note: note)
            case .rejectAppeal: return .rejectAppeal(note: note)
            case .requestExtension: return .requestExtension(days: try required(days, "days"), reason: reason ?? "")
            case .approveExtension: return .approveExtension(note: note)
            case .rejectExtension: return .rejectExtension(note: note)
            }
        }

        func run() throws {
            let caseAction = try caseAction()
            let (store, today) = try Case.open(common)
            defer { try? store.close() }
            let admin = Principal(kind: .staff(username: actor, role: .admin), departments: .all)
            let file: CaseFile
            do {
                file = try store.perform(caseAction, on: id, by: admin)
            } catch let error as CaseActionError {
                throw ValidationError(error.chineseMessage + " (" + error.englishMessage + ")")
            } catch let error as CaseStoreError {
                throw ValidationError(error.chineseMessage)
            }
            print(Case.line(file, today: today))
        }
    }
}
