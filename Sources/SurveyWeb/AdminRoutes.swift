import MicroHTTP
import SurveyCore
import SurveyStore

/// The administration pages, `/staff/admin` and `/staff/admin/{departments|windows|items|staff}`:
/// lists with forms to add, edit, deactivate and reactivate. Administrators only (others
/// get a 403 page); every form carries the session's CSRF token; a change answers 303 back
/// to its list, a refused one shows the list again with the reason, in the user's language.
extension WebApplication {
    func installAdminPages(on router: Router) {
        router.get("/staff/admin") { [self] request in
            let language = Language.negotiate(request)
            guard let signedIn = try directoryAdminSession(request, language: language) else { return .seeOther("/staff/login") }
            let directory = self.directory
            return try staffPages.adminIndex(
                directory: directory, header: staffPages.header(signedIn.session, directory: directory, language: language), language: language
            )
        }
        // One literal route per kind, so that other pages under /staff/admin/ are never
        // taken for a kind of record.
        for kind in DirectoryKind.allCases {
            installAdminPages(for: kind, on: router)
        }
    }

    private func installAdminPages(for kind: DirectoryKind, on router: Router) {
        let base = "/staff/admin/\(kind.plural)"
        router.get(base) { [self] request in
            let language = Language.negotiate(request)
            guard let signedIn = try directoryAdminSession(request, language: language) else { return .seeOther("/staff/login") }
            let directory = self.directory
            return try staffPages.adminList(
                kind, directory: directory, header: staffPages.header(signedIn.session, directory: directory, language: language), language: language
            )
        }
        router.post(base) { [self] request in
            try adminForm(kind, request) { fields, actor in
                let entry = DirectoryEntry(
                    kind: kind, code: fields("code") ?? "", name: fields("name") ?? "", englishName: fields("name_en"),
                    department: fields("department"), window: fields("window").flatMap { $0.isEmpty ? nil : $0 }
                )
                try store.addDirectoryEntry(entry, actor: actor)
            }
        }
        router.post("\(base)/{code}") { [self] request in
            let code = request.pathParameters["code"] ?? ""
            return try adminForm(kind, request) { fields, actor in
                let edit = DirectoryEdit(
                    name: fields("name"), englishName: kind.hasEnglishName ? fields("name_en").map { Optional($0) } : nil,
                    code: fields("code"), department: fields("department"),
                    window: kind == .staff ? .some(fields("window")) : nil
                )
                try store.editDirectoryEntry(kind, code: code, edit, actor: actor)
            }
        }
        for (action, active) in [("deactivate", false), ("reactivate", true)] {
            router.post("\(base)/{code}/\(action)") { [self] request in
                let code = request.pathParameters["code"] ?? ""
                return try adminForm(kind, request) { _, actor in
                    if active {
                        try store.reactivateDirectoryEntry(kind, code: code, actor: actor)
                    } else {
                        try store.deactivateDirectoryEntry(kind, code: code, actor: actor)
                    }
                }
            }
        }
    }

    /// The signed-in administrator; nil when nobody is signed in; a 403 page for anyone else.
    private func directoryAdminSession(_ request: Request, language: Language) throws -> SignedIn? {
        guard let signedIn = try signedIn(request) else { return nil }
        guard signedIn.session.user.role == .admin else {
            throw HTTPError(status: 403, code: "forbidden", .adminOnly, in: language)
        }
        return signedIn
    }

    /// A posted form: checks the session, the role and the CSRF token, makes the change,
    /// and answers 303 back to the list, or the list again with why it was refused.
    private func adminForm(
        _ kind: DirectoryKind, _ request: Request, change: (_ field: (String) -> String?, _ actor: String) throws -> Void
    ) throws -> Response {
        let fields = FormDecoding.fields(request.body) ?? []
        let field = { (name: String) in fields.first { $0.name == name }?.value }
        let language = Language.negotiate(request, formValue: field("lang"))
        guard let signedIn = try directoryAdminSession(request, language: language) else { return .seeOther("/staff/login") }
        try requireCSRF(signedIn, request, language: language)
        let back = "/staff/admin/\(kind.plural)?lang=\(language.rawValue)"
        do {
            try changingDirectory(language) { try change(field, signedIn.session.user.username) }
            return .seeOther(back)
        } catch let error as HTTPError where error.status < 500 {
            let directory = self.directory
            let draft = StaffPages.AdminDraft(
                code: field("code") ?? "", name: field("name") ?? "", englishName: field("name_en") ?? "", department: field("department") ?? "", window: field("window") ?? ""
            )
            // Only the add form keeps what was typed; an edit shows the stored record again.
            let isAdd = request.path == "/staff/admin/\(kind.plural)"
            return try staffPages.adminList(
                kind, directory: directory, header: staffPages.header(signedIn.session, directory: directory, language: language),
                language: language, error: error, draft: isAdd ? draft : StaffPages.AdminDraft()
            )
        }
    }
}
