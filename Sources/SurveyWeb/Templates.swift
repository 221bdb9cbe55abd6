/// The Mustache templates of the citizen pages. They are compiled into the binary so a
/// deployed server needs nothing but its executable and `Public/`.
///
/// Markup rules: no inline script or style (the CSP forbids both), every control has a
/// visible label, and every state (chosen, error) is shown by text or shape as well as colour.
enum Templates {
    /// Every template by the name pages render it with.
    static let all: [String: String] = [
        "layout": layout, "footer": footer, "survey": survey, "thanks": thanks, "message": message, "index": index,
    ]

    static let layout = """
    {{#layout}}
    <!DOCTYPE html>
    <html lang="{{htmlLang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · {{centerName}}</title>
    <link rel="stylesheet" href="/static/css/pingjia.css">
    {{#stylesheet}}<link rel="stylesheet" href="{{stylesheet}}">{{/stylesheet}}
    {{#refreshSeconds}}<noscript><meta http-equiv="refresh" content="{{refreshSeconds}};url={{refreshURL}}"></noscript>{{/refreshSeconds}}
    {{#noscriptRefreshSeconds}}<noscript><meta http-equiv="refresh" content="{{noscriptRefreshSeconds}}"></noscript>{{/noscriptRefreshSeconds}}
    {{#script}}<script src="{{script}}" defer></script>{{/script}}
    </head>
    <body class="{{bodyClass}}">
    {{/layout}}
    """

    static let footer = """
    </body>
    </html>
    """

    static let survey = """
    {{> layout}}
    <main class="survey" id="survey"{{#isKiosk}} data-idle-reset="{{idleSeconds}}" data-reset-url="{{action}}{{langQuery}}"{{/isKiosk}}{{#extras.visitPollURL}} data-visit-poll="{{extras.visitPollURL}}" data-visit-label="{{extras.visitLabel}}"{{/extras.visitPollURL}}>
    <header class="place">
      <p class="center">{{layout.centerName}}</p>
      <h1><span class="name">{{departmentName}}</span> · <span class="name">{{windowName}}</span></h1>
      <p class="lang"><a href="{{otherLangHref}}" lang="{{otherLangTag}}">{{otherLangName}}</a></p>
      {{#extras.deviceNotice}}<p class="device-notice" role="note">{{extras.deviceNotice}}</p>{{/extras.deviceNotice}}
    </header>
    {{#hasErrors}}
    <div class="error-summary" role="alert" tabindex="-1" id="errors">
      <h2>{{errorSummary}}</h2>
      <ul>{{#errors}}<li><a href="#{{anchor}}">{{message}}</a></li>{{/errors}}</ul>
    </div>
    {{/hasErrors}}
    <form method="post" action="{{action}}" class="survey-form" novalidate>
      <p class="intro">{{intro}}</p>
      <input type="hidden" name="client_id" value="{{clientID}}">
      <input type="hidden" name="lang" value="{{lang}}">
      <p class="visit-banner" id="visit-banner" role="status"{{^extras.visitBanner}} hidden{{/extras.visitBanner}}>{{extras.visitBanner}}</p>
      {{#isKiosk}}<input type="hidden" name="visit_token" id="visit-token" value="{{extras.visitToken}}">{{/isKiosk}}
      {{#questions}}
      <fieldset class="question{{#hasError}} has-error{{/hasError}}" id="q-{{name}}">
        <legend><span class="dimension">{{label}}</span> {{question}}</legend>
        {{#hasError}}<p class="field-error">⚠ {{errorMessage}}</p>{{/hasError}}
        <div class="choices">
          {{#choices}}
          <label class="choice level-{{value}}{{#negative}} negative{{/negative}}">
            <input type="radio" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}}{{#negative}} class="negative"{{/negative}} required>
            <span class="face" aria-hidden="true">{{face}}</span>
            <span class="text">{{text}}</span>
          </label>
          {{/choices}}
        </div>
      </fieldset>
      {{/questions}}
      <fieldset class="reasons{{#reasonError}} has-error{{/reasonError}}" id="q-reasons">
        <legend>{{reasonsLegend}}</legend>
        <p class="hint">{{reasonsHint}}</p>
        {{#reasonError}}<p class="field-error">⚠ {{reasonError}}</p>{{/reasonError}}
        <div class="reason-list">
          {{#reasons}}
          <label class="reason"><input type="checkbox" name="reasons" value="{{value}}"{{#checked}} checked{{/checked}}><span>{{value}}</span></label>
          {{/reasons}}
        </div>
        <label class="other-reason" for="reason-other">{{otherReasonLabel}}</label>
        <input type="text" id="reason-other" name="reason_other" maxlength="{{reasonMax}}" value="{{otherReason}}">
      </fieldset>
      <div class="comment{{#commentError}} has-error{{/commentError}}" id="q-comment">
        <label for="comment">{{commentLabel}}</label>
        {{#commentError}}<p class="field-error">⚠ {{commentError}}</p>{{/commentError}}
        <textarea id="comment" name="comment" rows="3" maxlength="{{commentMax}}" aria-describedby="comment-hint">{{comment}}</textarea>
        <p class="hint" id="comment-hint">{{commentHint}}</p>
      </div>
      {{^isKiosk}}<div class="hp" aria-hidden="true"><label for="hp-website">{{honeypotLabel}}</label><input type="text" id="hp-website" name="website" tabindex="-1" autocomplete="off"></div>{{/isKiosk}}
      <button type="submit" class="submit">{{submit}}</button>
    </form>
    </main>
    {{#extras.visitPollURL}}<script src="/static/js/kiosk-visit.js" defer></script>{{/extras.visitPollURL}}
    {{> footer}}
    """

    static let thanks = """
    {{> layout}}
    <main class="thanks" id="thanks" role="status"{{#returnAfterSeconds}} data-return-after="{{returnAfterSeconds}}" data-return-url="{{returnURL}}"{{/returnAfterSeconds}}>
      <p class="center">{{layout.centerName}}</p>
      <p class="check" aria-hidden="true">✓</p>
      <h1>{{heading}}</h1>
      <p>{{body}}</p>
      {{#resetting}}<p class="hint">{{resetting}}</p>{{/resetting}}
      {{#backURL}}<p><a class="button" href="{{backURL}}">{{startAgain}}</a></p>{{/backURL}}
    </main>
    {{#returnAfterSeconds}}<script src="/static/js/survey.js" defer></script>{{/returnAfterSeconds}}
    {{> footer}}
    """

    static let message = """
    {{> layout}}
    <main class="message">
      <p class="center">{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      <p>{{body}}</p>
    </main>
    {{> footer}}
    """

    static let index = """
    {{> layout}}
    <main class="index">
      <h1>{{layout.centerName}}</h1>
      <p>{{intro}}</p>
      <table>
        <thead><tr><th>{{windowHeading}}</th><th>{{departmentHeading}}</th><th>{{kioskHeading}}</th><th>{{phoneHeading}}</th></tr></thead>
        <tbody>
        {{#windows}}
        <tr><td>{{name}} ({{code}})</td><td>{{department}}</td><td><a href="/kiosk/{{code}}">/kiosk/{{code}}</a></td><td><a href="/r/{{code}}">/r/{{code}}</a></td></tr>
        {{/windows}}
        </tbody>
      </table>
    </main>
    {{> footer}}
    """
}
