import Foundation
import Synchronization

/// A visit offered to its window's kiosk: what the kiosk shows and the token it rates with.
struct KioskVisitOffer: Sendable, Equatable {
    var visitID: Int64
    var ticket: String
    var windowCode: String
    /// The visit's token, kept in memory only, for the paired kiosk of its window.
    var token: String
    var staffName: String?
    var serviceItemName: String?
    /// After this the kiosk is no longer switched to the visit.
    var offeredUntilMillis: Int64
}

extension KioskVisitOffer: StreamEvent {
    /// A window's visits are offered in the order of their ids.
    var streamID: Int64 { visitID }
}

/// Puts a visit on its window's kiosk at once, by either of two ways:
/// - kiosks listen to `GET /kiosk/{window}/visits/events`, a server-sent-event stream fed by
///   `streams` (an `EventHub`, as the staff's live 差评 are);
/// - or long-poll `GET /kiosk/{window}/visit`: a poll is held (a deferred reply, its
///   connection suspended, no thread blocked) until a visit for that window arrives or the
///   hold time ends.
///
/// The number of held polls is bounded; each is answered exactly once: by a push, by its
/// timer, or at shutdown (the server cannot stop while a connection is suspended). The
/// streams are bounded by their hub, and ended at shutdown too.
final class KioskVisitHub: Sendable {
    typealias Delivery = @Sendable (KioskVisitOffer?) -> Void

    private struct Waiter {
        var id: UInt64
        var after: Int64
        var deliver: Delivery
    }

    private struct State {
        var offers: [String: KioskVisitOffer] = [:]
        var waiters: [String: [Waiter]] = [:]
        var waiting = 0
        var nextID: UInt64 = 0
        var closed = false
    }

    enum Admission {
        /// Answer now with this offer, or with none (closing down, or not asked to wait).
        case now(KioskVisitOffer?)
        /// Held; `deliver` will be called once.
        case held
        /// Too many polls are held already.
        case full
    }

    private let state = Mutex(State())
    let maxWaiting: Int
    /// The kiosks' event streams; each subscriber filters its own window.
    let streams: EventHub<KioskVisitOffer>

    init(maxWaiting: Int, maxStreams: Int = 256, heartbeatSeconds: Double = 15) {
        self.maxWaiting = maxWaiting
        // A kiosk is sent one visit at a time; a handful queued means it is not reading.
        streams = EventHub(maxSubscribers: maxStreams, queueLimit: 16, heartbeatSeconds: heartbeatSeconds)
    }

    /// The visit `window`'s kiosk should be shown, if newer than visit `after` and still
    /// offered: where a kiosk's stream starts.
    func offered(window: String, after: Int64, now: Int64) -> KioskVisitOffer? {
        state.withLock { Self.offer(in: $0, window: window, after: after, now: now) }
    }

    /// The offer for `window` newer than visit `after`, if it is still offered.
    private static func offer(in state: State, window: String, after: Int64, now: Int64) -> KioskVisitOffer? {
        guard let offer = state.offers[window], offer.visitID > after, now < offer.offeredUntilMillis else { return nil }
        return offer
    }

    /// A poll of `window`'s kiosk, which has seen visits up to `after`. With `hold` > 0 and
    /// nothing to offer, the poll is held for `hold` seconds.
    func poll(window: String, after: Int64, now: Int64, hold: Int, deliver: @escaping Delivery) -> Admission {
        let (admission, id): (Admission, UInt64) = state.withLock { state in
            if let offer = Self.offer(in: state, window: window, after: after, now: now) { return (.now(offer), 0) }
            if state.closed || hold <= 0 { return (.now(nil), 0) }
            guard state.waiting < maxWaiting else { return (.full, 0) }
            state.nextID += 1
            state.waiting += 1
            state.waiters[window, default: []].append(Waiter(id: state.nextID, after: after, deliver: deliver))
            return (.held, state.nextID)
        }
        if case .held = admission {
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(hold)) { [self] in
                if let waiter = remove(window: window, id: id) { waiter.deliver(nil) }
            }
        }
        return admission
    }

    private func remove(window: String, id: UInt64) -> Waiter? {
        state.withLock { state in
            guard let index = state.waiters[window]?.firstIndex(where: { $0.id == id }) else { return nil }
            state.waiting -= 1
            return state.waiters[window]?.remove(at: index)
        }
    }

    /// Offers a new visit to its window's kiosk, answering the polls held for it.
    func push(_ offer: KioskVisitOffer) {
        let answered: [Waiter] = state.withLock { state in
            state.offers[offer.windowCode] = offer
            let waiters = state.waiters.removeValue(forKey: offer.windowCode) ?? []
            state.waiting -= waiters.count
            return waiters
        }
        for waiter in answered {
            waiter.deliver(offer.visitID > waiter.after ? offer : nil)
        }
        streams.publish([offer])
    }

    /// Stops offering a visit once it is rated.
    func withdraw(visitID: Int64, window: String) {
        state.withLock { state in
            if state.offers[window]?.visitID == visitID { state.offers[window] = nil }
        }
    }

    /// Answers every held poll with no visit, and every later one at once, and ends every
    /// stream: shutdown.
    func close() {
        streams.close()
        let all: [Waiter] = state.withLock { state in
            state.closed = true
            let waiters = state.waiters.values.flatMap { $0 }
            state.waiters.removeAll()
            state.waiting = 0
            return waiters
        }
        for waiter in all { waiter.deliver(nil) }
    }

    /// Polls held right now.
    var waiting: Int { state.withLock { $0.waiting } }
}

extension WebApplication {
    /// Answers every kiosk's held poll and every later one at once, and writes when the
    /// tablets were last seen: shutdown calls it before waiting for requests in flight,
    /// since the server cannot stop while a poll is held.
    public func releaseKiosks() {
        visitHub.close()
        do {
            try kioskDevices.flushSeen()
        } catch {
            logger.error("Could not write when kiosk tablets were last seen.", metadata: ["cause": "\(error)"])
        }
    }
}
