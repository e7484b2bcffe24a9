export * from './advisories.js';
export * from './audit.js';
export * from './chat.js';
export * from './findings.js';
export * from './hosts.js';
export * from './rollouts.js';
export * from './scans.js';
