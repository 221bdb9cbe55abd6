import MicroHTTP
import SurveyCore

// The words for refused directory changes, from the catalogue, for the API, the pages
// and the command line alike.

extension DirectoryKind {
    var phrase: Phrase {
        switch self {
        case .department: .directoryKindDepartment
        case .window: .directoryKindWindow
        case .item: .directoryKindItem
        case .staff: .directoryKindStaff
        }
    }
}

extension DirectoryError {
    func message(in language: Language) -> String {
        switch self {
        case .invalidCode(let kind, let code): language[.directoryInvalidCode, ["kind": language[kind.phrase], "code": code]]
        case .emptyName(let kind): language[.directoryEmptyName, ["kind": language[kind.phrase]]]
        case .nameTooLong(let kind, let limit): language[.directoryNameTooLong, ["kind": language[kind.phrase], "limit": String(limit)]]
        case .englishNameTooLong(let kind, let limit):
            language[.directoryEnglishNameTooLong, ["kind": language[kind.phrase], "limit": String(limit)]]
        case .duplicateCode(let kind, let code): language[.directoryDuplicateCode, ["kind": language[kind.phrase], "code": code]]
        case .notFound(let kind, let code): language[.directoryNotFound, ["kind": language[kind.phrase], "code": code]]
        case .unknownDepartment(let code): language[.directoryUnknownDepartment, ["code": code]]
        case .inactiveDepartment(let code): language[.directoryInactiveDepartment, ["code": code]]
        case .unknownWindow(let code): language[.directoryUnknownWindow, ["code": code]]
        case .windowInOtherDepartment(let window, let department):
            language[.directoryWindowInOtherDepartment, ["window": window, "department": department]]
        case .codeInUse(let kind, let code): language[.directoryCodeInUse, ["kind": language[kind.phrase], "code": code]]
        case .departmentInUse(let code, let count): language[.directoryDepartmentInUse, ["code": code, "count": String(count)]]
        case .nothingToChange: language[.directoryNothingToChange]
        }
    }

    /// 404 for a record that does not exist, 409 for a conflict with what is stored, 422
    /// for a request that breaks the rules.
    var status: Int {
        switch self {
        case .notFound: 404
        case .duplicateCode, .codeInUse, .departmentInUse: 409
        default: 422
        }
    }

    func httpError(in language: Language) -> HTTPError {
        HTTPError(status: status, code: code, message: message(in: language))
    }
}

extension DirectoryFileProblem {
    func message(in language: Language) -> String {
        let text: String = switch error {
        case .malformedJSON: language[.directoryMalformedJSON]
        case .missingColumn(let name): language[.directoryMissingColumn, ["name": name]]
        case .unknownKind(let name): language[.directoryUnknownKind, ["name": name]]
        case .invalidActive(let value): language[.directoryInvalidActive, ["value": value]]
        case .notText(let name): language[.directoryNotText, ["name": name]]
        case .record(let error): error.message(in: language)
        }
        guard let field else { return language[.directoryProblemAtPlace, ["place": place, "message": text]] }
        return language[.directoryProblemAt, ["place": place, "field": field, "message": text]]
    }
}

/// The command line's words for refused directory changes: Chinese, then English.
public enum DirectoryMessages {
    /// The message for a `DirectoryError` or `DirectoryFileProblems` (one line per
    /// problem), or nil for any other error.
    public static func bilingual(_ error: any Error) -> String? {
        switch error {
        case let error as DirectoryError:
            return "\(error.message(in: .zh)) \(error.message(in: .en))"
        case let problems as DirectoryFileProblems:
            return problems.problems.map { "\($0.message(in: .zh)) \($0.message(in: .en))" }.joined(separator: "\n")
        default:
            return nil
        }
    }
}
