/// A point on the national five-level satisfaction scale (政务服务"好差评").
///
/// Pingjia's own numbering runs with satisfaction: 5 = 非常满意 … 1 = 非常不满意, so a
/// mean is "higher is better". GB/T 39046-2020 codes the same levels the other way round
/// (1 = 非常满意 … 5 = 非常不满意); `gbtCode` and `init(gbtCode:)` are the only
/// crossing between the two, and nothing relies on the order of either.
public enum Level: Int, Sendable, CaseIterable, Codable, Comparable {
    case veryDissatisfied = 1
    case dissatisfied = 2
    case neutral = 3
    case satisfied = 4
    case verySatisfied = 5

    /// The code of this level in GB/T 39046-2020.
    public var gbtCode: Int {
        switch self {
        case .verySatisfied: 1
        case .satisfied: 2
        case .neutral: 3
        case .dissatisfied: 4
        case .veryDissatisfied: 5
        }
    }

    public init?(gbtCode: Int) {
        guard let level = Level.allCases.first(where: { $0.gbtCode == gbtCode }) else { return nil }
        self = level
    }

    /// 不满意 and 非常不满意 are 差评 (a negative rating).
    public var isNegative: Bool { self <= .dissatisfied }

    public var chineseLabel: String {
        switch self {
        case .verySatisfied: "非常满意"
        case .satisfied: "满意"
        case .neutral: "基本满意"
        case .dissatisfied: "不满意"
        case .veryDissatisfied: "非常不满意"
        }
    }

    public var englishLabel: String {
        switch self {
        case .verySatisfied: "Very satisfied"
        case .satisfied: "Satisfied"
        case .neutral: "Fairly satisfied"
        case .dissatisfied: "Dissatisfied"
        case .veryDissatisfied: "Very dissatisfied"
        }
    }

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The three things a citizen rates after being served.
public enum RatingDimension: String, Sendable, CaseIterable, Codable {
    /// 服务态度
    case attitude
    /// 办事效率
    case efficiency
    /// 办理结果
    case result

    public var chineseLabel: String {
        switch self {
        case .attitude: "服务态度"
        case .efficiency: "办事效率"
        case .result: "办理结果"
        }
    }

    public var englishLabel: String {
        switch self {
        case .attitude: "Service attitude"
        case .efficiency: "Efficiency"
        case .result: "Result"
        }
    }
}

/// One citizen's levels on the three dimensions.
public struct Ratings: Sendable, Equatable, Codable {
    public var attitude: Level
    public var efficiency: Level
    public var result: Level

    public init(attitude: Level, efficiency: Level, result: Level) {
        self.attitude = attitude
        self.efficiency = efficiency
        self.result = result
    }

    public subscript(dimension: RatingDimension) -> Level {
        switch dimension {
        case .attitude: attitude
        case .efficiency: efficiency
        case .result: result
        }
    }

    /// A response with any dimension at 不满意 or below is a 差评.
    public var isNegative: Bool {
        RatingDimension.allCases.contains { self[$0].isNegative }
    }
}

/// Where a rating was given.
///
/// GB/T 39046 names more channels (PC, mobile, QR code, hall tablet, other hall terminal,
/// phone, SMS); Pingjia collects three of them: `kiosk` is the hall tablet
/// (政务大厅平板电脑), `qr` a phone that scanned a window's QR code, and `web` any other
/// browser or app posting to the API (PC or mobile).
public enum Channel: String, Sendable, CaseIterable, Codable {
    case kiosk
    case qr
    case web
}
