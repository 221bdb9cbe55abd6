import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// The directory's administration in the JSON API: `GET /api/v1/directory`, and under
/// `/api/v1/admin/{departments|windows|items|staff}` adding (POST), editing (PATCH
/// `…/{code}`), deactivating and reactivating (POST `…/{code}/deactivate|reactivate`).
/// An administrator's session (with its CSRF token) or an API key with `directory:write`.
extension WebApplication {
    /// The scope an API key needs to read and change the directory.
    public static let directoryWriteScope = "directory:write"

    /// Installs the directory's API and the administration pages.
    func installDirectoryAdmin(on router: Router) {
        installAdminAPI(on: router)
        installAdminPages(on: router)
    }

    /// Who may administer the directory: an administrator, or a key with the scope. Anyone
    /// else signed in is refused with 403.
    func administrator(_ request: Request) throws -> Principal {
        let principal = try principal(for: request, scope: Self.directoryWriteScope)
        if let role = principal.role, role != .admin {
            throw HTTPError(status: 403, code: "forbidden", .adminOnly, in: Language.negotiate(request))
        }
        return principal
    }

    private func installAdminAPI(on router: Router) {
        router.get("/api/v1/directory") { [self] request in
            _ = try administrator(request)
            let directory = self.directory
            var members: [(String, JSON)] = [("version", .int(directory.version))]
            for kind in DirectoryKind.allCases {
                members.append((kind.plural, .array(directory.entries.filter { $0.kind == kind }.map(Self.json))))
            }
            return .json(JSON.object(members).serialized())
        }
        // One literal route per kind, so that other pages under /api/v1/admin/ (settings)
        // are never taken for a kind of record.
        for kind in DirectoryKind.allCases {
            installAdminAPI(for: kind, on: router)
        }
    }

    private func installAdminAPI(for kind: DirectoryKind, on router: Router) {
        let base = "/api/v1/admin/\(kind.plural)"
        router.post(base) { [self] request in
            let (principal, language) = try adminRequest(request)
            let fields = try Self.adminFields(request, language: language)
            let entry = DirectoryEntry(
                kind: kind, code: try Self.text(fields, "code", language: language) ?? "",
                name: try Self.text(fields, "name", language: language) ?? "",
                englishName: try Self.text(fields, "name_en", language: language),
                department: try Self.text(fields, "department", language: language),
                window: try Self.text(fields, "window", language: language)
            )
            let added = try changingDirectory(language) {
                try store.addDirectoryEntry(entry, actor: principal.auditName)
            }
            return .json(JSON.object([("entry", Self.json(added)), ("effects", .array([.string("added")]))]).serialized(), status: 201)
        }
        router.on("PATCH", "\(base)/{code}") { [self] request in
            let (principal, language) = try adminRequest(request)
            let code = request.pathParameters["code"] ?? ""
            let fields = try Self.adminFields(request, language: language)
            var edit = DirectoryEdit(
                name: try Self.text(fields, "name", language: language), code: try Self.text(fields, "code", language: language),
                department: try Self.text(fields, "department", language: language)
            )
            if let window = fields["window"] {
                edit.window = .some(try Self.text(["window": window], "window", language: language))
            }
            // Null or an empty text removes the English name; leaving the member out keeps it.
            if let english = fields["name_en"] {
                edit.englishName = .some(try Self.text(["name_en": english], "name_en", language: language))
            }
            let change = try changingDirectory(language) {
                try store.editDirectoryEntry(kind, code: code, edit, actor: principal.auditName)
            }
            return .now(try answer(change, kind: kind, code: code, language: language))
        }
        for (action, active) in [("deactivate", false), ("reactivate", true)] {
            router.on("POST", "\(base)/{code}/\(action)") { [self] request in
                let (principal, language) = try adminRequest(request)
                let code = request.pathParameters["code"] ?? ""
                let change = try changingDirectory(language) {
                    active ? try store.reactivateDirectoryEntry(kind, code: code, actor: principal.auditName)
                        : try store.deactivateDirectoryEntry(kind, code: code, actor: principal.auditName)
                }
                return .now(try answer(change, kind: kind, code: code, language: language))
            }
        }
    }

    /// The record after a change (or as it is, when nothing changed) with what changed.
    private func answer(_ change: DirectoryChange?, kind: DirectoryKind, code: String, language: Language) throws -> Response {
        guard let entry = change?.after ?? directory.entry(kind, code: code) else {
            throw DirectoryError.notFound(kind, code).httpError(in: language)
        }
        let effects = change?.effects ?? []
        return .json(JSON.object([("entry", Self.json(entry)), ("effects", .array(effects.map(JSON.string)))]).serialized())
    }

    private func adminRequest(_ request: Request) throws -> (Principal, Language) {
        (try administrator(request), Language.negotiate(request))
    }

    /// Runs a change, puts the new directory in force before answering (so the next
    /// request sees it), and words a refusal in the client's language.
    func changingDirectory<T>(_ language: Language, _ body: () throws -> T) throws -> T {
        do {
            let result = try body()
            try liveDirectory.reload()
            return result
        } catch let error as DirectoryError {
            throw error.httpError(in: language)
        }
    }

    private static func adminFields(_ request: Request, language: Language) throws -> [String: JSONInput] {
        guard request.mediaType == "application/json" else {
            throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
        }
        guard case .object(let fields)? = JSONInput.parse(request.body) else {
            throw HTTPError(status: 400, code: "malformed_json", .malformedJSON, in: language)
        }
        return fields
    }

    /// A text field: nil when absent or null; 422 naming the field when it is not text.
    private static func text(_ fields: [String: JSONInput], _ name: String, language: Language) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw HTTPError(status: 422, code: "invalid_field", .directoryInvalidField, ["name": name], in: language)
        }
    }

    static func json(_ entry: DirectoryEntry) -> JSON {
        var members: [(String, JSON)] = [("code", .string(entry.code)), ("name", .string(entry.name))]
        if entry.kind.hasEnglishName { members.append(("name_en", .optional(entry.englishName))) }
        if entry.kind.hasDepartment { members.append(("department", .optional(entry.department))) }
        if entry.kind == .staff { members.append(("window", .optional(entry.window))) }
        members.append(("active", .bool(entry.active)))
        return .object(members)
    }
}
