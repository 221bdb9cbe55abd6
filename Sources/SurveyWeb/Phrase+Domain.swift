import SurveyCore

// The phrases of domain values: a level, a dimension, the HTTP server's own error codes.
extension Phrase {
    /// The phrase for an error code the HTTP server gives itself, so its own English words
    /// are only a fallback.
    init?(serverCode code: String) {
        self.init(rawValue: "http." + code)
    }

    init(_ level: Level) {
        switch level {
        case .verySatisfied: self = .level5
        case .satisfied: self = .level4
        case .neutral: self = .level3
        case .dissatisfied: self = .level2
        case .veryDissatisfied: self = .level1
        }
    }

    /// The dimension's short name.
    static func label(_ dimension: RatingDimension) -> Phrase {
        switch dimension {
        case .attitude: .attitudeLabel
        case .efficiency: .efficiencyLabel
        case .result: .resultLabel
        }
    }

    /// The question the form asks about the dimension.
    static func question(_ dimension: RatingDimension) -> Phrase {
        switch dimension {
        case .attitude: .attitudeQuestion
        case .efficiency: .efficiencyQuestion
        case .result: .resultQuestion
        }
    }
}
