/// What a member of the center's staff may do, by role.
public enum StaffRole: String, Sendable, CaseIterable, Codable {
    /// Everything, center-wide: accounts, rulings on appeals and extensions.
    case admin
    /// A department head (科室负责人): reads and handles the feedback and cases of their
    /// own department(s) only.
    case head
    /// Handles the cases assigned to them, in their department(s).
    case reviewer
    /// Reads everything, changes nothing (the assessment office).
    case viewer

    /// Whether the role sees every department, whatever departments it is given.
    public var seesEveryDepartment: Bool { self == .admin || self == .viewer }

    /// Whether the role may change anything at all.
    public var mayChange: Bool { self != .viewer }
}

/// The departments someone may see.
public enum DepartmentScope: Sendable, Equatable {
    /// Every department of the center.
    case all
    /// Only these departments, by code.
    case only(Set<String>)

    /// Whether a department is inside the scope.
    public func includes(_ departmentCode: String) -> Bool {
        switch self {
        case .all: true
        case .only(let codes): codes.contains(departmentCode)
        }
    }
}

/// Who is asking, as the staff pages and the staff API see it: a signed-in person or an
/// integration's API key. Every read and change is filtered through `departments`, so a
/// record outside them is, to this principal, a record that does not exist (404, never 403:
/// a guessed id must not even confirm that the record exists).
public struct Principal: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A person signed in with a staff account.
        case staff(username: String, role: StaffRole)
        /// An integration holding an API key, named after the key.
        case apiKey(name: String, scopes: Set<String>)
    }

    public var kind: Kind
    public var departments: DepartmentScope

    public init(kind: Kind, departments: DepartmentScope) {
        self.kind = kind
        self.departments = departments
    }

    /// The name that goes into the audit log: the username, or `key:` and the key's name.
    public var auditName: String {
        switch kind {
        case .staff(let username, _): username
        case .apiKey(let name, _): "key:\(name)"
        }
    }

    /// The staff role, or `nil` for an API key.
    public var role: StaffRole? {
        if case .staff(_, let role) = kind { return role }
        return nil
    }
}
