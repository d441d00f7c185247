// Starts the GOV.UK and MOJ Frontend components on every page. Pages work without it: it
// only adds behaviour (menus, error summary focus, filters, sortable tables).
import { initAll as initGovuk } from '../govuk/govuk-frontend.min.js'
import { initAll as initMoj } from '../moj/moj-frontend.min.js'

initGovuk()
initMoj()
