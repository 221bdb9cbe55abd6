import Foundation
import SurveyCore
import SurveyStore

/// How the staff pages write times, levels, grades and rates: one place, so the live rows
/// the script adds read exactly like the rows rendered on the server.
enum StaffFormat {
    /// `2026-11-27 14:03` in the center's zone.
    static func localTime(_ millis: Int64, in timeZone: TimeZone) -> String {
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
        let seconds = (millis >= 0 ? millis / 1000 : (millis - 999) / 1000) + offset
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        return String(format: "%04lld-%02lld-%02lld %02lld:%02lld", year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60)
    }

    /// The three levels, attitude · efficiency · result, e.g. `1 · 3 · 2`.
    static func levels(_ ratings: Ratings) -> String {
        "\(ratings.attitude.rawValue) · \(ratings.efficiency.rawValue) · \(ratings.result.rawValue)"
    }

    /// A share as a percentage with one decimal, with its parts: `3/4 75.0%`; `–` for none.
    static func rate(_ rate: CaseIndicators.Rate?) -> String {
        rate.map { "\($0.part)/\($0.whole) " + String(format: "%.1f%%", $0.value * 100) } ?? "–"
    }

    static func days(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? "–"
    }

    static func grade(_ band: GradeBand?, _ language: Language) -> String? {
        band?.label(english: language.readsEnglish)
    }

    /// The grade (the center's own label), or why there is none, from the catalogue.
    static func status(_ status: IndicatorStatus, _ language: Language) -> String {
        switch status {
        case .graded(let band): band.label(english: language.readsEnglish)
        case .insufficientSample: language[.indicatorStatusInsufficientSample]
        case .noResponses: language[.indicatorStatusNoResponses]
        }
    }

    static func phrase(_ status: ResponseStatus) -> Phrase {
        switch status {
        case .valid: .reviewStatusValid
        case .misuse: .reviewStatusMisuse
        case .invalid: .reviewStatusInvalid
        case .test: .reviewStatusTest
        case .suspect: .reviewStatusSuspect
        }
    }

    static func phrase(_ state: CaseStateName) -> Phrase {
        switch state {
        case .new: .dashCaseNew
        case .inProgress: .dashCaseInProgress
        case .rectified: .dashCaseRectified
        case .closed: .dashCaseClosed
        }
    }

    static func phrase(_ channel: Channel) -> Phrase {
        switch channel {
        case .kiosk: .reviewChannelKiosk
        case .qr: .reviewChannelQR
        case .web: .reviewChannelWeb
        }
    }
}
