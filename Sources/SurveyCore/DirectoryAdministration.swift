/// The four kinds of record the center's directory holds.
public enum DirectoryKind: String, Sendable, CaseIterable, Codable, Hashable {
    case department
    case window
    case item
    case staff

    /// The plural the JSON file, the API and the pages use (`departments`, `windows`, …).
    public var plural: String {
        switch self {
        case .department: "departments"
        case .window: "windows"
        case .item: "items"
        case .staff: "staff"
        }
    }

    public init?(plural: String) {
        guard let kind = Self.allCases.first(where: { $0.plural == plural }) else { return nil }
        self = kind
    }

    /// Whether records of this kind belong to a department.
    public var hasDepartment: Bool { self != .department }

    /// Whether records of this kind carry an English name: the names citizens read
    /// (departments, windows, service items), not the staff's own names.
    public var hasEnglishName: Bool { self != .staff }
}

/// One record of the directory as people exchange it: codes instead of row ids, so an
/// export can be edited in a spreadsheet and imported again.
public struct DirectoryEntry: Sendable, Equatable, Hashable, Codable {
    public var kind: DirectoryKind
    public var code: String
    public var name: String
    /// The English name, for English pages; nil for none (and always for staff).
    public var englishName: String?
    /// The department's code; nil for a department.
    public var department: String?
    /// A member of staff's usual window, by code; nil for none (and for other kinds).
    public var window: String?
    public var active: Bool

    public init(
        kind: DirectoryKind, code: String, name: String, englishName: String? = nil, department: String? = nil, window: String? = nil,
        active: Bool = true
    ) {
        self.kind = kind
        self.code = code
        self.name = name
        self.englishName = englishName
        self.department = department
        self.window = window
        self.active = active
    }
}

/// Why a change to the directory was refused, with a stable `code`. The words people read
/// come from the web catalogue (also used by the command line).
public enum DirectoryError: Error, Sendable, Hashable {
    /// A code that is not 1–32 of `A–Z a–z 0–9 _ . -`, starting with a letter or digit.
    case invalidCode(DirectoryKind, String)
    /// A name that is empty once trimmed.
    case emptyName(DirectoryKind)
    /// A name longer than `DirectoryRules.maxNameLength`.
    case nameTooLong(DirectoryKind, limit: Int)
    /// An English name longer than `DirectoryRules.maxNameLength`.
    case englishNameTooLong(DirectoryKind, limit: Int)
    /// Another record of this kind has this code (in any letter case).
    case duplicateCode(DirectoryKind, String)
    /// No record of this kind has this code.
    case notFound(DirectoryKind, String)
    /// The department named for a window, item or member of staff does not exist.
    case unknownDepartment(String)
    /// The department named is deactivated: it takes no new records.
    case inactiveDepartment(String)
    /// The usual window named for a member of staff does not exist or is deactivated.
    case unknownWindow(String)
    /// The usual window is in another department than the member of staff.
    case windowInOtherDepartment(window: String, department: String)
    /// The record's code is on stored responses: it can be renamed, not re-coded.
    case codeInUse(DirectoryKind, String)
    /// A department that still has active windows, items or staff cannot be deactivated.
    case departmentInUse(String, active: Int)
    /// An edit that names nothing to change.
    case nothingToChange

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .invalidCode: "invalid_code"
        case .emptyName: "empty_name"
        case .nameTooLong: "name_too_long"
        case .englishNameTooLong: "name_en_too_long"
        case .duplicateCode: "duplicate_code"
        case .notFound: "not_found"
        case .unknownDepartment: "unknown_department"
        case .inactiveDepartment: "inactive_department"
        case .unknownWindow: "unknown_window"
        case .windowInOtherDepartment: "window_in_other_department"
        case .codeInUse: "code_in_use"
        case .departmentInUse: "department_in_use"
        case .nothingToChange: "nothing_to_change"
        }
    }

    /// The field of the record the problem is about, for forms and import files.
    public var field: String? {
        switch self {
        case .invalidCode, .duplicateCode, .codeInUse: "code"
        case .emptyName, .nameTooLong: "name"
        case .englishNameTooLong: "name_en"
        case .unknownDepartment, .inactiveDepartment: "department"
        case .unknownWindow, .windowInOtherDepartment: "window"
        case .notFound, .departmentInUse, .nothingToChange: nil
        }
    }
}

/// The rules every code and name of the directory follows.
public enum DirectoryRules {
    public static let maxCodeLength = 32
    public static let maxNameLength = 64

    /// The code as stored (trimmed), or a throw. Codes appear in addresses (`/kiosk/W01`)
    /// and file names, so they are ASCII letters, digits and `_ . -`.
    public static func checkedCode(_ code: String, kind: DirectoryKind) throws(DirectoryError) -> String {
        let trimmed = TextNormalization.normalized(code)
        let utf8 = Array(trimmed.utf8)
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard (1...maxCodeLength).contains(utf8.count), alphanumeric(utf8[0]),
              utf8.allSatisfy({ alphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
            throw .invalidCode(kind, code)
        }
        return trimmed
    }

    /// The name as stored: cleaned like citizens' text (`TextNormalization`: invisible and
    /// control characters removed, spaces trimmed), on one line.
    public static func checkedName(_ name: String, kind: DirectoryKind) throws(DirectoryError) -> String {
        let normalized = TextNormalization.normalized(name).split(separator: "\n").joined(separator: " ")
        guard !normalized.isEmpty else { throw .emptyName(kind) }
        guard normalized.count <= maxNameLength else { throw .nameTooLong(kind, limit: maxNameLength) }
        return normalized
    }

    /// The English name as stored, cleaned like the name and held to the same length;
    /// nil when it is empty once cleaned (no translation) and for kinds without one.
    public static func checkedEnglishName(_ name: String?, kind: DirectoryKind) throws(DirectoryError) -> String? {
        guard kind.hasEnglishName, let name else { return nil }
        let normalized = TextNormalization.normalized(name).split(separator: "\n").joined(separator: " ")
        guard !normalized.isEmpty else { return nil }
        guard normalized.count <= maxNameLength else { throw .englishNameTooLong(kind, limit: maxNameLength) }
        return normalized
    }
}

/// One change to one record: what it was (nil when it is added) and what it becomes.
public struct DirectoryChange: Sendable, Equatable {
    public var before: DirectoryEntry?
    public var after: DirectoryEntry

    public init(before: DirectoryEntry?, after: DirectoryEntry) {
        self.before = before
        self.after = after
    }

    public var kind: DirectoryKind { after.kind }

    /// What the change does, in the words the dry run and the audit use: `added`,
    /// `recoded`, `renamed`, `translated` (the English name), `moved`, `window`, `deactivated`, `reactivated`.
    public var effects: [String] {
        guard let before else { return after.active ? ["added"] : ["added", "deactivated"] }
        var effects: [String] = []
        if before.code != after.code { effects.append("recoded") }
        if before.name != after.name { effects.append("renamed") }
        if before.englishName != after.englishName { effects.append("translated") }
        if before.department != after.department { effects.append("moved") }
        if before.window != after.window { effects.append("window") }
        if before.active && !after.active { effects.append("deactivated") }
        if !before.active && after.active { effects.append("reactivated") }
        return effects
    }

    /// The audit log's action: `window.add`, `window.edit` or `window.deactivate`.
    public var auditAction: String {
        if before == nil { return "\(kind.rawValue).add" }
        if effects == ["deactivated"] { return "\(kind.rawValue).deactivate" }
        return "\(kind.rawValue).edit"
    }

    /// One line for people: `window W01: renamed, moved (1号窗口 → 综合窗口; SPK → SWK)`.
    public var summary: String {
        var details: [String] = []
        if let before {
            if before.code != after.code { details.append("\(before.code) → \(after.code)") }
            if before.name != after.name { details.append("\(before.name) → \(after.name)") }
            if before.englishName != after.englishName { details.append("\(before.englishName ?? "–") → \(after.englishName ?? "–")") }
            if before.department != after.department { details.append("\(before.department ?? "–") → \(after.department ?? "–")") }
            if before.window != after.window { details.append("\(before.window ?? "–") → \(after.window ?? "–")") }
        } else {
            details.append(after.name)
            if let english = after.englishName { details.append(english) }
            if let department = after.department { details.append(department) }
        }
        let said = "\(kind.rawValue) \(before?.code ?? after.code): \(effects.joined(separator: ", "))"
        return details.isEmpty ? said : "\(said) (\(details.joined(separator: "; ")))"
    }
}

/// The changes that turn the current directory into the one a file describes. The file is
/// the whole directory: a record missing from it is deactivated (never deleted).
public enum DirectoryPlan {
    /// Records are matched by kind and code. Departments are added first and deactivated
    /// last, so windows always have a department to go to and leave. A record whose key
    /// (`DirectoryFile.key`) is in `keepingEnglishName` keeps its English name: the file
    /// did not give one (an older file, without the `name_en` column or member).
    public static func changes(
        from current: [DirectoryEntry], to wanted: [DirectoryEntry], keepingEnglishName: Set<String> = []
    ) -> [DirectoryChange] {
        var byKey: [String: DirectoryEntry] = [:]
        for entry in current { byKey[DirectoryFile.key(kind: entry.kind, code: entry.code)] = entry }
        var seen: Set<String> = []
        var upserts: [DirectoryChange] = []
        var deactivations: [DirectoryChange] = []
        for entry in wanted {
            let key = DirectoryFile.key(kind: entry.kind, code: entry.code)
            seen.insert(key)
            guard let existing = byKey[key] else {
                upserts.append(DirectoryChange(before: nil, after: entry))
                continue
            }
            var after = entry
            after.code = existing.code
            if keepingEnglishName.contains(key) { after.englishName = existing.englishName }
            guard after != existing else { continue }
            if existing.active && !after.active && after.name == existing.name && after.englishName == existing.englishName
                && after.department == existing.department
                && after.window == existing.window {
                deactivations.append(DirectoryChange(before: existing, after: after))
            } else {
                upserts.append(DirectoryChange(before: existing, after: after))
            }
        }
        for entry in current where entry.active && !seen.contains(DirectoryFile.key(kind: entry.kind, code: entry.code)) {
            var after = entry
            after.active = false
            deactivations.append(DirectoryChange(before: entry, after: after))
        }
        // Stable: within a kind, the file's order.
        let order = { (change: DirectoryChange) in DirectoryKind.allCases.firstIndex(of: change.kind)! }
        let sortedUpserts = upserts.enumerated().sorted { (order($0.element), $0.offset) < (order($1.element), $1.offset) }.map(\.element)
        let sortedDeactivations = deactivations.enumerated()
            .sorted { (-order($0.element), $0.offset) < (-order($1.element), $1.offset) }.map(\.element)
        return sortedUpserts + sortedDeactivations
    }
}

extension Directory {
    /// Every record, departments first, each kind in code order, as a file exchanges them.
    public var entries: [DirectoryEntry] {
        let departmentCode = { (id: Int64) in self.department(id: id)?.code }
        return departments.sorted { $0.code < $1.code }.map {
            DirectoryEntry(kind: .department, code: $0.code, name: $0.name, englishName: $0.englishName, active: $0.active)
        }
            + windows.sorted { $0.code < $1.code }.map {
                DirectoryEntry(kind: .window, code: $0.code, name: $0.name, englishName: $0.englishName, department: departmentCode($0.departmentID), active: $0.active)
            }
            + items.sorted { $0.code < $1.code }.map {
                DirectoryEntry(kind: .item, code: $0.code, name: $0.name, englishName: $0.englishName, department: departmentCode($0.departmentID), active: $0.active)
            }
            + staff.sorted { $0.code < $1.code }.map {
                DirectoryEntry(
                    kind: .staff, code: $0.code, name: $0.name, department: departmentCode($0.departmentID),
                    window: $0.windowID.flatMap { self.window(id: $0)?.code }, active: $0.active
                )
            }
    }

    /// The record of this kind with this code, as exchanged.
    public func entry(_ kind: DirectoryKind, code: String) -> DirectoryEntry? {
        entries.first { $0.kind == kind && $0.code == code }
    }
}

/// What an edit changes; a field left nil stays as it is.
public struct DirectoryEdit: Sendable, Equatable {
    public var name: String?
    /// A new English name: `.some(nil)` or an empty text clears it.
    public var englishName: String??
    /// A new code; refused once the record's code is on stored responses.
    public var code: String?
    /// Another department, by code (windows, items, staff).
    public var department: String?
    /// A member of staff's usual window: `.some(nil)` or an empty code clears it.
    public var window: String??

    public init(name: String? = nil, englishName: String?? = nil, code: String? = nil, department: String? = nil, window: String?? = nil) {
        self.name = name
        self.englishName = englishName
        self.code = code
        self.department = department
        self.window = window
    }

    public var isEmpty: Bool { name == nil && englishName == nil && code == nil && department == nil && window == nil }

    /// The record with this edit made (not yet checked against the rules).
    public func applied(to entry: DirectoryEntry) -> DirectoryEntry {
        var after = entry
        if let name { after.name = name }
        if let englishName, entry.kind.hasEnglishName { after.englishName = englishName.flatMap { $0.isEmpty ? nil : $0 } }
        if let code { after.code = code }
        if let department, entry.kind.hasDepartment { after.department = department }
        if let window, entry.kind == .staff { after.window = window.flatMap { $0.isEmpty ? nil : $0 } }
        return after
    }
}
