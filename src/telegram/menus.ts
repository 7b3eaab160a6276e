import { messages, type CatalogueSettings } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import type { ApiCaller } from './sender.ts';

type CommandName = keyof ReturnType<typeof messages>['commandDescriptions'];

/** Each role's command menu, where its commands work. */
export interface Menus {
  /** Every member, in groups and in private. */
  members: readonly CommandName[];
  /** A group's administrators, in their groups: without what works only in private. */
  leadersInGroups: readonly CommandName[];
  /** A known leader's private chat. */
  leadersInPrivate: readonly CommandName[];
  /** An owner's private chat. */
  ownersInPrivate: readonly CommandName[];
}

export type MenuRole = 'member' | 'leader' | 'owner';

type Scope = { type: 'default' } | { type: 'all_chat_administrators' } | { type: 'chat'; chat_id: number };

/**
 * The menus Telegram shows beside the message box, in vi and en: members' by default, leaders' for group
 * administrators (published at start), and in the private chat of each leader and owner Loa knows, their own
 * (published when Loa learns their role, and taken away when it learns they no longer have it).
 */
export class CommandMenus {
  /** What this process last published in each person's private chat. */
  private readonly shown = new Map<number, MenuRole>();

  constructor(
    private readonly api: ApiCaller,
    private readonly menus: Menus,
    private readonly log: Logger,
    private readonly timeoutMs: number,
    private readonly settings: CatalogueSettings,
    /** The dashboard's address (WEB_APP_URL): leaders' and owners' private chats get a menu button that opens it. */
    private readonly webAppUrl?: string,
  ) {}

  /** The menus of every chat that has no menu of its own. */
  async publishDefaults(): Promise<void> {
    await this.publish(this.menus.members, { type: 'default' });
    await this.publish(this.menus.leadersInGroups, { type: 'all_chat_administrators' });
  }

  /**
   * The menu of a person's private chat for their role (once per process and role): a member's chat goes back
   * to the default menu. Called where Loa learns someone's role: /start, /help, and leaders' commands.
   */
  async showFor(userId: number, role: MenuRole): Promise<void> {
    if (this.shown.get(userId) === role) return;
    this.shown.set(userId, role);
    const scope = { type: 'chat', chat_id: userId } as const;
    if (role === 'member') {
      await this.call('deleteMyCommands', { scope }, scope);
      for (const language_code of ['vi', 'en']) await this.call('deleteMyCommands', { scope, language_code }, scope);
      if (this.webAppUrl)
        await this.call('setChatMenuButton', { chat_id: userId, menu_button: { type: 'default' } }, scope);
      return;
    }
    await this.publish(role === 'owner' ? this.menus.ownersInPrivate : this.menus.leadersInPrivate, scope);
    if (this.webAppUrl) {
      // One text for every language (the method takes no language_code): the default language's.
      const text = messages(this.settings.defaultLocale, this.settings.addressForm).dashboard.button;
      const menu_button = { type: 'web_app', text, web_app: { url: this.webAppUrl } };
      await this.call('setChatMenuButton', { chat_id: userId, menu_button }, scope);
    }
  }

  private async publish(names: readonly CommandName[], scope: Scope): Promise<void> {
    // The menu without a language code is what users of any other language see.
    for (const [locale, language_code] of [
      [this.settings.defaultLocale, undefined],
      ['vi', 'vi'],
      ['en', 'en'],
    ] as const) {
      const d = messages(locale, this.settings.addressForm).commandDescriptions;
      const commands = names.map((command) => ({ command, description: d[command] }));
      await this.call('setMyCommands', language_code ? { commands, scope, language_code } : { commands, scope }, scope);
    }
  }

  private async call(method: string, payload: Record<string, unknown>, scope: Scope): Promise<void> {
    try {
      await this.api.callApi(method, payload, { timeoutMs: this.timeoutMs });
    } catch (err) {
      // A menu is a convenience: a failure is logged, and the next role check tries again.
      if (scope.type === 'chat') this.shown.delete(scope.chat_id);
      this.log.warn(
        { err: (err as Error).message, method, scope: scope.type },
        'could not publish a command menu; carrying on',
      );
    }
  }
}
