import Foundation

/// A score as it arrived, before validation: missing, a whole number (perhaps out of
/// range), or something that is not a whole number at all.
public enum ScoreInput: Sendable, Equatable {
    case absent
    case number(Int)
    case notANumber
}

/// The time a rating was given, as a client sent it: absent (given just now), an instant in
/// UTC milliseconds, or text that is no RFC 3339 time.
public enum TimeInput: Sendable, Equatable {
    case absent
    case millis(Int64)
    case unreadable
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
    /// The reasons chosen for each question, when the client asks them per question. Only
    /// the reasons of a question answered negatively are kept.
    public var reasonsByDimension: [RatingDimension: [String]] = [:]
    /// When the citizen gave the rating; a device that was offline sends it later.
    public var ratedAt: TimeInput = .absent
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
    /// The oldest `rated_at` accepted, in seconds before it arrives: a device offline for
    /// longer than this has lost track of its ratings' context.
    public var ratedAtMaxAgeSeconds: Int64 = 7 * 86_400
    /// How far ahead of the server's clock a device's `rated_at` may be.
    public var ratedAtMaxSkewSeconds: Int64 = 300

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
    /// When the citizen gave the rating, if the client said so; nil means when it arrived.
    /// The period a response counts in is taken from this time.
    public var ratedAtMillis: Int64?
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
        provenance: Provenance = .unverified, ratedAtMillis: Int64? = nil
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
        self.ratedAtMillis = ratedAtMillis
    }
}

extension Submission {
    /// Checks the submission against the directory and policy. The first problem found
    /// is thrown; scores are checked before reasons so the message names the root cause.
    public func validated(
        in directory: Directory, policy: SurveyPolicy, nowMillis: Int64 = UTCTimestamp.nowMillis()
    ) throws(SubmissionError) -> ValidatedSubmission {
        do throws(SubmissionProblems) {
            return try validatedReportingAll(in: directory, policy: policy, nowMillis: nowMillis)
        } catch {
            throw error.problems[0]
        }
    }

    /// Checks the submission like `validated(in:policy:)`, but reports every problem at
    /// once, in the order of the form: scores, reasons, comment, then the rest. An unknown
    /// window is reported alone, since nothing else can be checked without it.
    public func validatedReportingAll(
        in directory: Directory, policy: SurveyPolicy, nowMillis: Int64 = UTCTimestamp.nowMillis()
    ) throws(SubmissionProblems) -> ValidatedSubmission {
        let code = windowCode.trimmingCharacters(in: .whitespaces)
        guard let window = directory.window(code: code), window.active,
              let department = directory.department(id: window.departmentID) else {
            throw SubmissionProblems([.unknownWindow(code)])
        }
        var problems: [SubmissionError] = []
        var levels: [RatingDimension: Level] = [:]
        for dimension in RatingDimension.allCases {
            switch score(dimension) {
            case .absent:
                problems.append(.missingScore(dimension))
            case .notANumber:
                problems.append(.invalidScore(dimension))
            case .number(let value):
                if let level = Level(rawValue: value) { levels[dimension] = level } else { problems.append(.invalidScore(dimension)) }
            }
        }

        var reasons: [String] = []
        var tooLong = false
        func collect(_ raw: [String]) -> Bool {
            var any = false
            for text in raw {
                let reason = TextNormalization.normalized(text)
                guard !reason.isEmpty else { continue }
                any = true
                if reason.count > policy.reasonMaxLength { tooLong = true; continue }
                if !reasons.contains(reason) { reasons.append(reason) }
            }
            return any
        }
        let anyGeneral = collect(self.reasons)
        for dimension in RatingDimension.allCases {
            // A reason left ticked on a question later answered positively is not the
            // citizen's complaint: only a negative question's reasons are kept.
            guard let level = levels[dimension], level.isNegative else { continue }
            let given = collect(reasonsByDimension[dimension] ?? [])
            if !given && !anyGeneral { problems.append(.reasonRequired(dimension, level)) }
        }
        if tooLong { problems.append(.reasonTooLong(limit: policy.reasonMaxLength)) }
        if reasons.count > policy.maxReasons { problems.append(.tooManyReasons(limit: policy.maxReasons)) }

        let comment = self.comment.map(TextNormalization.normalized).flatMap { $0.isEmpty ? nil : $0 }
        if let comment, comment.count > policy.commentMaxLength {
            problems.append(.commentTooLong(limit: policy.commentMaxLength))
        }

        var channel = Channel.web
        if let name = self.channel, !name.isEmpty {
            if let known = Channel(rawValue: name) { channel = known } else { problems.append(.unknownChannel(name)) }
        }

        let clientID = self.clientID.map(ClientID.canonical)
        if clientID.map(ClientID.isValid) != true { problems.append(.invalidClientID) }

        var ratedAtMillis: Int64?
        switch ratedAt {
        case .absent: break
        case .unreadable: problems.append(.invalidRatedAt)
        case .millis(let millis):
            if millis > nowMillis + policy.ratedAtMaxSkewSeconds * 1000 || millis < nowMillis - policy.ratedAtMaxAgeSeconds * 1000 {
                problems.append(.ratedAtOutOfRange(maxAgeDays: Int(policy.ratedAtMaxAgeSeconds / 86_400)))
            } else {
                ratedAtMillis = millis
            }
        }

        var item: ServiceItem?
        if let itemCode = serviceItemCode, !itemCode.isEmpty {
            if let found = directory.item(code: itemCode), found.active, found.departmentID == department.id { item = found } else {
                problems.append(.unknownServiceItem(itemCode))
            }
        }
        var staff: StaffMember?
        if let staffCode, !staffCode.isEmpty {
            if let found = directory.staffMember(code: staffCode), found.active, found.departmentID == department.id { staff = found } else {
                problems.append(.unknownStaff(staffCode))
            }
        }

        guard problems.isEmpty, let clientID,
              let attitude = levels[.attitude], let efficiency = levels[.efficiency], let result = levels[.result] else {
            throw SubmissionProblems(problems)
        }
        return ValidatedSubmission(
            window: window, department: department,
            ratings: Ratings(attitude: attitude, efficiency: efficiency, result: result), comment: comment,
            reasons: reasons, channel: channel, clientID: clientID, serviceItem: item, staff: staff,
            ratedAtMillis: ratedAtMillis
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
