import Foundation
import SurveyApp
import Testing

/// The `visits` settings (the kiosk's long poll and event stream among them): read, checked,
/// and the long poll kept below the server's request timeout.
@Suite struct VisitConfigurationTests {
    @Test func theVisitSettingsAreRead() throws {
        let configuration = try PingjiaConfiguration.load(path: ConfigurationTests.write("""
            {"visits": {"rating_window_minutes": 60, "link_valid_days": 7, "kiosk_offer_seconds": 120,
                        "long_poll_seconds": 10, "max_waiting_kiosks": 64, "kiosk_streams": 32,
                        "kiosk_stream_seconds": 120, "kiosk_heartbeat_seconds": 5}}
            """))
        let visits = configuration.web.visits
        #expect(visits.ratingWindowMinutes == 60 && visits.linkValidDays == 7 && visits.kioskOfferSeconds == 120)
        #expect(visits.longPollSeconds == 10 && visits.maxWaitingKiosks == 64)
        #expect(visits.kioskStreams == 32 && visits.kioskStreamSeconds == 120 && visits.kioskHeartbeatSeconds == 5)
    }

    @Test func theLongPollEndsBeforeTheRequestTimeout() throws {
        let configuration = try PingjiaConfiguration.load(path: ConfigurationTests.write("""
            {"server": {"request_timeout_seconds": 12}, "visits": {"long_poll_seconds": 60}}
            """))
        #expect(configuration.web.visits.longPollSeconds == 10)
    }

    @Test(arguments: [
        #"{"visits": {"rating_window_minutes": 0}}"#, #"{"visits": {"link_valid_days": 91}}"#,
        #"{"visits": {"long_poll_seconds": "15"}}"#, #"{"visits": {"max_waiting": 5}}"#,
        #"{"visits": {"kiosk_stream_seconds": 1}}"#, #"{"visits": {"kiosk_heartbeat_seconds": 0}}"#,
    ])
    func aWrongVisitSettingIsRefused(_ json: String) throws {
        #expect(throws: ConfigurationError.self) { try PingjiaConfiguration.load(path: ConfigurationTests.write(json)) }
    }
}
