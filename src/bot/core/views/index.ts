export { type AlertInput, alertView } from './alert.js';
export { errorView } from './error.js';
export { MAX_TABLE_ROWS } from './format.js';
export { helpView } from './help.js';
export { hostsSummaryLine, hostsView } from './hosts.js';
export { runsView } from './runs.js';
export { scanTotalsLine, scanView } from './scan.js';
