export { type CvssFacts, type CvssReading, readCvss } from './cvss.js';
export { addDays, daysBetween, isIsoDay, utcDay } from './dates.js';
export { type DistributionSeverity, normalizeDistributionSeverity } from './distribution-severity.js';
export {
  DEFAULT_POLICY,
  type ExposureEffect,
  type Policy,
  type PolicyParseResult,
  parsePolicy,
  policySchema,
  type TagMapping,
} from './policy.js';
export { compareUrgency, mostUrgent, prioritize } from './prioritize.js';
export { epssText, epssValue, ordinal } from './reasons.js';
export { coordinatorDecision } from './ssvc.js';
export * from './types.js';
