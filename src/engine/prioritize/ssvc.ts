import type { ExposureEffect } from './policy.js';
import {
  type Automatable,
  DECISIONS,
  type Decision,
  type Exploitation,
  type MissionWellBeing,
  type TechnicalImpact,
} from './types.js';

/*
 * The CISA coordinator decision tree (SSVC "CISA Levels", coordinator v2.0.3), written out as a table:
 * exploitation → automatable → technical impact → [mission & well-being low, medium, high].
 * The optional reference suite checks every row against CERT/CC's published CSV.
 */
type Row = readonly [low: Decision, medium: Decision, high: Decision];

const COORDINATOR: Record<Exploitation, Record<Automatable, Record<TechnicalImpact, Row>>> = {
  none: {
    no: { partial: ['track', 'track', 'track'], total: ['track', 'track', 'track*'] },
    yes: { partial: ['track', 'track', 'attend'], total: ['track', 'track', 'attend'] },
  },
  'public poc': {
    no: { partial: ['track', 'track', 'track*'], total: ['track', 'track*', 'attend'] },
    yes: { partial: ['track', 'track', 'attend'], total: ['track', 'track*', 'attend'] },
  },
  active: {
    no: { partial: ['track', 'track', 'attend'], total: ['track', 'attend', 'act'] },
    yes: { partial: ['attend', 'attend', 'act'], total: ['attend', 'act', 'act'] },
  },
};

const MISSION_LEVELS: readonly MissionWellBeing[] = ['low', 'medium', 'high'];

export interface SsvcInputs {
  exploitation: Exploitation;
  automatable: Automatable;
  technicalImpact: TechnicalImpact;
  missionWellBeing: MissionWellBeing;
}

/** The coordinator table's outcome for one combination of decision points. */
export function coordinatorDecision(inputs: SsvcInputs): Decision {
  const row = COORDINATOR[inputs.exploitation][inputs.automatable][inputs.technicalImpact];
  return row[MISSION_LEVELS.indexOf(inputs.missionWellBeing)] ?? 'track';
}

/** Mission & Well-being moved by the host's exposure, within low..high. */
export function shiftMission(level: MissionWellBeing, step: number): MissionWellBeing {
  const index = Math.max(0, Math.min(MISSION_LEVELS.length - 1, MISSION_LEVELS.indexOf(level) + step));
  return MISSION_LEVELS[index] ?? level;
}

/**
 * Where the deployer's view enters the coordinator tree: a host nobody can reach over the network cannot
 * be attacked by a script however the vector reads, and an internet-facing one carries more public
 * well-being (customers, data) than its criticality tag alone says. Both effects come from the policy.
 */
export function applyExposure(
  vectorAutomatable: Automatable,
  criticalityMission: MissionWellBeing,
  effect: ExposureEffect,
): { automatable: Automatable; missionWellBeing: MissionWellBeing } {
  return {
    automatable: effect.automatable === 'never' ? 'no' : vectorAutomatable,
    missionWellBeing: shiftMission(criticalityMission, effect.missionStep),
  };
}

export function decisionRank(decision: Decision): number {
  return DECISIONS.indexOf(decision);
}
