import Foundation
import SurveyCore
import Testing
@testable import SurveyStore

/// Center settings and calendar entries on a real database file: stored, audited with
/// before and after in the same transaction, versioned, and in force for case deadlines.
@Suite struct SettingsStoreTests {
    static func day(_ text: String) throws -> LocalDay { try Period(parsing: text).firstDay }

    @Test func aSettingIsStoredAuditedAndVersionedAndTheSameValueChangesNothing() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let store = fixture.store
        #expect(try store.settingsVersion() == 0)
        #expect(try store.saveSetting("center.name", valueJSON: "\"新中心\"", defaultJSON: "\"区行政服务中心\"", actor: "admin"))
        #expect(try store.settingsVersion() == 1)
        let stored = try store.storedSettings()
        #expect(stored.values["center.name"]?.valueJSON == "\"新中心\"")
        #expect(stored.values["center.name"]?.updatedBy == "admin")
        let audit = try #require(try store.auditEntries(limit: 1).first)
        #expect(audit.action == "settings.change")
        #expect(audit.subjectType == "center_setting")
        #expect(audit.subjectID == "center.name")
        #expect(audit.beforeJSON == "\"区行政服务中心\"")
        #expect(audit.afterJSON == "\"新中心\"")

        #expect(try !store.saveSetting("center.name", valueJSON: "\"新中心\"", defaultJSON: "\"区行政服务中心\"", actor: "admin"))
        #expect(try store.settingsVersion() == 1)
        #expect(try store.auditEntries(limit: 10).filter { $0.action == "settings.change" }.count == 1)

        #expect(try store.saveSetting("center.name", valueJSON: "\"第三个名字\"", defaultJSON: "\"区行政服务中心\"", actor: "boss"))
        #expect(try store.auditEntries(limit: 1).first?.beforeJSON == "\"新中心\"")
    }

    @Test func calendarEntriesLayOverTheShippedCalendarAndMoveCaseDeadlines() throws {
        let path = StoreFixture.temporaryPath()
        let national = try Self.day("2026-10-01")
        let shipped = try WorkingCalendar.weekendsOnly.adding(.init(year: 2026, holidays: [national], makeUpWorkingDays: []))
        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai, casePolicy: CasePolicy(calendar: shipped))
        let thursday = try Self.day("2026-12-31")
        #expect(store.casePolicy.calendar.isWorkingDay(thursday))

        #expect(try store.setCalendarDay(thursday, to: .holiday, note: "调休", actor: "admin"))
        #expect(!store.casePolicy.calendar.isWorkingDay(thursday))
        #expect(try store.calendarOverrides().map(\.kind) == [.holiday])
        let audit = try #require(try store.auditEntries(limit: 1).first)
        #expect(audit.action == "calendar.change")
        #expect(audit.subjectID == "2026-12-31")
        #expect(audit.beforeJSON == #"{"day":"2026-12-31","kind":"ordinary"}"#)
        #expect(audit.afterJSON == #"{"day":"2026-12-31","kind":"holiday"}"#)

        // A shipped holiday taken off the list, then put back: the entry goes away again.
        #expect(try store.setCalendarDay(national, to: .ordinary, note: nil, actor: "admin"))
        #expect(store.casePolicy.calendar.isWorkingDay(national))
        #expect(try store.setCalendarDay(national, to: .holiday, note: nil, actor: "admin"))
        #expect(try store.calendarOverrides().map(\.day) == [thursday])
        #expect(try !store.setCalendarDay(national, to: .holiday, note: nil, actor: "admin"))

        // A second opening of the same database sees the entries.
        try store.close()
        let reopened = try SurveyStore(path: path, timeZone: StoreFixture.shanghai, casePolicy: CasePolicy(calendar: shipped))
        #expect(!reopened.casePolicy.calendar.isWorkingDay(thursday))
        #expect(reopened.configuredCasePolicy.calendar.isWorkingDay(thursday))
    }

    @Test func aMakeUpWorkingDayOnAWeekdayIsRefusedAndNothingIsStored() throws {
        let fixture = try StoreFixture(timeZone: StoreFixture.shanghai)
        let wednesday = try Self.day("2026-10-07")
        #expect(throws: WorkingCalendar.DataError.makeUpDayNotOnWeekend(wednesday)) {
            try fixture.store.setCalendarDay(wednesday, to: .workingDay, note: nil, actor: "admin")
        }
        #expect(try fixture.store.calendarOverrides().isEmpty)
        #expect(try fixture.store.settingsVersion() == 0)
        #expect(try fixture.store.auditEntries(limit: 10).allSatisfy { $0.action != "calendar.change" })
    }

    @Test func theStoredTimeZoneIsReadBeforeTheStoreOpens() throws {
        let path = StoreFixture.temporaryPath()
        #expect(try SurveyStore.storedTimeZoneIdentifier(databaseAt: path) == nil)
        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        #expect(try SurveyStore.storedTimeZoneIdentifier(databaseAt: path) == nil)
        try store.saveSetting(SurveyStore.timeZoneSettingKey, valueJSON: "\"Asia/Urumqi\"", defaultJSON: "\"Asia/Shanghai\"", actor: "cli:root")
        #expect(try SurveyStore.storedTimeZoneIdentifier(databaseAt: path) == "Asia/Urumqi")
        try store.close()
    }
}
