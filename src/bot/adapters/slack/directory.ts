import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../core/permissions.js';

/**
 * Who a Slack user is to patchops: their user id and handle, and the patchops groups of the Slack user
 * groups they are in (only the configured ones are asked about, each list cached for a minute).
 */
export class SlackDirectory {
  private readonly members = new Map<string, { users: Set<string>; at: number }>();

  constructor(
    private readonly client: WebClient,
    /** Slack user group id → patchops group. */
    private readonly groups: Record<string, string>,
    private readonly ttlMs = 60_000,
  ) {}

  async actor(userId: string, userName: string | undefined): Promise<Actor> {
    const groups: string[] = [];
    for (const [usergroup, group] of Object.entries(this.groups)) {
      if ((await this.membersOf(usergroup)).has(userId)) groups.push(group);
    }
    return { id: userId, name: userName ?? userId, groups };
  }

  private async membersOf(usergroup: string): Promise<Set<string>> {
    const cached = this.members.get(usergroup);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.users;
    const result = await this.client.usergroups.users.list({ usergroup });
    const users = new Set(result.users ?? []);
    this.members.set(usergroup, { users, at: Date.now() });
    return users;
  }
}
