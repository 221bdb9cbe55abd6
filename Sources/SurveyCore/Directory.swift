/// A department (科室): the unit whose satisfaction indicator is assessed.
public struct Department: Sendable, Equatable, Codable, TranslatedName {
    public var id: Int64
    public var code: String
    public var name: String
    /// The name English pages show; nil when the center gave none.
    public var englishName: String?
    /// A deactivated department keeps its history but takes no new windows.
    public var active: Bool

    public init(id: Int64, code: String, name: String, englishName: String? = nil, active: Bool = true) {
        self.id = id
        self.code = code
        self.name = name
        self.englishName = englishName
        self.active = active
    }
}

/// A service window (窗口). Each belongs to exactly one department.
public struct ServiceWindow: Sendable, Equatable, Codable, TranslatedName {
    public var id: Int64
    public var code: String
    public var name: String
    /// The name English pages show; nil when the center gave none.
    public var englishName: String?
    public var departmentID: Int64
    public var active: Bool

    public init(id: Int64, code: String, name: String, englishName: String? = nil, departmentID: Int64, active: Bool = true) {
        self.id = id
        self.code = code
        self.name = name
        self.englishName = englishName
        self.departmentID = departmentID
        self.active = active
    }
}

/// A service item (事项) a department handles, such as 营业执照办理.
public struct ServiceItem: Sendable, Equatable, Codable, TranslatedName {
    public var id: Int64
    public var code: String
    public var name: String
    /// The name English pages show; nil when the center gave none.
    public var englishName: String?
    public var departmentID: Int64
    /// A deactivated item keeps its history but cannot be named by new ratings.
    public var active: Bool

    public init(id: Int64, code: String, name: String, englishName: String? = nil, departmentID: Int64, active: Bool = true) {
        self.id = id
        self.code = code
        self.name = name
        self.englishName = englishName
        self.departmentID = departmentID
        self.active = active
    }
}

/// A name of the directory kept in Chinese, the language it is stored, counted and
/// reported in, with an optional English translation for English pages.
public protocol TranslatedName {
    var name: String { get }
    var englishName: String? { get }
}

extension TranslatedName {
    /// The name a page shows: the English one on an English page when there is one, the
    /// Chinese one otherwise.
    public func displayName(english: Bool) -> String {
        english ? englishName ?? name : name
    }

    /// Whether `displayName(english:)` is the Chinese name standing on an English page,
    /// so the page marks it as Chinese.
    public func isChineseOnEnglishPage(english: Bool) -> Bool {
        english && englishName == nil
    }
}

/// A member of staff who serves at a department's windows.
public struct StaffMember: Sendable, Equatable, Codable {
    public var id: Int64
    public var code: String
    public var name: String
    public var departmentID: Int64
    /// The window the member usually serves at, if any.
    public var windowID: Int64?
    /// A member who has left keeps their history but cannot be named by new ratings.
    public var active: Bool

    public init(id: Int64, code: String, name: String, departmentID: Int64, windowID: Int64? = nil, active: Bool = true) {
        self.id = id
        self.code = code
        self.name = name
        self.departmentID = departmentID
        self.windowID = windowID
        self.active = active
    }
}

/// A snapshot of the center's organisation, indexed for the lookups a submission needs.
public struct Directory: Sendable {
    public let departments: [Department]
    public let windows: [ServiceWindow]
    public let items: [ServiceItem]
    public let staff: [StaffMember]

    /// The store's directory version this snapshot was read at (0 for one made in memory);
    /// it changes with every change to the directory.
    public let version: Int64

    private let departmentsByID: [Int64: Department]
    private let windowsByCode: [String: ServiceWindow]
    private let itemsByCode: [String: ServiceItem]
    private let staffByCode: [String: StaffMember]

    public init(departments: [Department], windows: [ServiceWindow], items: [ServiceItem], staff: [StaffMember], version: Int64 = 0) {
        self.version = version
        self.departments = departments
        self.windows = windows
        self.items = items
        self.staff = staff
        departmentsByID = Dictionary(departments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        windowsByCode = Dictionary(windows.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        itemsByCode = Dictionary(items.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        staffByCode = Dictionary(staff.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public static let empty = Directory(departments: [], windows: [], items: [], staff: [])

    public func department(id: Int64) -> Department? { departmentsByID[id] }
    public func department(code: String) -> Department? { departments.first { $0.code == code } }
    public func window(id: Int64) -> ServiceWindow? { windows.first { $0.id == id } }
    public func window(code: String) -> ServiceWindow? { windowsByCode[code] }
    public func item(code: String) -> ServiceItem? { itemsByCode[code] }
    public func staffMember(code: String) -> StaffMember? { staffByCode[code] }

    /// The windows a citizen can rate, in code order.
    public var activeWindows: [ServiceWindow] {
        windows.filter(\.active).sorted { $0.code < $1.code }
    }

    public func items(of departmentID: Int64) -> [ServiceItem] {
        items.filter { $0.departmentID == departmentID }
    }

    public func staff(of departmentID: Int64) -> [StaffMember] {
        staff.filter { $0.departmentID == departmentID }
    }
}
