import Foundation

/// A score as it arrived, before validation: missing, a whole number (perhaps out of
/// range), or something that is not a whole number at all.
public enum ScoreInput: Sendable, Equatable {
    case absent
    case number(Int)
    case notANumber
}

/// A rating as a client submitted it, not yet checked against the directory or policy.
public struct Submission: Sendable, Equatable {
    public var windowCode: String
    public var attitude: ScoreInput
    public var efficiency: ScoreInput
    public var result: ScoreInput
    public var comment: String?
    public var reasons: [String]
    public var channel: String?
    public var clientID: String?
    public var serviceItemCode: String?
    public var staffCode: String?
    /// The token of the visit (一次一评) the rating is for, as sent; the web layer checks it
    /// and, when it is good, takes the window from the visit.
    public var visitToken: String? = nil

    public init(
        windowCode: String,
        attitude: ScoreInput,
        efficiency: ScoreInput,
        result: ScoreInput,
        comment: String? = nil,
        reasons: [String] = [],
        channel: String? = nil,
        clientID: String? = nil,
        serviceItemCode: String? = nil,
        staffCode: String? = nil
    ) {
        self.windowCode = windowCode
        self.attitude = attitude
        self.efficiency = efficiency
        self.result = result
        self.comment = comment
        self.reasons = reasons
        self.channel = channel
        self.clientID = clientID
        self.serviceItemCode = serviceItemCode
        self.staffCode = staffCode
    }

    public func score(_ dimension: RatingDimension) -> ScoreInput {
        switch dimension {
        case .attitude: attitude
        case .efficiency: efficiency
        case .result: result
        }
    }
}

/// The center's rules for what a submission must and may carry.
public struct SurveyPolicy: Sendable, Equatable {
    /// The reasons offered for a 差评 (待选原因), per dimension; free-text reasons are
    /// accepted too.
    public var reasonLists: ReasonLists
    /// Every offered reason once, for pages that show one box of reasons for all three
    /// dimensions; derived from `reasonLists`.
    public var negativeReasons: [String] { reasonLists.allChinese }
    /// The longest comment accepted, in characters as a person counts them.
    public var commentMaxLength: Int
    /// The longest single reason accepted, in characters.
    public var reasonMaxLength: Int
    /// How many reasons one response may carry.
    public var maxReasons: Int

    public init(
        reasonLists: ReasonLists = .default,
        commentMaxLength: Int = 500,
        reasonMaxLength: Int = 100,
        maxReasons: Int = 8
    ) {
        self.reasonLists = reasonLists
        self.commentMaxLength = commentMaxLength
        self.reasonMaxLength = reasonMaxLength
        self.maxReasons = maxReasons
    }

    public static let defaultNegativeReasons = [
        "等候时间长", "态度不好", "一次没办成", "材料要求不清楚", "来回跑多次", "系统故障",
    ]
}

/// A submission that passed every check, tied to the window and department it rates.
public struct ValidatedSubmission: Sendable, Equatable {
    public var window: ServiceWindow
    public var department: Department
    public var ratings: Ratings
    public var comment: String?
    public var reasons: [String]
    public var channel: Channel
    public var clientID: String
    public var serviceItem: ServiceItem?
    public var staff: StaffMember?
    /// How the submission arrived; set by the web layer from the token or key it carried.
    public var provenance: Provenance
    /// The rule that flagged the submission as suspect (a rate limit, the honeypot), set by
    /// the web layer; such a submission is stored with the status `suspect`, kept but not
    /// counted until staff restore it. Nil for an ordinary submission.
    public var flagRule: FlagRule?
    /// The visit (一次一评) the rating is bound to, by its id, when it carried a valid visit
    /// token or came through a visit's link; the store binds at most one rating to a visit.
    public var visitID: Int64? = nil

    /// Builds a validated submission directly, for trusted sources such as an import of
    /// history; everything citizens send goes through `Submission.validated(in:policy:)`.
    public init(
        window: ServiceWindow, department: Department, ratings: Ratings, comment: String?, reasons: [String],
        channel: Channel, clientID: String, serviceItem: ServiceItem?, staff: StaffMember?,
        provenance: Provenance = .unverified
    ) {
        self.window = window
        self.department = department
        self.ratings = ratings
        self.comment = comment
        self.reasons = reasons
        self.channel = channel
        self.clientID = clientID
        self.serviceItem = serviceItem
        self.staff = staff
        self.provenance = provenance
    }
}

extension Submission {
    /// Checks the submission against the directory and policy. The first problem found
    /// is thrown; scores are checked before reasons so the message names the root cause.
    public func validated(in directory: Directory, policy: SurveyPolicy) throws(SubmissionError) -> ValidatedSubmission {
        let code = windowCode.trimmingCharacters(in: .whitespaces)
        guard let window = directory.window(code: code), window.active,
              let department = directory.department(id: window.departmentID) else {
            throw .unknownWindow(code)
        }
        var levels: [RatingDimension: Level] = [:]
        for dimension in RatingDimension.allCases {
            switch score(dimension) {
            case .absent:
                throw .missingScore(dimension)
            case .notANumber:
                throw .invalidScore(dimension)
            case .number(let value):
                guard let level = Level(rawValue: value) else { throw .invalidScore(dimension) }
                levels[dimension] = level
            }
        }
        let ratings = Ratings(attitude: levels[.attitude]!, efficiency: levels[.efficiency]!, result: levels[.result]!)

        let channel: Channel
        if let name = self.channel, !name.isEmpty {
            guard let known = Channel(rawValue: name) else { throw .unknownChannel(name) }
            channel = known
        } else {
            channel = .web
        }

        let comment = self.comment.map(TextNormalization.normalized).flatMap { $0.isEmpty ? nil : $0 }
        if let comment, comment.count > policy.commentMaxLength {
            throw .commentTooLong(limit: policy.commentMaxLength)
        }

        var reasons: [String] = []
        for raw in self.reasons {
            let reason = TextNormalization.normalized(raw)
            guard !reason.isEmpty, !reasons.contains(reason) else { continue }
            guard reason.count <= policy.reasonMaxLength else { throw .reasonTooLong(limit: policy.reasonMaxLength) }
            reasons.append(reason)
        }
        guard reasons.count <= policy.maxReasons else { throw .tooManyReasons(limit: policy.maxReasons) }
        if ratings.isNegative && reasons.isEmpty {
            throw .reasonRequired
        }

        guard let clientID = self.clientID.map(ClientID.canonical), ClientID.isValid(clientID) else {
            throw .invalidClientID
        }

        var item: ServiceItem?
        if let itemCode = serviceItemCode, !itemCode.isEmpty {
            guard let found = directory.item(code: itemCode), found.active, found.departmentID == department.id else {
                throw .unknownServiceItem(itemCode)
            }
            item = found
        }
        var staff: StaffMember?
        if let staffCode, !staffCode.isEmpty {
            guard let found = directory.staffMember(code: staffCode), found.active, found.departmentID == department.id else {
                throw .unknownStaff(staffCode)
            }
            staff = found
        }

        return ValidatedSubmission(
            window: window, department: department, ratings: ratings, comment: comment,
            reasons: reasons, channel: channel, clientID: clientID, serviceItem: item, staff: staff
        )
    }
}

/// The idempotency key a client attaches so that a retried submission is stored once.
public enum ClientID {
    /// 8 to 64 characters of letters, digits, `-`, `_`, `.` or `:`; a UUID fits.
    public static func isValid(_ id: String) -> Bool {
        (8...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: ":"):
                true
            default:
                false
            }
        }
    }

    /// The id in the form it is stored and compared in: a UUID at its start in lower case,
    /// since `6F1C…` and `6f1c…` are the same UUID; anything else as it is.
    public static func canonical(_ id: String) -> String {
        let utf8 = Array(id.utf8)
        guard utf8.count >= 36 else { return id }
        for (index, byte) in utf8.prefix(36).enumerated() {
            let isDash = index == 8 || index == 13 || index == 18 || index == 23
            let isHex = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
            guard isDash ? byte == UInt8(ascii: "-") : isHex else { return id }
        }
        return String(decoding: utf8.prefix(36), as: UTF8.self).lowercased() + String(decoding: utf8.dropFirst(36), as: UTF8.self)
    }

    /// A fresh random identifier, for forms that do not bring their own.
    public static func make() -> String {
        UUID().uuidString.lowercased()
    }
}
