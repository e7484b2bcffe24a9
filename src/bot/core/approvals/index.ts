export {
  type ApprovalPolicy,
  type ApprovalsConfig,
  type ApprovalsConfigInput,
  approvalsConfigSchema,
  DEFAULT_ENVIRONMENT_TAG,
  DEFAULT_EXPIRES_AFTER_SECONDS,
  DEFAULT_REQUIRED_APPROVALS,
  MAX_REQUIRED_APPROVALS,
} from './config.js';
export {
  approversOf,
  checkPlanDecision,
  type PlanDecisionInput,
  type PlanDecisionKind,
  type PlanDecisionOutcome,
  type PlanDecisionRecord,
  type PlanDecisionResult,
  utcMinute,
} from './decision.js';
export { ANY_APPROVER, type ApprovalRule, approvalRule, environmentsOf } from './rule.js';
