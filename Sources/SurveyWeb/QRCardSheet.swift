import Mustache
import QRCodes
import SurveyCore

/// The printable A4 sheet of QR cards, one card per window: the center, department and
/// window names, the code (4 cm wide, with its quiet zone) and short instructions in Chinese
/// and English; under "Scan to rate this service", the English names of the center,
/// department and window where the center gave them. Print CSS keeps every card whole on a page.
public struct QRCardSheet {
    struct Card {
        var departmentName: String
        var windowName: String
        /// The English names, nil where there is none.
        var departmentNameEnglish: String?
        var windowNameEnglish: String?
        var windowCode: String
        var svg: String
        var url: String
    }

    struct Context {
        var centerName: String
        var centerNameEnglish: String?
        var cards: [Card]
        var inlineStyle: String?
        var page: PageChrome?
    }

    /// What the sheet carries when served to an administrator's browser rather than
    /// written to a file: a linked stylesheet (the pages' CSP forbids inline style) and a
    /// choice of department, both hidden in print.
    public struct PageChrome {
        public struct Choice {
            var code: String
            var name: String
            var selected: Bool
        }

        var stylesheet: String
        var title: String
        var allLabel: String
        var showLabel: String
        var lang: String
        var departments: [Choice]
    }

    /// The sheet for the active windows of `departments` (every department when empty),
    /// each linking to `base` with its signed token.
    public static func html(
        directory: Directory, departments: Set<String>, centerName: String, centerNameEnglish: String? = nil, links: WindowLinks, base: String,
        page: PageChrome? = nil
    ) throws -> String {
        var cards: [Card] = []
        for window in directory.activeWindows {
            guard let department = directory.department(id: window.departmentID),
                  departments.isEmpty || departments.contains(department.code) else { continue }
            let url = links.url(forWindow: window.code, base: base)
            let code = try QRCode(encoding: url)
            cards.append(Card(
                departmentName: department.name, windowName: window.name,
                departmentNameEnglish: department.englishName, windowNameEnglish: window.englishName, windowCode: window.code,
                svg: code.svg(title: "\(window.name) \(window.code)"), url: url
            ))
        }
        let template = try MustacheTemplate(string: Self.template)
        return template.render(Context(
            centerName: centerName, centerNameEnglish: centerNameEnglish, cards: cards, inlineStyle: page == nil ? css : nil, page: page
        ))
    }

    /// The sheet's style: inline in a file written by `pingjia qr print`, linked from the
    /// page served at `/staff/admin/qr/print`. Cards never break across pages.
    public static let css = """
        @page { size: A4; margin: 12mm; }
        body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; margin: 0; color: #000; background: #fff; }
        .sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; }
        .card { border: 0.4mm solid #000; border-radius: 3mm; padding: 6mm; text-align: center;
                break-inside: avoid; page-break-inside: avoid; }
        .center { font-size: 11pt; margin: 0; }
        .department { font-size: 13pt; margin: 2mm 0 0; }
        .window { font-size: 20pt; font-weight: bold; margin: 1mm 0 3mm; }
        .code svg { width: 45mm; height: 45mm; }
        .prompt { font-size: 16pt; font-weight: bold; margin: 3mm 0 0; }
        .prompt-en { font-size: 11pt; margin: 1mm 0 0; }
        .names-en { font-size: 10pt; margin: 0.5mm 0 0; }
        .toolbar { margin: 0 0 8mm; padding: 4mm; border-bottom: 0.4mm solid #000; font-size: 14pt; }
        .toolbar select, .toolbar button { font-size: 14pt; min-height: 44px; }
        @media print { .toolbar { display: none; } }

        """

    static let template = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>{{centerName}} 评价二维码</title>
        {{#inlineStyle}}<style>
        {{{inlineStyle}}}</style>{{/inlineStyle}}
        {{#page}}<link rel="stylesheet" href="{{stylesheet}}">{{/page}}
        </head>
        <body>
        {{#page}}
        <form class="toolbar" method="get" action="/staff/admin/qr/print">
        <input type="hidden" name="lang" value="{{lang}}">
        <label for="department">{{title}}</label>
        <select id="department" name="department">
        <option value="">{{allLabel}}</option>
        {{#departments}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}（{{code}}）</option>{{/departments}}
        </select>
        <button type="submit">{{showLabel}}</button>
        </form>
        {{/page}}
        <main class="sheet">
        {{#cards}}
        <section class="card">
        <p class="center">{{centerName}}</p>
        <p class="department">{{departmentName}}</p>
        <p class="window">{{windowName}}（{{windowCode}}）</p>
        <div class="code">{{{svg}}}</div>
        <p class="prompt">请扫码评价</p>
        <p class="prompt-en" lang="en">Scan to rate this service</p>
        {{#windowNameEnglish}}<p class="names-en window-en" lang="en">{{#departmentNameEnglish}}{{departmentNameEnglish}} · {{/departmentNameEnglish}}{{windowNameEnglish}}</p>{{/windowNameEnglish}}
        {{^windowNameEnglish}}{{#departmentNameEnglish}}<p class="names-en department-en" lang="en">{{departmentNameEnglish}}</p>{{/departmentNameEnglish}}{{/windowNameEnglish}}
        {{#centerNameEnglish}}<p class="names-en center-en" lang="en">{{centerNameEnglish}}</p>{{/centerNameEnglish}}
        </section>
        {{/cards}}
        </main>
        </body>
        </html>

        """
}
