import { validateModal } from '../../../src/bot/adapters/slack/validate.js';
import { CHAT_METHODS } from './chat.js';
import { fail, type Method, ok, str } from './reply.js';

/* The Web API methods patchops calls, with the fields it reads; anything else is unknown_method. */

const TEAM = { team_id: 'T1', team: 'test', url: 'https://test.slack.com/' };

const authTest: Method = () =>
  ok({ ...TEAM, user: 'patchops', user_id: 'UBOT', bot_id: 'BBOT', is_enterprise_install: false });

const viewsOpen: Method = (state, body) => {
  if (!str(body.trigger_id)) return fail('invalid_arguments', { errors: ['trigger_id is required'] });
  if (body.view === undefined) return fail('invalid_arguments', { errors: ['view is required'] });
  const problems = validateModal(body.view);
  if (problems.length > 0) {
    state.invalid.push({ method: 'views.open', problems });
    return fail('invalid_arguments', { errors: problems });
  }
  state.views.push(body.view);
  const id = state.nextId('V');
  return ok({
    view: {
      ...(body.view as object),
      id,
      team_id: TEAM.team_id,
      state: { values: {} },
      hash: state.nextTs(),
      root_view_id: id,
      app_id: 'A1',
      bot_id: 'BBOT',
    },
  });
};

const usergroupUsers: Method = (state, body) => {
  const users = state.usergroups[str(body.usergroup) ?? ''];
  return users ? ok({ users }) : fail('no_such_subteam');
};

const conversationInfo: Method = (state, body) => {
  const id = str(body.channel);
  if (!id) return fail('channel_not_found');
  return ok({
    channel: { id, name: id.toLowerCase(), is_channel: true, is_member: !state.notInChannel.has(id) },
  });
};

const userInfo: Method = (_state, body) => {
  const id = str(body.user);
  if (!id) return fail('user_not_found');
  return ok({ user: { id, name: id.toLowerCase(), team_id: TEAM.team_id, deleted: false, is_bot: false } });
};

export const METHODS: Record<string, Method> = {
  ...CHAT_METHODS,
  'auth.test': authTest,
  'views.open': viewsOpen,
  'usergroups.users.list': usergroupUsers,
  'conversations.info': conversationInfo,
  'users.info': userInfo,
};
