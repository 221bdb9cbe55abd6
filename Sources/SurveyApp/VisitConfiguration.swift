extension PingjiaConfiguration {
    /// `visits.*`: how long visits wait for their rating, how long their links work, and
    /// how kiosks are told of them. Called after the server settings are read, so the long
    /// poll stays below `server.request_timeout_seconds`.
    mutating func applyVisits(_ reader: inout ConfigurationReader) throws {
        var visits = web.visits
        if let value = try reader.int("visits.rating_window_minutes", in: 1...(60 * 24 * 90)) { visits.ratingWindowMinutes = value }
        if let value = try reader.int("visits.link_valid_days", in: 1...90) { visits.linkValidDays = value }
        if let value = try reader.int("visits.kiosk_offer_seconds", in: 10...86_400) { visits.kioskOfferSeconds = value }
        if let value = try reader.int("visits.long_poll_seconds", in: 1...300) { visits.longPollSeconds = value }
        if let value = try reader.int("visits.max_waiting_kiosks", in: 1...100_000) { visits.maxWaitingKiosks = value }
        if let value = try reader.int("visits.kiosk_streams", in: 0...100_000) { visits.kioskStreams = value }
        if let value = try reader.int("visits.kiosk_stream_seconds", in: 5...3600) { visits.kioskStreamSeconds = value }
        if let value = try reader.int("visits.kiosk_heartbeat_seconds", in: 1...300) { visits.kioskHeartbeatSeconds = value }
        // A poll held past the proxy's or the server's patience would end as an error: it is
        // answered (with no visit) a couple of seconds before.
        if server.requestTimeoutSeconds > 0 {
            visits.longPollSeconds = max(1, min(visits.longPollSeconds, server.requestTimeoutSeconds - 2))
        }
        web.visits = visits
    }
}
