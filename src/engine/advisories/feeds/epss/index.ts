/** FIRST EPSS scores CSV, plain or gzipped. See readme.md. */
export { type EpssColumns, type EpssModel, epssColumns, epssScoreOf, parseEpssComment } from './parse.js';
export { readEpss } from './read.js';
