/** CISA Known Exploited Vulnerabilities catalog, JSON or CSV. See readme.md. */
export { type KevCatalog, parseKevCatalog, parseKevRow } from './parse.js';
export { readKev } from './read.js';
