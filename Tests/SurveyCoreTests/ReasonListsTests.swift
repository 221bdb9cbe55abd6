import SurveyCore
import Testing

/// The 差评 reason lists: one per dimension, checked when made, with the flat list the
/// one-box pages show derived from them.
@Suite struct ReasonListsTests {
    static let wait = Reason(chinese: "等候时间长", english: "Long wait")
    static let rude = Reason(chinese: "态度不好", english: "Unfriendly staff")
    static let redo = Reason(chinese: "一次没办成")

    @Test func aPlainListServesEveryDimensionAndTheFlatListIsItsChineseText() throws {
        let lists = try ReasonLists(sameForAll: [Self.wait, Self.rude])
        #expect(lists.isSameForAll)
        for dimension in RatingDimension.allCases {
            #expect(lists[dimension] == [Self.wait, Self.rude])
        }
        #expect(lists.allChinese == ["等候时间长", "态度不好"])
    }

    @Test func listsPerDimensionFlattenInDimensionOrderEachReasonOnce() throws {
        let lists = try ReasonLists(attitude: [Self.rude], efficiency: [Self.wait, Self.rude], result: [Self.redo, Self.wait])
        #expect(!lists.isSameForAll)
        #expect(lists[.efficiency] == [Self.wait, Self.rude])
        #expect(lists.allChinese == ["态度不好", "等候时间长", "一次没办成"])
        #expect(lists.english(for: "等候时间长") == "Long wait")
        #expect(lists.english(for: "一次没办成") == nil)
        #expect(Self.redo.text(english: true) == "一次没办成")
        #expect(Self.wait.text(english: true) == "Long wait")
    }

    @Test func textIsTrimmedAndABlankTranslationIsNone() throws {
        let lists = try ReasonLists(sameForAll: [Reason(chinese: "  等候时间长 ", english: "  ")])
        #expect(lists[.result] == [Reason(chinese: "等候时间长")])
    }

    @Test func theDefaultListsAreTheDefaultReasonsWithTranslations() {
        #expect(ReasonLists.default.allChinese == SurveyPolicy.defaultNegativeReasons)
        #expect(ReasonLists.default[.attitude].allSatisfy { $0.english != nil })
        #expect(SurveyPolicy().negativeReasons == SurveyPolicy.defaultNegativeReasons)
    }

    @Test func theFlatListOfAPolicyFollowsItsLists() throws {
        var policy = SurveyPolicy()
        policy.reasonLists = try ReasonLists(attitude: [Self.rude], efficiency: [Self.wait], result: [Self.redo])
        #expect(policy.negativeReasons == ["态度不好", "等候时间长", "一次没办成"])
    }

    @Test(arguments: [
        ([Reason](), ReasonListError.emptyList(.efficiency)),
        ([Reason(chinese: " ")], .blankReason(.efficiency, position: 1)),
        ([Reason(chinese: "等候时间长"), Reason(chinese: "等候时间长 ")], .duplicateReason(.efficiency, "等候时间长")),
        ([Reason(chinese: "等候时间长"), Reason(chinese: String(repeating: "长", count: 101))], .reasonTooLong(.efficiency, position: 2)),
        ([Reason(chinese: "好", english: String(repeating: "x", count: 101))], .reasonTooLong(.efficiency, position: 1)),
        ((1...21).map { Reason(chinese: "原因\($0)") }, .tooManyReasons(.efficiency, count: 21)),
    ])
    func badListsAreRefusedNamingTheDimension(efficiency: [Reason], error: ReasonListError) {
        #expect(throws: error) { try ReasonLists(attitude: [Self.wait], efficiency: efficiency, result: [Self.wait]) }
        #expect(error.chineseMessage.contains("办事效率"))
        #expect(!error.englishMessage.isEmpty)
    }
}

/// An administrator's calendar entries laid over the shipped files.
@Suite struct CalendarOverrideTests {
    static func day(_ text: String) throws -> LocalDay { try Period(parsing: text).firstDay }

    @Test func entriesAddRemoveAndReplaceShippedDays() throws {
        let shipped = try WorkingCalendar.weekendsOnly.adding(.init(
            year: 2026, holidays: [try Self.day("2026-10-01"), try Self.day("2026-10-02")], makeUpWorkingDays: [try Self.day("2026-10-10")]
        ))
        let calendar = try shipped.overriding([
            try Self.day("2026-10-02"): .ordinary,         // a Friday taken off the list: it works again
            try Self.day("2026-12-31"): .holiday,          // a Thursday off
            try Self.day("2027-01-09"): .workingDay,       // a Saturday worked, in a year without a file
        ])
        #expect(!calendar.isWorkingDay(try Self.day("2026-10-01")))
        #expect(calendar.isWorkingDay(try Self.day("2026-10-02")))
        #expect(!calendar.isWorkingDay(try Self.day("2026-12-31")))
        #expect(calendar.isWorkingDay(try Self.day("2027-01-09")))
        #expect(calendar.isWorkingDay(try Self.day("2026-10-10")))
        #expect(calendar.years == [2026, 2027])
        #expect(calendar.listedKind(of: try Self.day("2026-10-02")) == .ordinary)
        #expect(calendar.listedDays(in: 2026).map { "\($0.day) \($0.kind.rawValue)" }
            == ["2026-10-01 holiday", "2026-10-10 working_day", "2026-12-31 holiday"])
    }

    @Test func aMakeUpWorkingDayOnAWeekdayIsRefused() throws {
        #expect(throws: WorkingCalendar.DataError.makeUpDayNotOnWeekend(try Self.day("2026-10-08"))) {
            try WorkingCalendar.weekendsOnly.overriding([try Self.day("2026-10-08"): .workingDay])
        }
    }
}
