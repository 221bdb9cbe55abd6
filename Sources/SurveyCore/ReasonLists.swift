import Foundation

/// One reason a citizen may tick for a 差评, in Chinese, with an optional English translation.
public struct Reason: Sendable, Hashable {
    /// The reason as stored with a response and shown on Chinese pages, such as 等候时间长.
    public let chinese: String
    /// The reason shown on English pages; nil shows the Chinese text (marked `lang="zh"`).
    public let english: String?

    public init(chinese: String, english: String? = nil) {
        self.chinese = chinese
        self.english = english
    }

    /// The text for a page in English (`english`) or in Chinese.
    public func text(english wantsEnglish: Bool) -> String {
        wantsEnglish ? english ?? chinese : chinese
    }
}

/// The reasons offered for a 差评, one list per rating dimension (服务态度, 办事效率, 办理结果).
///
/// A response stores the Chinese text of the reasons ticked, so the Chinese text is the
/// reason's identity: it is required, and unique within a list. Translations may be added
/// or changed at any time without touching stored responses.
public struct ReasonLists: Sendable, Hashable {
    private let lists: [RatingDimension: [Reason]]

    /// The longest reason, in characters, that a list may offer (a response may carry
    /// free-text reasons up to `SurveyPolicy.reasonMaxLength` besides).
    public static let maxReasonLength = 100
    /// The most reasons one list may offer: a screen of large tiles has room for no more.
    public static let maxReasonsPerList = 20

    /// The same list for every dimension, as a plain `survey.negative_reasons` list means.
    public init(sameForAll reasons: [Reason]) throws(ReasonListError) {
        try self.init(attitude: reasons, efficiency: reasons, result: reasons)
    }

    /// One list per dimension. Throws unless every list has 1 to `maxReasonsPerList`
    /// reasons, each with a Chinese text (and an English one, if given) that is not blank
    /// and at most `maxReasonLength` characters long, and no Chinese text twice in a list.
    public init(attitude: [Reason], efficiency: [Reason], result: [Reason]) throws(ReasonListError) {
        var lists: [RatingDimension: [Reason]] = [:]
        for (dimension, list) in [(RatingDimension.attitude, attitude), (.efficiency, efficiency), (.result, result)] {
            lists[dimension] = try Self.checked(list, dimension)
        }
        self.lists = lists
    }

    /// The center's default: the six reasons of `SurveyPolicy.defaultNegativeReasons` for
    /// every dimension, with their English translations.
    public static let `default`: ReasonLists = try! ReasonLists(sameForAll: zip(
        SurveyPolicy.defaultNegativeReasons,
        ["Long wait", "Unfriendly staff", "Not done in one visit", "Unclear document requirements",
         "Had to come back several times", "System failure"]
    ).map { Reason(chinese: $0, english: $1) })

    /// The reasons offered for a 差评 on `dimension`.
    public subscript(dimension: RatingDimension) -> [Reason] {
        lists[dimension] ?? []
    }

    /// Whether all three dimensions offer the same list.
    public var isSameForAll: Bool {
        self[.attitude] == self[.efficiency] && self[.efficiency] == self[.result]
    }

    /// Every reason's Chinese text, each once, attitude's first then those only the other
    /// lists add: the flat list pages that show one box of reasons offer.
    public var allChinese: [String] {
        var seen = Set<String>()
        return RatingDimension.allCases.flatMap { self[$0] }.map(\.chinese).filter { seen.insert($0).inserted }
    }

    /// The English translation of a stored (Chinese) reason, if any list has one.
    public func english(for chinese: String) -> String? {
        RatingDimension.allCases.lazy.flatMap { self[$0] }.first { $0.chinese == chinese && $0.english != nil }?.english
    }

    private static func checked(_ list: [Reason], _ dimension: RatingDimension) throws(ReasonListError) -> [Reason] {
        guard !list.isEmpty else { throw .emptyList(dimension) }
        guard list.count <= maxReasonsPerList else { throw .tooManyReasons(dimension, count: list.count) }
        var seen = Set<String>()
        var result: [Reason] = []
        for (index, reason) in list.enumerated() {
            let chinese = reason.chinese.trimmingCharacters(in: .whitespacesAndNewlines)
            let english = reason.english?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !chinese.isEmpty else { throw .blankReason(dimension, position: index + 1) }
            for text in [chinese, english ?? ""] where text.count > maxReasonLength {
                throw .reasonTooLong(dimension, position: index + 1)
            }
            guard seen.insert(chinese).inserted else { throw .duplicateReason(dimension, chinese) }
            result.append(Reason(chinese: chinese, english: english?.isEmpty == false ? english : nil))
        }
        return result
    }
}

/// Why a set of reason lists was refused, with a stable `code` and messages for people.
public enum ReasonListError: Error, Sendable, Hashable {
    /// A dimension's list has no reason at all.
    case emptyList(RatingDimension)
    /// A list longer than `ReasonLists.maxReasonsPerList`.
    case tooManyReasons(RatingDimension, count: Int)
    /// A reason without Chinese text; its position in the list, from 1.
    case blankReason(RatingDimension, position: Int)
    /// A reason (or its translation) longer than `ReasonLists.maxReasonLength`.
    case reasonTooLong(RatingDimension, position: Int)
    /// The same Chinese text twice in one list.
    case duplicateReason(RatingDimension, String)

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .emptyList: "reason_list_empty"
        case .tooManyReasons: "too_many_reasons"
        case .blankReason: "blank_reason"
        case .reasonTooLong: "reason_too_long"
        case .duplicateReason: "duplicate_reason"
        }
    }

    /// The message for people, in Chinese.
    public var chineseMessage: String {
        switch self {
        case .emptyList(let dimension):
            "“\(dimension.chineseLabel)”的差评原因列表为空，至少需要一个原因。"
        case .tooManyReasons(let dimension, let count):
            "“\(dimension.chineseLabel)”列出了 \(count) 个原因，最多 \(ReasonLists.maxReasonsPerList) 个。"
        case .blankReason(let dimension, let position):
            "“\(dimension.chineseLabel)”的第 \(position) 个原因缺少中文文字。"
        case .reasonTooLong(let dimension, let position):
            "“\(dimension.chineseLabel)”的第 \(position) 个原因超过 \(ReasonLists.maxReasonLength) 个字。"
        case .duplicateReason(let dimension, let text):
            "“\(dimension.chineseLabel)”的原因“\(text)”重复。"
        }
    }

    /// The message for people, in English.
    public var englishMessage: String {
        switch self {
        case .emptyList(let dimension):
            "The 差评 reasons for “\(dimension.englishLabel)” are empty; at least one reason is needed."
        case .tooManyReasons(let dimension, let count):
            "“\(dimension.englishLabel)” lists \(count) reasons; at most \(ReasonLists.maxReasonsPerList) are allowed."
        case .blankReason(let dimension, let position):
            "Reason \(position) of “\(dimension.englishLabel)” has no Chinese text."
        case .reasonTooLong(let dimension, let position):
            "Reason \(position) of “\(dimension.englishLabel)” is longer than \(ReasonLists.maxReasonLength) characters."
        case .duplicateReason(let dimension, let text):
            "The reason “\(text)” is listed twice for “\(dimension.englishLabel)”."
        }
    }
}
