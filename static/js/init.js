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

// A table's scrolling region ({% scrollable_table %}) is a named, focusable region only while the table is
// too wide for it; a table that fits is not an extra tab stop or landmark. Without JavaScript every region
// stays focusable, which is the safe default.
const regions = document.querySelectorAll('.moj-scrollable-pane[role="region"]')
if (regions.length && 'ResizeObserver' in window) {
  const fit = (region) => {
    region.dataset.label ??= region.getAttribute('aria-label')
    if (region.scrollWidth > region.clientWidth) {
      region.setAttribute('role', 'region')
      region.setAttribute('aria-label', region.dataset.label)
      region.setAttribute('tabindex', '0')
    } else {
      region.removeAttribute('role')
      region.removeAttribute('aria-label')
      region.removeAttribute('tabindex')
    }
  }
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => fit(entry.target)))
  regions.forEach((region) => observer.observe(region))
}
