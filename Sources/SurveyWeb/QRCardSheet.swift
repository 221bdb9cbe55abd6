import Mustache
import QRCodes
import SurveyCore

/// The printable A4 sheet of QR cards, one card per window: the center, department and
/// window names, the code (4 cm wide, with its quiet zone) and short instructions in Chinese
/// and English. Print CSS keeps every card whole on a page.
public struct QRCardSheet {
    struct Card {
        var departmentName: String
        var windowName: String
        var windowCode: String
        var svg: String
        var url: String
    }

    struct Context {
        var centerName: String
        var cards: [Card]
    }

    /// The sheet for the active windows of `departments` (every department when empty),
    /// each linking to `base` with its signed token.
    public static func html(
        directory: Directory, departments: Set<String>, centerName: String, links: WindowLinks, base: String
    ) throws -> String {
        var cards: [Card] = []
        for window in directory.activeWindows {
            guard let department = directory.department(id: window.departmentID),
                  departments.isEmpty || departments.contains(department.code) else { continue }
            let url = links.url(forWindow: window.code, base: base)
            let code = try QRCode(encoding: url)
            cards.append(Card(
                departmentName: department.name, windowName: window.name, windowCode: window.code,
                svg: code.svg(title: "\(window.name) \(window.code)"), url: url
            ))
        }
        let template = try MustacheTemplate(string: Self.template)
        return template.render(Context(centerName: centerName, cards: cards))
    }

    /// Standalone: the sheet is printed from a file or a browser, so its style is inline.
    static let template = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>{{centerName}} 评价二维码</title>
        <style>
        @page { size: A4; margin: 12mm; }
        body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; margin: 0; color: #000; }
        .sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; }
        .card { border: 0.4mm solid #000; border-radius: 3mm; padding: 6mm; text-align: center;
                break-inside: avoid; page-break-inside: avoid; }
        .center { font-size: 11pt; margin: 0; }
        .department { font-size: 13pt; margin: 2mm 0 0; }
        .window { font-size: 20pt; font-weight: bold; margin: 1mm 0 3mm; }
        .code svg { width: 45mm; height: 45mm; }
        .prompt { font-size: 16pt; font-weight: bold; margin: 3mm 0 0; }
        .prompt-en { font-size: 11pt; margin: 1mm 0 0; }
        </style>
        </head>
        <body>
        <main class="sheet">
        {{#cards}}
        <section class="card">
        <p class="center">{{centerName}}</p>
        <p class="department">{{departmentName}}</p>
        <p class="window">{{windowName}}（{{windowCode}}）</p>
        <div class="code">{{{svg}}}</div>
        <p class="prompt">请扫码评价</p>
        <p class="prompt-en" lang="en">Scan to rate this service</p>
        </section>
        {{/cards}}
        </main>
        </body>
        </html>

        """
}
