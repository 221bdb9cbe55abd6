import Foundation
import MicroHTTP
import QRCodes
import SurveyCore
import SurveyStore

// MARK: Contexts

/// The `kiosk_pair` template: the tablet's form for a pairing code.
struct KioskPairContext {
    var layout: PageLayout
    var heading: String
    var intro: String
    var codeLabel: String
    var submit: String
    var error: String?
    var lang: String
}

/// A window as the staff pages' select lists offer it.
struct WindowOption {
    var code: String
    var label: String
}

/// The `staff_devices` template: the paired tablets, and the form that makes a pairing code.
struct StaffDevicesContext {
    struct Device {
        var id: Int64
        var name: String
        var window: String
        var pairedAt: String
        var lastSeen: String
        var status: String
        var active: Bool
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var csrfToken: String
    /// The code just made, shown large, with when it stops working.
    var code: String?
    var codeNote: String?
    var windows: [WindowOption]
    var windowLabel: String
    var nameLabel: String
    var pairButton: String
    var nameHeading: String
    var windowHeading: String
    var pairedHeading: String
    var lastSeenHeading: String
    var statusHeading: String
    var renameButton: String
    var revokeButton: String
    var devices: [Device]
    var empty: String?
}

/// The `staff_visits` template: the 办结 button that records a visit for a window, and
/// the visit just recorded with its QR code.
struct StaffVisitsContext {
    struct Visit {
        var ticket: String
        var window: String
        var created: String
        var state: String
    }

    var layout: PageLayout
    var heading: String
    var header: StaffHeader
    var csrfToken: String
    var windows: [WindowOption]
    var windowLabel: String
    var ticketLabel: String
    var finishButton: String
    var created: String?
    var ratingURL: String?
    var qrSVG: String?
    var error: String?
    var ticketHeading: String
    var windowHeading: String
    var createdHeading: String
    var stateHeading: String
    var visits: [Visit]
}

// MARK: Templates

extension Templates {
    static let devices: [String: String] = [
        "kiosk_pair": kioskPair, "staff_devices": staffDevices, "staff_visits": staffVisits,
    ]

    static let kioskPair = """
    {{> layout}}
    <main class="message kiosk-pair" id="kiosk-pair">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      <p>{{intro}}</p>
      {{#error}}<p class="error-summary" role="alert">⚠ {{error}}</p>{{/error}}
      <form method="post" action="/kiosk/pair" class="staff-form">
        <input type="hidden" name="lang" value="{{lang}}">
        <p><label for="pairing-code">{{codeLabel}}</label>
        <input id="pairing-code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="12" required></p>
        <p><button type="submit">{{submit}}</button></p>
      </form>
    </main>
    {{> footer}}
    """

    static let staffDevices = """
    {{> layout}}
    <main class="staff staff-devices">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      {{#code}}<p class="pairing-code" role="status"><strong id="pairing-code">{{code}}</strong> {{codeNote}}</p>{{/code}}
      <form method="post" action="/staff/devices/pair" class="staff-form">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <p><label for="pair-window">{{windowLabel}}</label>
        <select id="pair-window" name="window">{{#windows}}<option value="{{code}}">{{label}}</option>{{/windows}}</select></p>
        <p><label for="pair-name">{{nameLabel}}</label> <input id="pair-name" name="name" type="text" maxlength="100"></p>
        <p><button type="submit">{{pairButton}}</button></p>
      </form>
      {{#empty}}<p>{{empty}}</p>{{/empty}}
      <table class="devices">
        <thead><tr><th>{{nameHeading}}</th><th>{{windowHeading}}</th><th>{{pairedHeading}}</th><th>{{lastSeenHeading}}</th><th>{{statusHeading}}</th><th></th></tr></thead>
        <tbody>
        {{#devices}}
        <tr><td>
          <form method="post" action="/staff/devices/{{id}}/rename">
            <input type="hidden" name="csrf_token" value="{{csrfToken}}">
            <input name="name" type="text" maxlength="100" value="{{name}}" aria-label="{{nameHeading}}" required>
            <button type="submit">{{renameButton}}</button>
          </form></td>
          <td>{{window}}</td><td>{{pairedAt}}</td><td>{{lastSeen}}</td><td>{{status}}</td>
          <td>{{#active}}<form method="post" action="/staff/devices/{{id}}/revoke"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button type="submit">{{revokeButton}}</button></form>{{/active}}</td></tr>
        {{/devices}}
        </tbody>
      </table>
    </main>
    {{> footer}}
    """

    static let staffVisits = """
    {{> layout}}
    <main class="staff staff-visits">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      {{> staff_header}}
      {{#error}}<p class="error-summary" role="alert">⚠ {{error}}</p>{{/error}}
      {{#created}}<div class="visit-created" role="status"><p>{{created}}</p>{{#ratingURL}}<p><a href="{{ratingURL}}">{{ratingURL}}</a></p>{{/ratingURL}}{{{qrSVG}}}</div>{{/created}}
      <form method="post" action="/staff/visits" class="staff-form">
        <input type="hidden" name="csrf_token" value="{{csrfToken}}">
        <p><label for="visit-window">{{windowLabel}}</label>
        <select id="visit-window" name="window">{{#windows}}<option value="{{code}}">{{label}}</option>{{/windows}}</select></p>
        <p><label for="visit-ticket">{{ticketLabel}}</label> <input id="visit-ticket" name="ticket" type="text" maxlength="64" required></p>
        <p><button type="submit" class="finish">{{finishButton}}</button></p>
      </form>
      <table class="visits">
        <thead><tr><th>{{ticketHeading}}</th><th>{{windowHeading}}</th><th>{{createdHeading}}</th><th>{{stateHeading}}</th></tr></thead>
        <tbody>{{#visits}}<tr><td>{{ticket}}</td><td>{{window}}</td><td>{{created}}</td><td>{{state}}</td></tr>{{/visits}}</tbody>
      </table>
    </main>
    {{> footer}}
    """
}

// MARK: Rendering

extension StaffPages {
    func kioskPair(language: Language, error: HTTPError? = nil) throws -> Response {
        let context = KioskPairContext(
            layout: layout(title: language[.devicePairTitle], language: language), heading: language[.devicePairTitle],
            intro: language[.devicePairIntro], codeLabel: language[.devicePairCode], submit: language[.devicePairSubmit],
            error: error?.message, lang: language.rawValue
        )
        var response = Response.html(try render(context, "kiosk_pair"), status: error?.status ?? 200)
        if let seconds = error?.retryAfterSeconds { response.headers.add("Retry-After", String(seconds)) }
        return response
    }

    func devices(
        _ devices: [(device: KioskDevice, lastSeen: Int64?)], code: (text: String, expiresAt: Int64)?, session: StaffSession,
        directory: Directory, language: Language
    ) throws -> Response {
        func time(_ millis: Int64?) -> String { millis.map { UTCTimestamp.string(millis: $0) } ?? "–" }
        let context = StaffDevicesContext(
            layout: layout(title: language[.devicesTitle], language: language), heading: language[.devicesTitle],
            header: header(session, directory: directory, language: language), csrfToken: session.csrfToken,
            code: code.map { PairingCode.display($0.text) },
            codeNote: code.map { language[.devicesCodeNote, ["until": UTCTimestamp.string(millis: $0.expiresAt)]] },
            windows: Self.windowOptions(directory, scope: .all), windowLabel: language[.devicesWindow], nameLabel: language[.devicesName],
            pairButton: language[.devicesPair], nameHeading: language[.devicesName], windowHeading: language[.devicesWindow],
            pairedHeading: language[.devicesPairedAt], lastSeenHeading: language[.devicesLastSeen], statusHeading: language[.devicesStatus],
            renameButton: language[.devicesRename], revokeButton: language[.devicesRevoke],
            devices: devices.map { device, lastSeen in
                .init(
                    id: device.id, name: device.name, window: device.windowCode, pairedAt: time(device.pairedAtMillis),
                    lastSeen: time(lastSeen), status: language[device.isRevoked ? .devicesRevoked : .devicesActive], active: !device.isRevoked
                )
            },
            empty: devices.isEmpty ? language[.devicesEmpty] : nil
        )
        return .html(try render(context, "staff_devices"))
    }

    func visits(
        _ visits: [VisitRecord], created: (visit: VisitRecord, ratingURL: String)?, error: HTTPError? = nil, session: StaffSession,
        directory: Directory, language: Language
    ) throws -> Response {
        let now = UTCTimestamp.nowMillis()
        let context = StaffVisitsContext(
            layout: layout(title: language[.visitsTitle], language: language), heading: language[.visitsTitle],
            header: header(session, directory: directory, language: language), csrfToken: session.csrfToken,
            windows: Self.windowOptions(directory, scope: session.user.departmentScope), windowLabel: language[.devicesWindow],
            ticketLabel: language[.visitsTicket], finishButton: language[.visitsFinish],
            created: created.map { language[.visitsCreated, ["ticket": $0.visit.ticket, "window": $0.visit.windowCode]] },
            ratingURL: created?.ratingURL,
            qrSVG: created.flatMap { try? QRCode(encoding: $0.ratingURL).svg(title: $0.visit.ticket) },
            error: error?.message, ticketHeading: language[.visitsTicket], windowHeading: language[.devicesWindow],
            createdHeading: language[.visitsCreatedAt], stateHeading: language[.devicesStatus],
            visits: visits.map { visit in
                .init(
                    ticket: visit.ticket, window: visit.windowCode, created: UTCTimestamp.string(millis: visit.createdAtMillis),
                    state: language[Self.phrase(visit.state(atMillis: now))]
                )
            }
        )
        return .html(try render(context, "staff_visits"), status: error?.status ?? (created == nil ? 200 : 201))
    }

    static func windowOptions(_ directory: Directory, scope: DepartmentScope) -> [WindowOption] {
        directory.activeWindows.compactMap { window in
            guard let department = directory.department(id: window.departmentID), scope.includes(department.code) else { return nil }
            return WindowOption(code: window.code, label: "\(window.code) \(window.name) · \(department.name)")
        }
    }

    static func phrase(_ state: VisitRecord.State) -> Phrase {
        switch state {
        case .open: .visitStateOpen
        case .rated: .visitStateRated
        case .unrated: .visitStateUnrated
        }
    }
}
