/** The fake Discord driven by the real discord.js Client: login, interactions, Discord's rules. */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ActionRowBuilder,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIMessage,
  ButtonStyle,
  Client,
  ComponentType,
  Events,
  type Interaction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  Routes,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeDiscordOptions } from '../support/fake-discord.js';

const alice = { id: '400000000000000001', username: 'alice' };
let fake: FakeDiscord | undefined;
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await fake?.close();
  fake = undefined;
});

async function connect(options: FakeDiscordOptions = {}): Promise<{ fake: FakeDiscord; client: Client }> {
  const started = await FakeDiscord.start(options);
  fake = started;
  const client = new Client({ intents: [], rest: { api: started.apiUrl } });
  clients.push(client);
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login('test-token');
  await ready;
  return { fake: started, client };
}

function nextInteraction(client: Client): Promise<Interaction> {
  return new Promise((resolve) => client.once(Events.InteractionCreate, resolve));
}

function buttons(...ids: string[]): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: ids.map((id) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: id,
      custom_id: id,
    })),
  };
}

async function postMessage(client: Client, channelId: string, body: object): Promise<APIMessage> {
  return (await client.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
}

describe('fake Discord', () => {
  it('logs discord.js in and carries a slash command through defer and edit', async () => {
    const { fake, client } = await connect();
    expect(client.user?.id).toBe(fake.botUserId);
    expect(fake.gatewayTokens).toEqual(['test-token']);
    const received = nextInteraction(client);
    const payload = fake.chatInputInteraction({
      subcommand: 'status',
      options: { target: 'rollout-2', verbose: true, limit: 5 },
      user: alice,
      roles: ['500000000000000001'],
    });
    fake.sendInteraction(payload);
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error(`got interaction type ${interaction.type}`);
    expect(interaction.commandName).toBe('patch');
    expect(interaction.options.getSubcommand()).toBe('status');
    expect(interaction.options.getString('target')).toBe('rollout-2');
    expect(interaction.options.getBoolean('verbose')).toBe(true);
    expect(interaction.options.getInteger('limit')).toBe(5);
    expect(interaction.user.username).toBe('alice');
    expect(interaction.inRawGuild() && interaction.member.roles).toEqual(['500000000000000001']);

    const deferred = await interaction.deferReply({ withResponse: true });
    const original = fake.messages.get(deferred.resource?.message?.id ?? '');
    expect(original?.flags).toBe(MessageFlags.Loading);
    const edited = await interaction.editReply({
      embeds: [{ title: 'rollout-2', description: 'wave 1 of 3' }],
      components: [buttons('patchops:run:pause:rollout-2')],
    });
    expect(edited.id).toBe(original?.id);
    expect(edited.embeds[0]?.title).toBe('rollout-2');
    expect(fake.messages.get(edited.id)).toMatchObject({
      content: '',
      flags: 0,
      edits: 1,
      ephemeral: false,
      interactionId: payload.id,
      embeds: [{ title: 'rollout-2' }],
      components: [buttons('patchops:run:pause:rollout-2')],
    });
    const callback = await fake.waitFor((call) => call.path.endsWith('/callback'));
    expect(callback).toMatchObject({
      status: 200,
      authorization: undefined,
      query: { with_response: 'true' },
    });
    expect(fake.invalid).toEqual([]);
  });

  it('rejects a first response after the deadline and a second response', async () => {
    const { fake, client } = await connect({ interactionDeadlineMs: 200 });
    let received = nextInteraction(client);
    fake.sendInteraction(fake.chatInputInteraction({ subcommand: 'status', user: alice }));
    const late = await received;
    if (!late.isChatInputCommand()) throw new Error('expected a slash command');
    await sleep(300);
    await expect(late.deferReply()).rejects.toMatchObject({ code: 10062, status: 404 });

    received = nextInteraction(client);
    fake.sendInteraction(fake.chatInputInteraction({ subcommand: 'status', user: alice }));
    const twice = await received;
    if (!twice.isChatInputCommand()) throw new Error('expected a slash command');
    await twice.reply({ content: 'first' });
    const again = client.rest.post(Routes.interactionCallback(twice.id, twice.token), {
      body: { type: 4, data: { content: 'second' } },
      auth: false,
    });
    await expect(again).rejects.toMatchObject({ code: 40060, status: 400 });
  });

  it('expires the interaction token but not the bot token', async () => {
    const { fake, client } = await connect({ tokenLifetimeMs: 300 });
    const received = nextInteraction(client);
    fake.sendInteraction(fake.chatInputInteraction({ subcommand: 'status', user: alice }));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    const reply = await interaction.reply({ content: 'working', withResponse: true });
    const id = reply.resource?.message?.id ?? '';
    await sleep(350);
    await expect(interaction.editReply({ content: 'done' })).rejects.toMatchObject({
      code: 50027,
      status: 401,
    });
    await client.rest.patch(Routes.channelMessage(fake.channelId, id), { body: { content: 'done' } });
    expect(fake.messages.get(id)).toMatchObject({ content: 'done', edits: 1 });
  });

  it('edits the message a button is on after deferUpdate, and round-trips modals', async () => {
    const { fake, client } = await connect();
    const posted = await postMessage(client, fake.channelId, {
      content: 'plan-3 awaits approval',
      components: [buttons('patchops:run:approve:plan-3', 'patchops:ask-reason:deny:plan-3')],
    });
    let received = nextInteraction(client);
    fake.sendInteraction(
      fake.buttonInteraction({ customId: 'patchops:run:approve:plan-3', message: posted.id, user: alice }),
    );
    const click = await received;
    if (!click.isButton()) throw new Error('expected a button');
    expect(click.message.id).toBe(posted.id);
    await click.deferUpdate();
    const rest = [buttons('patchops:ask-reason:deny:plan-3')];
    await click.editReply({ content: 'plan-3 approved by alice', components: rest });
    expect(fake.messages.get(posted.id)).toMatchObject({
      content: 'plan-3 approved by alice',
      components: rest,
      edits: 1,
    });
    await fake.waitFor((call) => call.method === 'PATCH' && call.path.endsWith('/messages/@original'));

    received = nextInteraction(client);
    const deny = fake.buttonInteraction({
      customId: 'patchops:ask-reason:deny:plan-3',
      message: posted.id,
      user: alice,
    });
    fake.sendInteraction(deny);
    const ask = await received;
    if (!ask.isButton()) throw new Error('expected a button');
    const reason = new TextInputBuilder()
      .setCustomId('reason')
      .setStyle(TextInputStyle.Short)
      .setLabel('Reason');
    await ask.showModal(
      new ModalBuilder()
        .setCustomId('deny:plan-3')
        .setTitle('Deny plan-3')
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(reason)),
    );
    received = nextInteraction(client);
    fake.sendInteraction(
      fake.modalSubmitInteraction({ customId: 'deny:plan-3', fields: { reason: 'freeze' }, user: alice }),
    );
    const submit = await received;
    if (!submit.isModalSubmit()) throw new Error('expected a modal submit');
    expect(submit.fields.getTextInputValue('reason')).toBe('freeze');
    expect(submit.message?.id).toBe(posted.id);
    await submit.deferUpdate();
    await submit.editReply({ content: 'plan-3 denied: freeze' });
    expect(fake.messages.get(posted.id)?.content).toBe('plan-3 denied: freeze');
    expect(fake.invalid).toEqual([]);
  });

  it('answers modals in label layout in the same layout, and rejects broken modals', async () => {
    const { fake, client } = await connect();
    let received = nextInteraction(client);
    fake.sendInteraction(fake.chatInputInteraction({ subcommand: 'deny', user: alice }));
    const command = await received;
    if (!command.isChatInputCommand()) throw new Error('expected a slash command');
    const modal = new ModalBuilder().setCustomId('m').setTitle('Deny plan-3');
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel('Reason')
        .setTextInputComponent(
          new TextInputBuilder().setCustomId('reason').setStyle(TextInputStyle.Paragraph),
        ),
    );
    // The builder refuses a long title itself, so send the raw body a careless adapter could send.
    const tooLong = { ...modal.toJSON(), title: 'x'.repeat(46) };
    await expect(command.showModal(tooLong)).rejects.toMatchObject({ code: 50035 });
    expect(fake.invalid).toEqual([
      {
        path: expect.stringContaining('/callback'),
        problems: ['data.title is 46 characters (must be 1-45)'],
      },
    ]);
    await command.showModal(modal);
    received = nextInteraction(client);
    fake.sendInteraction(
      fake.modalSubmitInteraction({ customId: 'm', fields: { reason: 'freeze' }, user: alice }),
    );
    const submit = await received;
    if (!submit.isModalSubmit()) throw new Error('expected a modal submit');
    expect(submit.components[0]?.type).toBe(ComponentType.Label);
    expect(submit.fields.getTextInputValue('reason')).toBe('freeze');
    expect(submit.message).toBeNull();
    await submit.reply({ content: 'denied', flags: MessageFlags.Ephemeral });
  });

  it('rejects messages over the limits with 50035 and records them', async () => {
    const { fake, client } = await connect();
    const received = nextInteraction(client);
    fake.sendInteraction(fake.chatInputInteraction({ subcommand: 'status', user: alice }));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    const embeds = [{ title: 'a', description: 'x'.repeat(4096) }, { description: 'y'.repeat(2000) }];
    await expect(interaction.reply({ embeds })).rejects.toMatchObject({ code: 50035, status: 400 });
    const six = postMessage(client, fake.channelId, { components: [buttons('1', '2', '3', '4', '5', '6')] });
    await expect(six).rejects.toMatchObject({ code: 50035 });
    expect(fake.invalid.map((entry) => entry.problems)).toEqual([
      ['embeds total 6097 characters (max 6000)'],
      ['components[0]: 6 buttons (max 5)'],
    ]);
    // A rejected response does not acknowledge: Discord still takes a valid one.
    await interaction.reply({ content: 'ok' });
  });

  it('validates and stores application commands, and types options by them', async () => {
    const { fake, client } = await connect();
    const percent = { type: 10, name: 'percent', description: 'Wave size', required: true };
    const patch = {
      name: 'patch',
      description: 'Patch operations',
      options: [{ type: 1, name: 'rollout', description: 'Start a rollout', options: [percent] }],
    };
    const set = await client.application?.commands.set([patch]);
    expect(set?.first()?.name).toBe('patch');
    expect(fake.commands).toMatchObject([
      { name: 'patch', id: set?.first()?.id, application_id: fake.applicationId },
    ]);

    const broken = [
      {
        ...patch,
        name: 'Patch',
        options: [
          {
            ...patch.options[0],
            options: [
              { ...percent, required: false },
              { ...percent, name: 'hosts', type: 3 },
            ],
          },
        ],
      },
    ];
    const put = client.rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guildId), {
      body: broken,
    });
    await expect(put).rejects.toMatchObject({ code: 50035 });
    expect(fake.invalid[0]?.problems).toEqual([
      "[0]: name 'Patch' must be lower case",
      "[0].options[0].options[1]: required option 'hosts' after an optional one",
    ]);
    expect(fake.commands).toHaveLength(1);

    const received = nextInteraction(client);
    fake.sendInteraction(
      fake.chatInputInteraction({ subcommand: 'rollout', options: { percent: 25 }, user: alice }),
    );
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    expect(interaction.commandId).toBe(set?.first()?.id);
    expect(interaction.options.getNumber('percent')).toBe(25);
    expect(() => fake.chatInputInteraction({ subcommand: 'rollout', user: alice })).toThrow(
      /required option 'percent'/,
    );
  });

  it('turns the first follow-up after a defer into the reply and keeps Discord error shapes', async () => {
    const { fake, client } = await connect();
    const received = nextInteraction(client);
    fake.sendInteraction(fake.chatInputInteraction({ subcommand: 'status', user: alice }));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    const original = client.rest.get(
      Routes.webhookMessage(fake.applicationId, interaction.token, '@original'),
      { auth: false },
    );
    await expect(original).rejects.toMatchObject({ code: 10008, status: 404 });
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const first = await interaction.followUp({ content: 'done' });
    // With a file, @discordjs/rest sends multipart with the message as `payload_json`.
    const second = await interaction.followUp({
      content: 'also',
      files: [{ attachment: Buffer.from('apt output'), name: 'log.txt' }],
    });
    const reply = await interaction.fetchReply();
    expect(first.id).toBe(reply.id);
    expect(fake.messages.get(first.id)).toMatchObject({
      content: 'done',
      ephemeral: true,
      flags: MessageFlags.Ephemeral,
    });
    expect(second.id).not.toBe(first.id);
    expect(second.attachments.first()?.name).toBe('log.txt');
    expect(fake.messages.get(second.id)).toMatchObject({ content: 'also', ephemeral: false });
    // Ephemeral messages are not reachable through the channel.
    await expect(client.rest.get(Routes.channelMessage(fake.channelId, first.id))).rejects.toMatchObject({
      code: 10008,
    });

    const unauthenticated = await fetch(`${fake.apiUrl}/v10/gateway/bot`);
    expect(unauthenticated.status).toBe(401);
    const unknown = await fetch(`${fake.apiUrl}/v10/guilds/1/bans`, { headers: { authorization: 'Bot x' } });
    expect([unknown.status, await unknown.json()]).toEqual([404, { code: 0, message: '404: Not Found' }]);
    expect(fake.calls.at(-1)).toMatchObject({ method: 'GET', path: '/guilds/1/bans', status: 404 });
  });
});
