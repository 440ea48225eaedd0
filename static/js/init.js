// West Mercia OPCC – front-end initialisation (ES module, no inline script).
//
// Load once, at the end of <body>:
//   <script type="module" src="{% static 'js/init.js' %}"></script>
//
// GOV.UK Frontend 6's page template normally runs an inline script at the top of
// <body>:
//   document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
// Our Content-Security-Policy forbids inline script, so the same classes are
// added here instead. Any browser that runs a module script supports `noModule`,
// so 'govuk-frontend-supported' can be added unconditionally. 'js-enabled' is
// still used by MOJ Frontend's CSS (filter layout, button menu, search toggle).
// Static imports are evaluated first but only define things; no component is
// initialised before these classes are present.
import { initAll as initGovuk } from './govuk-frontend.min.js'
import { initAll as initMoj } from './moj-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

// GOV.UK Frontend: every element with data-module="govuk-…"
initGovuk()

// MOJ Frontend 11 (ES module build): every element with data-module="moj-…"
// (add-another, alert, button-menu, date-picker, multi-select, password-reveal,
// pds-header, rich-text-editor, search-toggle, sortable-table).
initMoj()
