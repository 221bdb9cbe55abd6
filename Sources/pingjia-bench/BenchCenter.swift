import Foundation
import SurveyCore
import SurveyStore

/// A synthetic district center: 20 departments of 6 windows, 2 staff per window and 15
/// service items per department, with a deterministic stream of a year's responses.
struct BenchCenter {
    static let departmentCount = 20
    static let windowsPerDepartment = 6
    static let staffPerWindow = 2
    static let itemsPerDepartment = 15

    let directory: Directory
    let windows: [ServiceWindow]
    let departmentsByID: [Int64: Department]
    let staffByWindow: [Int64: [StaffMember]]
    let itemsByDepartment: [Int64: [ServiceItem]]

    /// Creates the directory in `store`.
    static func create(in store: SurveyStore) throws -> BenchCenter {
        for d in 1...departmentCount {
            let department = try store.addDepartment(code: "D\(d)", name: "科室\(d)")
            for w in 1...windowsPerDepartment {
                let window = try store.addWindow(code: "D\(d)W\(w)", name: "窗口\(d)-\(w)", departmentID: department.id)
                for s in 1...staffPerWindow {
                    try store.addStaff(code: "D\(d)W\(w)S\(s)", name: "员工\(d)-\(w)-\(s)", departmentID: department.id)
                    _ = window
                }
            }
            for i in 1...itemsPerDepartment {
                try store.addServiceItem(code: "D\(d)I\(i)", name: "事项\(d)-\(i)", departmentID: department.id)
            }
        }
        return try BenchCenter(directory: store.directory())
    }

    init(directory: Directory) throws {
        self.directory = directory
        windows = directory.windows.sorted { $0.id < $1.id }
        departmentsByID = Dictionary(uniqueKeysWithValues: directory.departments.map { ($0.id, $0) })
        let staffByCode = Dictionary(uniqueKeysWithValues: directory.staff.map { ($0.code, $0) })
        var staffByWindow: [Int64: [StaffMember]] = [:]
        for window in windows {
            staffByWindow[window.id] = (1...Self.staffPerWindow).compactMap { staffByCode["\(window.code)S\($0)"] }
        }
        self.staffByWindow = staffByWindow
        itemsByDepartment = Dictionary(grouping: directory.items, by: \.departmentID)
    }

    /// One synthetic response: where, who, what, and how it was rated.
    struct Draw {
        var window: ServiceWindow
        var department: Department
        var staff: StaffMember?
        var item: ServiceItem?
        var ratings: Ratings
        var channel: Channel
        var misuse: Bool
    }

    /// Levels skewed to satisfied, as real ratings are: 5 at 60 %, 4 at 25 %, 3 at 10 %,
    /// 2 at 3 %, 1 at 2 % (so about 14 % of responses are 差评).
    private static func level(_ random: inout SplitMix) -> Level {
        switch random.next() % 100 {
        case 0..<60: .verySatisfied
        case 60..<85: .satisfied
        case 85..<95: .neutral
        case 95..<98: .dissatisfied
        default: .veryDissatisfied
        }
    }

    func draw(_ random: inout SplitMix) -> Draw {
        let window = windows[Int(random.next() % UInt64(windows.count))]
        let staffList = staffByWindow[window.id]!
        let items = itemsByDepartment[window.departmentID]!
        let staff = random.next() % 10 == 0 ? nil : staffList[Int(random.next() % UInt64(staffList.count))]
        let item = random.next() % 5 == 0 ? nil : items[Int(random.next() % UInt64(items.count))]
        let ratings = Ratings(attitude: Self.level(&random), efficiency: Self.level(&random), result: Self.level(&random))
        let channel = Channel.allCases[Int(random.next() % 3)]
        return Draw(
            window: window, department: departmentsByID[window.departmentID]!, staff: staff, item: item,
            ratings: ratings, channel: channel, misuse: random.next() % 500 == 0
        )
    }

    func submission(_ draw: Draw, clientID: String) -> ValidatedSubmission {
        ValidatedSubmission(
            window: draw.window, department: draw.department, ratings: draw.ratings, comment: nil,
            reasons: draw.ratings.isNegative ? ["等候时间长"] : [], channel: draw.channel, clientID: clientID,
            serviceItem: draw.item, staff: draw.staff
        )
    }
}

/// SplitMix64, so every run generates the same center.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Wall-clock timing with the monotonic clock.
enum Stopwatch {
    static func time<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (result, clock.now - start)
    }

    /// Runs `body` `runs` times after one warm-up run; returns the median and the fastest.
    static func repeated(_ runs: Int, _ body: () throws -> Void) rethrows -> (median: Duration, best: Duration) {
        try body()
        var durations: [Duration] = []
        for _ in 0..<runs {
            durations.append(try time(body).1)
        }
        durations.sort()
        return (durations[durations.count / 2], durations[0])
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    var seconds: Double { milliseconds / 1000 }

    var formattedMilliseconds: String { String(format: "%.2f ms", milliseconds) }
    var formattedSeconds: String { String(format: "%.1f s", seconds) }
}
