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
    <html lang="{{htmlLang}}"{{#htmlDir}} dir="{{htmlDir}}"{{/htmlDir}}>
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · {{centerName}}</title>
    <link rel="stylesheet" href="/static/css/pingjia.css">
    {{#stylesheet}}<link rel="stylesheet" href="{{stylesheet}}">{{/stylesheet}}
    {{#refreshSeconds}}<noscript><meta http-equiv="refresh" content="{{refreshSeconds}};url={{refreshURL}}"></noscript>{{/refreshSeconds}}
    {{#script}}<script src="{{script}}" defer></script>{{/script}}
    </head>
    <body class="{{bodyClass}}">
    {{/layout}}
    """

    static let footer = """
    </body>
    </html>
    """

    /// The survey: without script, one plain form of three questions, each with its own
    /// reasons, a comment and a submit button. `survey.js` turns the same markup into one
    /// screen per question (`.stepping`), adds the reason screens, the "more time?" prompt
    /// and, on the kiosk, the thank-you screen and the offline outbox.
    static let survey = """
    {{> layout}}
    <main class="survey" id="survey" data-kind="{{kind}}" data-window="{{windowCode}}" data-lang="{{lang}}"{{#isKiosk}} data-idle="{{idleSeconds}}" data-prompt="{{promptSeconds}}" data-thanks="{{thanksSeconds}}"{{/isKiosk}}{{#extras.visitPollURL}} data-visit-poll="{{extras.visitPollURL}}" data-visit-label="{{extras.visitLabel}}"{{/extras.visitPollURL}}>
    <header class="place">
      <p class="center"{{#layout.centerLang}} lang="{{layout.centerLang}}"{{/layout.centerLang}}>{{layout.centerName}}</p>
      <h1><span class="name"{{#departmentLang}} lang="{{departmentLang}}"{{/departmentLang}}>{{departmentName}}</span> · <span class="name"{{#windowLang}} lang="{{windowLang}}"{{/windowLang}}>{{windowName}}</span></h1>
      <p class="lang">{{#otherLanguages}}<a href="{{href}}" lang="{{tag}}">{{name}}</a>{{/otherLanguages}}</p>
      {{#extras.deviceNotice}}<p class="device-notice" role="note">{{extras.deviceNotice}}</p>{{/extras.deviceNotice}}
      <p class="visit-banner" id="visit-banner" role="status"{{^extras.visitBanner}} hidden{{/extras.visitBanner}}>{{extras.visitBanner}}</p>
    </header>
    <div class="error-summary" role="alert" tabindex="-1" id="errors"{{^hasErrors}} hidden{{/hasErrors}}>
      <h2>{{errorSummary}}</h2>
      <ul>{{#errors}}<li><a href="#{{anchor}}">{{message}}</a></li>{{/errors}}</ul>
    </div>
    <form method="post" action="{{action}}" class="survey-form" novalidate>
      <p class="intro">{{intro}}</p>
      <input type="hidden" name="client_id" value="{{clientID}}">
      <input type="hidden" name="lang" value="{{lang}}">
      {{#isKiosk}}<input type="hidden" name="visit_token" id="visit-token" value="{{extras.visitToken}}">{{/isKiosk}}
      {{#questions}}
      <fieldset class="question step{{#hasError}} has-error{{/hasError}}" id="q-{{name}}" data-dimension="{{name}}" data-missing="{{missingMessage}}"{{#hasError}} aria-describedby="err-{{name}}"{{/hasError}}>
        <legend><span class="progress">{{progress}}</span> <span class="dimension">{{label}}</span> {{question}}</legend>
        <p class="field-error" id="err-{{name}}"{{^hasError}} hidden{{/hasError}}>{{#errorMessages}}<span>{{.}}</span> {{/errorMessages}}</p>
        <div class="choices">
          {{#choices}}
          <label class="choice level-{{value}}{{#negative}} negative{{/negative}}">
            <input type="radio" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}}{{#negative}} class="negative"{{/negative}}{{#invalid}} aria-invalid="true"{{/invalid}} data-level-name="{{text}}">
            <span class="face" aria-hidden="true">{{face}}</span>
            <span class="text">{{text}}</span>
          </label>
          {{/choices}}
        </div>
      </fieldset>
      <fieldset class="reasons step{{#reasonError}} has-error{{/reasonError}}" id="r-{{name}}" data-dimension="{{name}}"{{#reasonError}} aria-describedby="rerr-{{name}}"{{/reasonError}} data-title="{{reasonsTitleTemplate}}" data-missing="{{reasonMissingTemplate}}">
        <legend><span class="reasons-title">{{reasonsTitle}}</span></legend>
        <p class="hint">{{reasonsPick}}</p>
        <p class="field-error" id="rerr-{{name}}"{{^reasonError}} hidden{{/reasonError}}>{{reasonError}}</p>
        <div class="reason-list">
          {{#reasons}}
          <label class="reason"><input type="checkbox" name="reasons_{{dimension}}" value="{{value}}"{{#checked}} checked{{/checked}}><span{{#nameLang}} lang="{{nameLang}}"{{/nameLang}}>{{text}}</span></label>
          {{/reasons}}
          <label class="reason clerk"><input type="checkbox" name="clerk_{{name}}" value="1" class="clerk-toggle"{{#clerkChecked}} checked{{/clerkChecked}}><span>{{clerkReason}}</span></label>
        </div>
        <div class="clerk-field">
          <label class="other-reason" for="reason-other-{{name}}">{{clerkReasonLabel}}</label>
          <input type="text" id="reason-other-{{name}}" name="reason_other_{{name}}" maxlength="{{reasonMax}}" value="{{otherReason}}">
        </div>
        <button type="button" class="next" hidden>{{continueText}}</button>
      </fieldset>
      {{/questions}}
      <div class="comment{{#commentError}} has-error{{/commentError}}" id="q-comment">
        <label for="comment">{{commentLabel}}</label>
        <p class="field-error" id="comment-error"{{^commentError}} hidden{{/commentError}}>{{commentError}}</p>
        <textarea id="comment" name="comment" rows="3" maxlength="{{commentMax}}" aria-describedby="comment-hint{{#commentError}} comment-error{{/commentError}}">{{comment}}</textarea>
        <p class="hint" id="comment-hint">{{commentHint}}</p>
      </div>
      {{^isKiosk}}<div class="hp" aria-hidden="true"><label for="hp-website">{{honeypotLabel}}</label><input type="text" id="hp-website" name="website" tabindex="-1" autocomplete="off"></div>{{/isKiosk}}
      <button type="submit" class="submit">{{submit}}</button>
      <button type="button" class="back" hidden>{{backText}}</button>
    </form>
    {{#isKiosk}}
    <section class="done" id="done" hidden>
      <p class="check" aria-hidden="true">✓</p>
      <h2 tabindex="-1">{{thanksTitle}}</h2>
      <p>{{thanksBody}}</p>
      <p class="hint countdown">{{thanksBefore}}<span class="count"></span>{{thanksAfter}}</p>
      <button type="button" class="button add-comment">{{addComment}}</button>
      <div class="late-comment" hidden>
        <label for="late-comment">{{commentLabel}}</label>
        <textarea id="late-comment" rows="3" maxlength="{{commentMax}}" aria-describedby="late-comment-hint"></textarea>
        <p class="hint" id="late-comment-hint">{{commentHint}}</p>
        <button type="button" class="button send-comment">{{sendComment}}</button>
      </div>
      <p class="comment-saved" role="status" hidden>{{commentSaved}}</p>
    </section>
    <div class="prompt" id="prompt" role="alertdialog" aria-modal="true" aria-labelledby="prompt-title" aria-describedby="prompt-count" hidden>
      <div class="prompt-box">
        <h2 id="prompt-title">{{moreTimeTitle}}</h2>
        <p id="prompt-count">{{promptBefore}}<span class="count"></span>{{promptAfter}}</p>
        <button type="button" class="button more-time">{{moreTimeYes}}</button>
      </div>
    </div>
    <p class="pending" id="pending" hidden>{{pendingBefore}}<span class="count"></span>{{pendingAfter}}</p>
    {{/isKiosk}}
    </main>
    {{#extras.visitPollURL}}<script src="/static/js/kiosk-visit.js" defer></script>{{/extras.visitPollURL}}
    {{> footer}}
    """

    static let thanks = """
    {{> layout}}
    <main class="thanks" id="thanks" role="status"{{#returnAfterSeconds}} data-return-after="{{returnAfterSeconds}}" data-return-url="{{returnURL}}"{{/returnAfterSeconds}}>
      <p class="center"{{#layout.centerLang}} lang="{{layout.centerLang}}"{{/layout.centerLang}}>{{layout.centerName}}</p>
      <p class="check" aria-hidden="true">✓</p>
      <h1>{{heading}}</h1>
      <p>{{body}}</p>
      {{#resetting}}<p class="hint">{{resetting}}</p>{{/resetting}}
      {{#commentNote}}<p class="comment-saved">{{commentNote}}</p>{{/commentNote}}
      {{#commentAction}}
      <form method="post" action="{{commentAction}}" class="late-comment-form">
        <input type="hidden" name="client_id" value="{{clientID}}">
        <input type="hidden" name="lang" value="{{lang}}">
        <label for="late-comment">{{addComment}}</label>
        <textarea id="late-comment" name="comment" rows="3" maxlength="{{commentMax}}" aria-describedby="late-comment-hint"></textarea>
        <p class="hint" id="late-comment-hint">{{commentHint}}</p>
        <button type="submit" class="button">{{sendComment}}</button>
      </form>
      {{/commentAction}}
    </main>
    {{#returnAfterSeconds}}<script src="/static/js/survey.js" defer></script>{{/returnAfterSeconds}}
    {{> footer}}
    """

    static let message = """
    {{> layout}}
    <main class="message">
      <p class="center"{{#layout.centerLang}} lang="{{layout.centerLang}}"{{/layout.centerLang}}>{{layout.centerName}}</p>
      <h1>{{heading}}</h1>
      <p>{{body}}</p>
    </main>
    {{> footer}}
    """

    static let index = """
    {{> layout}}
    <main class="index">
      <h1{{#layout.centerLang}} lang="{{layout.centerLang}}"{{/layout.centerLang}}>{{layout.centerName}}</h1>
      <p>{{intro}}</p>
      <table>
        <thead><tr><th>{{windowHeading}}</th><th>{{departmentHeading}}</th><th>{{kioskHeading}}</th><th>{{phoneHeading}}</th></tr></thead>
        <tbody>
        {{#windows}}
        <tr><td><span{{#nameLang}} lang="{{nameLang}}"{{/nameLang}}>{{name}}</span> ({{code}})</td><td{{#departmentLang}} lang="{{departmentLang}}"{{/departmentLang}}>{{department}}</td><td><a href="/kiosk/{{code}}">/kiosk/{{code}}</a></td><td><a href="/r/{{code}}">/r/{{code}}</a></td></tr>
        {{/windows}}
        </tbody>
      </table>
    </main>
    {{> footer}}
    """
}
