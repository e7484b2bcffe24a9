import { REST, Routes } from 'discord.js';
import { patchCommand } from './commands.js';

export interface RegisterSettings {
  token: string;
  applicationId: string;
  /** One guild: the command is there at once. Without: global, which Discord may take a while to show. */
  guildId?: string;
  apiUrl?: string;
}

/** `patchops discord register`: puts `/patch` (and only it) as the application's command set. */
export async function registerCommands(
  settings: RegisterSettings,
): Promise<{ scope: string; names: string[] }> {
  const rest = new REST(settings.apiUrl ? { api: settings.apiUrl } : {}).setToken(settings.token);
  const route = settings.guildId
    ? Routes.applicationGuildCommands(settings.applicationId, settings.guildId)
    : Routes.applicationCommands(settings.applicationId);
  const registered = (await rest.put(route, { body: [patchCommand()] })) as { name: string }[];
  return {
    scope: settings.guildId ? `guild ${settings.guildId}` : 'global',
    names: registered.map((command) => command.name),
  };
}
