import { messages, type CatalogueSettings } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import type { ApiCaller } from './sender.ts';

export interface Menus {
  /** The commands every member may use. */
  members: readonly (keyof ReturnType<typeof messages>['commandDescriptions'])[];
  /** The members' and the leaders' commands. */
  leaders: readonly (keyof ReturnType<typeof messages>['commandDescriptions'])[];
}

/** Publishes the command menus in vi and en: members' by default, leaders' for group administrators. */
export async function publishMenus(
  api: ApiCaller,
  menus: Menus,
  log: Logger,
  timeoutMs: number,
  settings: CatalogueSettings,
): Promise<void> {
  const scopes = [
    { names: menus.members, scope: { type: 'default' } },
    { names: menus.leaders, scope: { type: 'all_chat_administrators' } },
  ];
  for (const menu of scopes) {
    // The menu without a language code is what users of any other language see.
    for (const [locale, language_code] of [
      [settings.defaultLocale, undefined],
      ['vi', 'vi'],
      ['en', 'en'],
    ] as const) {
      const d = messages(locale, settings.addressForm).commandDescriptions;
      const commands = menu.names.map((command) => ({ command, description: d[command] }));
      const payload = language_code ? { commands, scope: menu.scope, language_code } : { commands, scope: menu.scope };
      try {
        await api.callApi('setMyCommands', payload, { timeoutMs });
      } catch (err) {
        log.warn({ err: (err as Error).message, scope: menu.scope.type, locale }, 'setMyCommands failed; carrying on');
      }
    }
  }
}
