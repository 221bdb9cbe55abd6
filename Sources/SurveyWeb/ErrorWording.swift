import MicroHTTP
import SurveyCore

// Domain errors carry a stable code and their data; the words people read come from the
// catalogue, in the language they asked for.

extension SubmissionError {
    func message(in language: Language) -> String {
        switch self {
        case .unknownWindow(let code): language[.unknownWindow, ["code": code]]
        case .missingScore(let dimension): language[.missingScore, ["dimension": language[.label(dimension)]]]
        case .invalidScore(let dimension): language[.invalidScore, ["dimension": language[.label(dimension)]]]
        case .unknownChannel(let name): language[.unknownChannel, ["name": name]]
        case .commentTooLong(let limit): language[.commentTooLong, ["limit": String(limit)]]
        case .reasonTooLong(let limit): language[.reasonTooLong, ["limit": String(limit)]]
        case .tooManyReasons(let limit): language[.tooManyReasons, ["limit": String(limit)]]
        case .reasonRequired(let dimension, let level):
            language[.reasonRequired, ["dimension": language[.label(dimension)], "level": language[Phrase(level)]]]
        case .invalidRatedAt: language[.invalidRatedAt]
        case .ratedAtOutOfRange(let days): language[.ratedAtOutOfRange, ["days": String(days)]]
        case .invalidClientID: language[.invalidClientID]
        case .unknownServiceItem(let code): language[.unknownServiceItem, ["code": code]]
        case .unknownStaff(let code): language[.unknownStaff, ["code": code]]
        }
    }
}

extension PeriodError {
    func message(in language: Language) -> String {
        switch self {
        case .empty: language[.periodEmpty] + " " + language[.periodForms]
        case .unrecognized(let text): language[.periodUnrecognized, ["text": text]] + " " + language[.periodForms]
        case .yearOutOfRange(let text): language[.periodYearOutOfRange, ["text": text]]
        case .monthOutOfRange(let text): language[.periodMonthOutOfRange, ["text": text]]
        case .quarterOutOfRange(let text): language[.periodQuarterOutOfRange, ["text": text]]
        case .halfOutOfRange(let text): language[.periodHalfOutOfRange, ["text": text]]
        case .invalidDate(let text): language[.periodInvalidDate, ["text": text]]
        case .reversedRange(let text): language[.periodReversedRange, ["text": text]]
        }
    }
}

extension HTTPError {
    /// An error the HTTP server (or the router) gave on its own, re-worded by its code in
    /// the client's language; the server's own English stays only for codes the catalogue
    /// does not know.
    func worded(in language: Language) -> HTTPError {
        guard let phrase = Phrase(serverCode: code) else { return self }
        var error = self
        error.message = language[phrase]
        return error
    }

    /// An error whose message comes from the catalogue.
    init(status: Int, code: String, _ phrase: Phrase, _ arguments: [String: String] = [:], in language: Language) {
        self.init(status: status, code: code, message: language[phrase, arguments])
    }
}

extension IndicatorError {
    func message(in language: Language) -> String {
        switch self {
        case .negativeWeight(let dimension, let weight):
            language[.indicatorNegativeWeight, ["dimension": language[.label(dimension)], "weight": "\(weight)"]]
        case .weightsDoNotSumToOne(let sum): language[.indicatorWeightsSum, ["sum": "\(sum)"]]
        case .noGradeBands: language[.indicatorNoGradeBands]
        case .blankGradeBand(let position): language[.indicatorBlankGradeBand, ["position": String(position)]]
        case .duplicateGradeCode(let code): language[.indicatorDuplicateGradeCode, ["code": code]]
        case .gradeThresholdOutOfRange(let code, let threshold):
            language[.indicatorThresholdOutOfRange, ["code": code, "threshold": "\(threshold)"]]
        case .gradeThresholdTooPrecise(let code, let threshold):
            language[.indicatorThresholdTooPrecise, ["code": code, "threshold": "\(threshold)"]]
        case .gradeThresholdsNotDescending(let code): language[.indicatorThresholdsNotDescending, ["code": code]]
        case .lowestGradeThresholdNotZero(let code, let threshold):
            language[.indicatorLowestThresholdNotZero, ["code": code, "threshold": "\(threshold)"]]
        case .minimumSampleTooSmall(let value): language[.indicatorMinimumSampleTooSmall, ["value": String(value)]]
        case .inconsistentTally: language[.indicatorInconsistentTally]
        }
    }
}

extension ReasonListError {
    func message(in language: Language) -> String {
        switch self {
        case .emptyList(let dimension): language[.reasonListEmpty, ["dimension": language[.label(dimension)]]]
        case .tooManyReasons(let dimension, let count):
            language[.reasonListTooMany, [
                "dimension": language[.label(dimension)], "count": String(count), "max": String(ReasonLists.maxReasonsPerList),
            ]]
        case .blankReason(let dimension, let position):
            language[.reasonListBlank, ["dimension": language[.label(dimension)], "position": String(position)]]
        case .reasonTooLong(let dimension, let position):
            language[.reasonListTooLong, [
                "dimension": language[.label(dimension)], "position": String(position), "max": String(ReasonLists.maxReasonLength),
            ]]
        case .duplicateReason(let dimension, let reason):
            language[.reasonListDuplicate, ["dimension": language[.label(dimension)], "reason": reason]]
        }
    }
}
