import Foundation
import Hashing
import SurveyCore
import SurveyStore
import Synchronization

/// What the web layer is told about visits and kiosk tablets (`visits.*` settings).
public struct VisitSettings: Sendable {
    /// Minutes after its creation a visit closes as unrated (`visits.rating_window_minutes`).
    public var ratingWindowMinutes = 3 * 24 * 60
    /// Days a visit's signed rating link works (`visits.link_valid_days`); never longer
    /// than the visit's rating window.
    public var linkValidDays = 3
    /// Seconds after its creation a visit is still pushed to its window's kiosk
    /// (`visits.kiosk_offer_seconds`): a kiosk that comes back later does not show a
    /// citizen who has long gone.
    public var kioskOfferSeconds = 600
    /// Seconds a kiosk's long poll is held before it is answered with no visit; always
    /// below `server.request_timeout_seconds` (`visits.long_poll_seconds`).
    public var longPollSeconds = 15
    /// Long polls held at once, for every kiosk together (`visits.max_waiting_kiosks`);
    /// past it a poll is answered 503 with `Retry-After`.
    public var maxWaitingKiosks = 512
    /// Kiosk event streams open at once (`visits.kiosk_streams`); past it a stream is
    /// answered 503 with `Retry-After`, and the kiosk falls back to the long poll.
    public var kioskStreams = 256
    /// Seconds a kiosk's event stream stays open before it ends and the kiosk reconnects
    /// (`visits.kiosk_stream_seconds`).
    public var kioskStreamSeconds = 300
    /// Seconds between heartbeats on an idle kiosk stream (`visits.kiosk_heartbeat_seconds`):
    /// a revoked tablet's stream ends at the next one.
    public var kioskHeartbeatSeconds = 15
    /// How long a pairing code works: ten minutes.
    public var pairingCodeSeconds = 600

    public init() {}
}

/// The tokens of kiosk devices and visits: 256 random bits in lower-case hexadecimal, of
/// which the store keeps only the SHA-256.
public enum BearerTokens {
    public static func make() -> String { hex(randomBytes(32)) }

    public static func hash(_ token: String) -> [UInt8] { SHA256.hash(Array(token.utf8)) }

    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// Pairing codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a
/// code read off a screen is typed right on the tablet.
public enum PairingCode {
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    static let length = 8

    /// A fresh code from the secure generator, without modulo bias.
    public static func make() -> String {
        var code: [Character] = []
        let limit = UInt8(256 - 256 % alphabet.count)
        while code.count < length {
            for byte in randomBytes(16) where byte < limit && code.count < length {
                code.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(code)
    }

    /// The code as typed, upper-cased, without spaces and dashes; nil unless it has the
    /// shape of a code.
    public static func normalized(_ typed: String) -> String? {
        let code = typed.uppercased().filter { $0 != " " && $0 != "-" }
        guard code.count == length, code.allSatisfy(alphabet.contains) else { return nil }
        return code
    }

    /// As shown to people: `ABCD-EFGH`.
    public static func display(_ code: String) -> String {
        "\(code.prefix(4))-\(code.dropFirst(4))"
    }

    public static func hash(_ code: String) -> [UInt8] {
        SHA256.hash(Array("pingjia pairing code\n\(code)".utf8))
    }
}

/// The kiosk tablets' tokens, checked on each rating without a database read per rating,
/// and when each tablet was last seen, written at most once a minute.
///
/// A token found in the store is cached for `cacheMillis`; a revocation through this
/// server clears the cache at once, one made with the command line is seen within that
/// time. Unknown tokens are not cached, so random tokens cannot grow the cache.
final class KioskDevices: Sendable {
    static let cookieName = "pingjia_device"
    static let header = "X-Device-Token"
    static let formField = "device_token"
    /// 400 days, the longest a browser keeps a cookie.
    static let cookieMaxAgeSeconds = 400 * 86_400
    static let cacheMillis: Int64 = 15_000
    static let flushMillis: Int64 = 60_000

    private struct Cached {
        var device: KioskDevice
        var checkedAtMillis: Int64
    }

    private let store: SurveyStore
    private let cache = Mutex<[[UInt8]: Cached]>([:])
    private let seen = Mutex<(pending: [Int64: Int64], latest: [Int64: Int64], lastFlushMillis: Int64)>(([:], [:], 0))

    init(store: SurveyStore) {
        self.store = store
    }

    static func makeToken() -> String { BearerTokens.make() }
    static func hash(_ token: String) -> [UInt8] { BearerTokens.hash(token) }
    static func isWellFormed(_ token: String) -> Bool { BearerTokens.isWellFormed(token) }

    /// The device in force that holds `token`, or nil (unknown, malformed or revoked).
    /// Notes the device as seen.
    func device(token: String, atMillis now: Int64 = UTCTimestamp.nowMillis()) throws -> KioskDevice? {
        guard Self.isWellFormed(token) else { return nil }
        let hash = Self.hash(token)
        var device = cache.withLock { cache -> KioskDevice? in
            guard let cached = cache[hash], now - cached.checkedAtMillis < Self.cacheMillis else { return nil }
            return cached.device
        }
        if device == nil {
            device = try store.device(tokenHash: hash)
            if let device { cache.withLock { $0[hash] = Cached(device: device, checkedAtMillis: now) } }
        }
        guard let device, !device.isRevoked else { return nil }
        noteSeen(device.id, atMillis: now)
        return device
    }

    /// Forgets every cached token: after a revocation or a rename.
    func forgetCached() {
        cache.withLock { $0.removeAll() }
    }

    /// Remembers that a device was seen; writes the times gathered, off the request's
    /// thread, when the last write is a minute old.
    func noteSeen(_ id: Int64, atMillis now: Int64) {
        let due = seen.withLock { state -> Bool in
            state.pending[id] = now
            state.latest[id] = now
            guard now - state.lastFlushMillis >= Self.flushMillis else { return false }
            state.lastFlushMillis = now
            return true
        }
        if due { DispatchQueue.global(qos: .utility).async { [self] in try? flushSeen() } }
    }

    /// Writes the pending last-seen times; shutdown calls it too.
    func flushSeen() throws {
        let pending = seen.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
        try store.recordDevicesSeen(pending)
    }

    /// When the device was last seen: the newer of the stored time and the one in memory.
    func lastSeen(_ device: KioskDevice) -> Int64? {
        let inMemory = seen.withLock { $0.latest[device.id] }
        return [device.lastSeenAtMillis, inMemory].compactMap { $0 }.max()
    }
}
