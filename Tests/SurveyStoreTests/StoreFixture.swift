import Foundation
import SurveyCore
import SurveyStore

/// A small center on a temporary SQLite file: two departments, three windows, staff and
/// service items, and a way to make submissions for any of them.
struct StoreFixture {
    let store: SurveyStore
    let path: String
    let permits: Department      // 审批科: windows W1, W2; staff S1, S2; item I1
    let tax: Department          // 税务科: window W3; staff S3; item I2
    let w1: ServiceWindow
    let w2: ServiceWindow
    let w3: ServiceWindow
    let s1: StaffMember
    let s2: StaffMember
    let s3: StaffMember
    let i1: ServiceItem
    let i2: ServiceItem

    /// The center's zone: Beijing time, as every fixture time below is written.
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    static func temporaryPath() -> String {
        NSTemporaryDirectory() + "pingjia-store-\(UUID().uuidString).sqlite"
    }

    init(path: String = StoreFixture.temporaryPath(), timeZone: TimeZone) throws {
        self.path = path
        store = try SurveyStore(path: path, timeZone: timeZone)
        permits = try store.addDepartment(code: "SPK", name: "审批科")
        tax = try store.addDepartment(code: "SWK", name: "税务科")
        w1 = try store.addWindow(code: "W1", name: "1号窗口", departmentID: permits.id)
        w2 = try store.addWindow(code: "W2", name: "2号窗口", departmentID: permits.id)
        w3 = try store.addWindow(code: "W3", name: "3号窗口", departmentID: tax.id)
        s1 = try store.addStaff(code: "S1", name: "张一", departmentID: permits.id)
        s2 = try store.addStaff(code: "S2", name: "李二", departmentID: permits.id)
        s3 = try store.addStaff(code: "S3", name: "王三", departmentID: tax.id)
        i1 = try store.addServiceItem(code: "I1", name: "营业执照办理", departmentID: permits.id)
        i2 = try store.addServiceItem(code: "I2", name: "发票申领", departmentID: tax.id)
    }

    var windows: [ServiceWindow] { [w1, w2, w3] }

    func department(of window: ServiceWindow) -> Department {
        window.departmentID == permits.id ? permits : tax
    }

    /// A submission at `window` with levels given as Pingjia numbers (5 = 非常满意).
    func submission(
        _ window: ServiceWindow, _ attitude: Int, _ efficiency: Int, _ result: Int,
        staff: StaffMember? = nil, item: ServiceItem? = nil, clientID: String = UUID().uuidString
    ) -> ValidatedSubmission {
        let ratings = Ratings(attitude: Level(rawValue: attitude)!, efficiency: Level(rawValue: efficiency)!, result: Level(rawValue: result)!)
        return ValidatedSubmission(
            window: window, department: department(of: window), ratings: ratings, comment: nil,
            reasons: ratings.isNegative ? ["等候时间长"] : [], channel: .kiosk, clientID: clientID,
            serviceItem: item, staff: staff
        )
    }

    /// Stores a submission at the given Beijing-time wall clock (UTC+8, no DST since 1991).
    @discardableResult
    func record(
        _ window: ServiceWindow, _ levels: (Int, Int, Int), at beijing: String,
        staff: StaffMember? = nil, item: ServiceItem? = nil
    ) throws -> StoredResponse {
        try store.record(
            submission(window, levels.0, levels.1, levels.2, staff: staff, item: item),
            atMillis: Self.millis(beijing: beijing)
        ).response
    }

    /// `2026-09-30 23:59:59` read as Beijing time, in UTC milliseconds.
    static func millis(beijing text: String) -> Int64 {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return Int64(formatter.date(from: text)!.timeIntervalSince1970 * 1000)
    }
}

/// SplitMix64: a small deterministic generator, so a failing seed can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func period(_ text: String) -> Period {
    try! Period(parsing: text)
}
