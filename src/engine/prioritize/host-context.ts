import type { Policy, TagMapping } from './policy.js';
import type { Criticality, Exposure } from './types.js';

export interface TagLevel<Level extends string> {
  level: Level;
  /** False when the host has no such tag, or a value the policy does not list: the default was used. */
  tagged: boolean;
  /** The tag value as the host has it, for messages. */
  value: string | undefined;
}

function levelOf<Level extends string>(
  tags: Readonly<Record<string, string>>,
  mapping: TagMapping<Level>,
): TagLevel<Level> {
  const value = Object.hasOwn(tags, mapping.tag) ? tags[mapping.tag] : undefined;
  if (value !== undefined) {
    const wanted = value.trim().toLowerCase();
    for (const [level, values] of Object.entries(mapping.values) as [Level, readonly string[]][]) {
      if (values.includes(wanted)) return { level, tagged: true, value };
    }
  }
  return { level: mapping.default, tagged: false, value };
}

export function hostExposure(tags: Readonly<Record<string, string>>, policy: Policy): TagLevel<Exposure> {
  return levelOf(tags, policy.hostTags.exposure);
}

export function hostCriticality(
  tags: Readonly<Record<string, string>>,
  policy: Policy,
): TagLevel<Criticality> {
  return levelOf(tags, policy.hostTags.criticality);
}
