import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake Telegram Bot API server, over real HTTP on 127.0.0.1, answering the methods Loa uses the way
// Telegram does: { ok, result } or { ok: false, error_code, description, parameters }; getUpdates long
// polling with offsets (and 409 for a competing poller); 403 for groups the bot was kicked from and
// users who never started it; 400 "can't parse entities" for malformed HTML; 400 with
// migrate_to_chat_id for a group that became a supergroup; and, when enabled, Telegram's flood limits
// answered with 429 and retry_after. Faults (5xx, hangs, dropped connections) can be injected.

export interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
}

export interface SentMessage {
  message_id: number;
  chat: TgChat;
  from: TgUser;
  date: number;
  text?: string;
  caption?: string;
  html?: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] };
  reply_to_message_id?: number;
  method: string;
  at: number;
  document?: { file_name: string; bytes: Buffer };
  photo?: { bytes: Buffer };
}

export interface Call {
  method: string;
  payload: Record<string, any>;
  at: number;
  status: number;
  error_code?: number;
  description?: string;
}

export type Fault =
  { kind: 'error'; code: number; description?: string; retryAfter?: number } | { kind: 'hang' } | { kind: 'drop' };

interface ChatState {
  chat: TgChat;
  admins: Set<number>;
  /**
   * What getChatMember says of each person (admins aside). Anyone else is a 'member': people pressing a group's
   * buttons nearly always are; a test about outsiders says so with setMemberStatus.
   */
  members: Map<number, string>;
  botMember: boolean;
  migratedTo?: number;
  nextMessageId: number;
  reactionsAllowed: boolean;
}

export interface Limits {
  globalPerSecond: number;
  groupPerMinute: number;
  /** Minimum gap, in ms, between two messages into one private chat (Telegram: "about one a second"). */
  privateGapMs: number;
}

const SENDING = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'copyMessage', 'forwardMessage']);
const ALLOWED_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'blockquote',
]);

export class FakeTelegram {
  readonly bot: TgUser & { username: string };
  readonly calls: Call[] = [];
  readonly messages: SentMessage[] = [];
  readonly callbackAnswers: { id: string; text?: string; show_alert?: boolean; at: number }[] = [];
  readonly reactions: { chat_id: number; message_id: number; emoji: string; at: number }[] = [];
  /** When each update was first handed out by getUpdates (for latency measurements). */
  readonly handedOutAt = new Map<number, number>();
  /** The message id of each message a user sent (by its update id). */
  readonly memberMessages = new Map<number, number>();
  /** The update that carried each callback query. */
  readonly updateOfCallback = new Map<string, number>();
  parseErrors = 0;
  rateLimited = 0;
  limits: Limits | undefined;
  private readonly server: http.Server;
  private readonly chats = new Map<number, ChatState>();
  private readonly started = new Set<number>();
  private readonly updates: any[] = [];
  private nextUpdateId = 1;
  private waiter: { res: http.ServerResponse; offset: number; timer: NodeJS.Timeout; limit: number } | undefined;
  private readonly faults: { method: string; remaining: number; fault: Fault; chatId: number | undefined }[] = [];
  private readonly sendTimes: number[] = [];
  private readonly groupSends = new Map<number, number[]>();
  private readonly privateLast = new Map<number, number>();
  private callbackSeq = 0;
  private readonly openCallbacks = new Map<string, number>();
  private readonly hung = new Set<http.ServerResponse>();
  /** Webhook mode (after setWebhook): updates are POSTed to the URL, retried until it answers 200. */
  private webhook: { url: string; secret: string | undefined; maxConnections: number } | undefined;
  private webhookInFlight = 0;
  readonly webhookStats = { delivered: 0, failed: 0 };
  url = '';

  constructor(
    readonly token = '123456:TEST-token-for-the-fake-api_abcdefgh',
    opts: { limits?: Limits } = {},
  ) {
    this.bot = { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Loa', username: 'loa_test_bot' };
    this.limits = opts.limits;
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.webhook = undefined;
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter.res.destroy();
      this.waiter = undefined;
    }
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the world: chats, people, updates -------------------------------------------------------

  /** A group with the bot in it (sends the my_chat_member update Telegram sends when the bot is added). */
  addGroup(
    id: number,
    title: string,
    admins: TgUser[] = [],
    opts: { announce?: boolean; type?: 'group' | 'supergroup'; members?: TgUser[]; addedBy?: TgUser } = {},
  ): TgChat {
    const chat: TgChat = { id, type: opts.type ?? 'supergroup', title };
    this.chats.set(id, {
      chat,
      admins: new Set(admins.map((a) => a.id)),
      members: new Map((opts.members ?? []).map((m) => [m.id, 'member'])),
      botMember: true,
      nextMessageId: 1,
      reactionsAllowed: true,
    });
    if (opts.announce !== false) {
      this.enqueue({
        my_chat_member: {
          chat,
          from: opts.addedBy ?? admins[0] ?? { id: 1, first_name: 'Someone' },
          date: now(),
          old_chat_member: { user: this.bot, status: 'left' },
          new_chat_member: { user: this.bot, status: 'member' },
        },
      });
    }
    return chat;
  }

  /** The bot is removed from a group: later sends there get 403. */
  kick(chatId: number, announce = true): void {
    const state = this.chats.get(chatId);
    if (!state) return;
    state.botMember = false;
    if (announce) {
      this.enqueue({
        my_chat_member: {
          chat: state.chat,
          from: { id: 1, first_name: 'Admin' },
          date: now(),
          old_chat_member: { user: this.bot, status: 'member' },
          new_chat_member: { user: this.bot, status: 'kicked' },
        },
      });
    }
  }

  /** The group becomes a supergroup with a new id; sends to the old id get 400 with migrate_to_chat_id. */
  migrate(oldId: number, newId: number): void {
    const state = this.chats.get(oldId);
    if (!state) return;
    state.migratedTo = newId;
    this.chats.set(newId, {
      chat: { ...state.chat, id: newId, type: 'supergroup' },
      admins: new Set(state.admins),
      members: new Map(state.members),
      botMember: true,
      nextMessageId: 1,
      reactionsAllowed: true,
    });
  }

  setAdmins(chatId: number, admins: TgUser[]): void {
    const state = this.chats.get(chatId);
    if (state) state.admins = new Set(admins.map((a) => a.id));
  }

  /** What Telegram will say of a person in a group (getChatMember): 'member', 'left', 'kicked'… No update is sent. */
  setMemberStatus(chatId: number, userId: number, status: string): void {
    this.chats.get(chatId)?.members.set(userId, status);
  }

  /** Whether the bot is still in a group (false once kicked or once it left). */
  botIsIn(chatId: number): boolean {
    return this.chats.get(chatId)?.botMember ?? false;
  }

  disableReactions(chatId: number): void {
    const state = this.chats.get(chatId);
    if (state) state.reactionsAllowed = false;
  }

  /** The user has pressed Start in their private chat with the bot (it may write to them). */
  markStarted(userId: number): void {
    this.started.add(userId);
  }

  /** The user blocked the bot: sends to them get 403 until they start it again. */
  block(userId: number): void {
    this.started.delete(userId);
  }

  private privateChat(user: TgUser): TgChat {
    return { id: user.id, type: 'private', first_name: user.first_name };
  }

  chatOf(id: number): TgChat {
    const state = this.chats.get(id);
    if (!state) throw new Error(`no chat ${id}`);
    return state.chat;
  }

  /** A user writes in a chat (group id, or 'private' for their chat with the bot). Commands get their entity. */
  send(chat: TgChat | 'private', from: TgUser, text: string, extra: Record<string, any> = {}): number {
    const c = chat === 'private' ? this.privateChat(from) : chat;
    // Telegram only lets a user write to a bot in private after pressing Start.
    if (chat === 'private') this.started.add(from.id);
    // Whoever writes in a group is in it.
    else {
      const members = this.chats.get(c.id)?.members;
      if (members && !['administrator', 'creator', 'restricted'].includes(members.get(from.id) ?? ''))
        members.set(from.id, 'member');
    }
    const entities = text.startsWith('/')
      ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]!.length }]
      : undefined;
    const message = {
      message_id: this.nextId(c.id),
      from,
      chat: c,
      date: now(),
      text,
      ...(entities ? { entities } : {}),
      ...extra,
    };
    const updateId = this.enqueue({ message });
    this.memberMessages.set(updateId, message.message_id);
    return updateId;
  }

  /** A user replies to one of the bot's messages. */
  replyTo(msg: SentMessage, from: TgUser, text: string): number {
    const replied = {
      message_id: msg.message_id,
      from: this.bot,
      chat: msg.chat,
      date: msg.date,
      text: msg.text,
      ...(msg.reply_markup ? { reply_markup: msg.reply_markup } : {}),
    };
    return this.send(msg.chat, from, text, { reply_to_message: replied });
  }

  /** A user presses an inline button under one of the bot's messages. Returns the callback query id. */
  press(msg: SentMessage, from: TgUser, data: string): string {
    const id = `cb${++this.callbackSeq}`;
    this.openCallbacks.set(id, Date.now());
    const message = {
      message_id: msg.message_id,
      from: msg.from,
      chat: msg.chat,
      date: msg.date,
      text: msg.text,
      reply_markup: msg.reply_markup,
    };
    this.updateOfCallback.set(
      id,
      this.enqueue({ callback_query: { id, from, message, chat_instance: String(msg.chat.id), data } }),
    );
    return id;
  }

  /** Any raw update (for hostile and unusual ones). Returns its update_id. */
  enqueue(update: Record<string, any>): number {
    const full = { update_id: this.nextUpdateId++, ...update };
    this.updates.push(full);
    this.flushWaiter();
    this.pumpWebhook();
    return full.update_id;
  }

  /** Takes the queued updates directly (command tests hand them to bot.handleUpdate themselves). */
  takeUpdates(): any[] {
    return this.updates.splice(0);
  }

  /** Updates handed out but not yet confirmed by a later offset. */
  pendingUpdates(): number {
    return this.updates.length;
  }

  private nextId(chatId: number): number {
    let state = this.chats.get(chatId);
    if (!state) {
      // Private chats come into being on first use.
      state = {
        chat: { id: chatId, type: chatId > 0 ? 'private' : 'supergroup' },
        admins: new Set(),
        members: new Map(),
        botMember: true,
        nextMessageId: 1,
        reactionsAllowed: true,
      };
      this.chats.set(chatId, state);
    }
    return state.nextMessageId++;
  }

  // ---- faults ------------------------------------------------------------------------------------

  /** The next `times` calls of `method` ('*' for any) fail as described. */
  fail(method: string, times: number, fault: Fault, chatId?: number): void {
    this.faults.push({ method, remaining: times, fault, chatId });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  // ---- what the bot did --------------------------------------------------------------------------

  messagesTo(chatId: number): SentMessage[] {
    return this.messages.filter((m) => m.chat.id === chatId);
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  async waitFor<T>(
    probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
    timeoutMs = 10_000,
    what = 'condition',
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  /** Waits until every update was confirmed by the bot (a getUpdates with a later offset). */
  async drained(timeoutMs = 10_000): Promise<void> {
    await this.waitFor(
      () => this.updates.length === 0 && this.waiter !== undefined,
      timeoutMs,
      'updates to be consumed',
    );
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    // Read with events: a for-await over the request destroys it at the end, and with it the kept-alive socket.
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) => {
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', resolve);
      req.on('error', resolve);
    });
    if (!m) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m as unknown as [string, string, string];
    if (token !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    let payload: Record<string, any>;
    try {
      payload = parseBody(req.headers['content-type'] ?? '', Buffer.concat(chunks));
    } catch {
      return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid request body' });
    }
    const at = Date.now();
    const fault = this.takeFault(method, payload.chat_id === undefined ? undefined : Number(payload.chat_id));
    if (fault) {
      this.calls.push({ method, payload, at, status: fault.kind === 'error' ? fault.code : 0 });
      if (fault.kind === 'hang') {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        return;
      }
      if (fault.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      const body: any = {
        ok: false,
        error_code: fault.code,
        description: fault.description ?? (fault.code >= 500 ? 'Internal Server Error' : 'Error'),
      };
      if (fault.retryAfter !== undefined) body.parameters = { retry_after: fault.retryAfter };
      return this.reply(res, fault.code, body);
    }
    if (method === 'getUpdates') return this.getUpdates(res, payload, at);
    const out = this.dispatch(method, payload, at);
    const call: Call = { method, payload, at, status: out.ok ? 200 : out.error_code };
    if (!out.ok) {
      call.error_code = out.error_code;
      call.description = out.description;
    }
    this.calls.push(call);
    this.reply(res, out.ok ? 200 : out.error_code, out);
  }

  private reply(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private takeFault(method: string, chatId: number | undefined): Fault | undefined {
    const f = this.faults.find(
      (x) =>
        x.remaining > 0 &&
        (x.method === method || (x.method === '*' && method !== 'getUpdates')) &&
        (x.chatId === undefined || x.chatId === chatId),
    );
    if (!f) return undefined;
    f.remaining -= 1;
    return f.fault;
  }

  private getUpdates(res: http.ServerResponse, payload: Record<string, any>, at: number): void {
    const offset = Number(payload.offset ?? 0);
    if (offset > 0) while (this.updates.length > 0 && this.updates[0].update_id < offset) this.updates.shift();
    this.calls.push({ method: 'getUpdates', payload, at, status: 200 });
    // Telegram ends the older of two concurrent long polls with 409.
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.reply(this.waiter.res, 409, {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      });
      this.waiter = undefined;
    }
    const limit = Math.min(100, Number(payload.limit ?? 100));
    const ready = this.updates.filter((u) => u.update_id >= offset).slice(0, limit);
    const timeout = Number(payload.timeout ?? 0);
    if (ready.length > 0 || timeout <= 0) return this.handOut(res, ready);
    const timer = setTimeout(() => {
      if (this.waiter?.res === res) this.waiter = undefined;
      this.reply(res, 200, { ok: true, result: [] });
    }, timeout * 1000);
    this.waiter = { res, offset, timer, limit };
    res.on('close', () => {
      if (this.waiter?.res === res) {
        clearTimeout(timer);
        this.waiter = undefined;
      }
    });
  }

  /** Updates not yet accepted by the webhook (queued or on the wire). */
  webhookBacklog(): number {
    return this.updates.length + this.webhookInFlight;
  }

  /**
   * Like Telegram: up to max_connections updates on the wire at once; one not answered with 200 (an error,
   * a dropped connection, a timeout) goes back in the queue and is delivered again shortly.
   */
  private pumpWebhook(): void {
    const hook = this.webhook;
    if (!hook) return;
    while (this.webhookInFlight < hook.maxConnections && this.updates.length > 0) {
      const update = this.updates.shift();
      this.webhookInFlight += 1;
      if (!this.handedOutAt.has(update.update_id)) this.handedOutAt.set(update.update_id, Date.now());
      void this.postUpdate(hook, update).then((accepted) => {
        this.webhookInFlight -= 1;
        if (accepted) this.webhookStats.delivered += 1;
        else {
          this.webhookStats.failed += 1;
          setTimeout(() => {
            const at = this.updates.findIndex((u) => u.update_id > update.update_id);
            this.updates.splice(at === -1 ? this.updates.length : at, 0, update);
            this.pumpWebhook();
          }, 100);
        }
        this.pumpWebhook();
      });
    }
  }

  private async postUpdate(hook: { url: string; secret: string | undefined }, update: unknown): Promise<boolean> {
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(hook.secret ? { 'x-telegram-bot-api-secret-token': hook.secret } : {}),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  private flushWaiter(): void {
    const w = this.waiter;
    if (!w) return;
    const ready = this.updates.filter((u) => u.update_id >= w.offset).slice(0, w.limit);
    if (ready.length === 0) return;
    clearTimeout(w.timer);
    this.waiter = undefined;
    this.handOut(w.res, ready);
  }

  private handOut(res: http.ServerResponse, updates: any[]): void {
    const at = Date.now();
    for (const u of updates) if (!this.handedOutAt.has(u.update_id)) this.handedOutAt.set(u.update_id, at);
    this.reply(res, 200, { ok: true, result: updates });
  }

  private dispatch(
    method: string,
    p: Record<string, any>,
    at: number,
  ):
    | { ok: true; result: unknown }
    | { ok: false; error_code: number; description: string; parameters?: Record<string, unknown> } {
    const ok = (result: unknown) => ({ ok: true as const, result });
    const err = (error_code: number, description: string, parameters?: Record<string, unknown>) => ({
      ok: false as const,
      error_code,
      description,
      ...(parameters ? { parameters } : {}),
    });
    switch (method) {
      case 'getMe':
        return ok({
          ...this.bot,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case 'setWebhook':
        this.webhook = p.url
          ? { url: String(p.url), secret: p.secret_token, maxConnections: Number(p.max_connections ?? 40) }
          : undefined;
        setImmediate(() => this.pumpWebhook());
        return ok(true);
      case 'deleteWebhook':
        this.webhook = undefined;
        return ok(true);
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'setChatMenuButton':
        return ok(true);
      case 'getChatAdministrators': {
        const state = this.chats.get(Number(p.chat_id));
        if (!state || state.chat.type === 'private') return err(400, 'Bad Request: chat not found');
        if (!state.botMember) return err(403, 'Forbidden: bot was kicked from the supergroup chat');
        return ok(
          [...state.admins].map((id, i) => ({
            status: i === 0 ? 'creator' : 'administrator',
            user: { id, is_bot: false, first_name: `Admin${id}` },
          })),
        );
      }
      case 'getChatMember': {
        const state = this.chats.get(Number(p.chat_id));
        if (!state || state.chat.type === 'private') return err(400, 'Bad Request: chat not found');
        if (!state.botMember) return err(403, 'Forbidden: bot was kicked from the supergroup chat');
        const userId = Number(p.user_id);
        const admins = [...state.admins];
        const status = state.admins.has(userId)
          ? admins[0] === userId
            ? 'creator'
            : 'administrator'
          : (state.members.get(userId) ?? 'member');
        return ok({ status, user: { id: userId, is_bot: false, first_name: `User${userId}` } });
      }
      case 'leaveChat': {
        const state = this.chats.get(Number(p.chat_id));
        if (!state) return err(400, 'Bad Request: chat not found');
        if (!state.botMember) return err(403, 'Forbidden: bot is not a member of the supergroup chat');
        state.botMember = false;
        this.enqueue({
          my_chat_member: {
            chat: state.chat,
            from: this.bot,
            date: now(),
            old_chat_member: { user: this.bot, status: 'member' },
            new_chat_member: { user: this.bot, status: 'left' },
          },
        });
        return ok(true);
      }
      case 'answerCallbackQuery': {
        const opened = this.openCallbacks.get(String(p.callback_query_id));
        if (opened === undefined)
          return err(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        this.openCallbacks.delete(String(p.callback_query_id));
        if (p.text !== undefined && String(p.text).length > 200) return err(400, 'Bad Request: MESSAGE_TOO_LONG');
        this.callbackAnswers.push({
          id: String(p.callback_query_id),
          text: p.text,
          show_alert: p.show_alert,
          at: Date.now(),
        });
        return ok(true);
      }
      case 'setMessageReaction': {
        const state = this.chats.get(Number(p.chat_id));
        if (!state) return err(400, 'Bad Request: chat not found');
        if (!state.reactionsAllowed) return err(400, 'Bad Request: REACTION_INVALID');
        const emoji = p.reaction?.[0]?.emoji;
        this.reactions.push({ chat_id: Number(p.chat_id), message_id: Number(p.message_id), emoji, at: Date.now() });
        return ok(true);
      }
      case 'editMessageReplyMarkup':
      case 'editMessageText': {
        const msg = this.messages.find((m) => m.chat.id === Number(p.chat_id) && m.message_id === Number(p.message_id));
        if (!msg) return err(400, 'Bad Request: message to edit not found');
        if (method === 'editMessageText') {
          const checked = checkHtml(String(p.text ?? ''));
          if (!checked.ok) {
            this.parseErrors += 1;
            return err(400, `Bad Request: can't parse entities: ${checked.error}`);
          }
          msg.text = checked.text;
          msg.html = String(p.text);
        }
        msg.reply_markup = p.reply_markup;
        return ok({ ...msg });
      }
      default:
        break;
    }
    if (!SENDING.has(method)) return err(404, 'Not Found: method not found');
    const chatId = Number(p.chat_id);
    const state = this.chats.get(chatId);
    if (chatId > 0) {
      if (!this.started.has(chatId)) return err(403, "Forbidden: bot can't initiate conversation with a user");
    } else {
      if (!state) return err(400, 'Bad Request: chat not found');
      if (state.migratedTo !== undefined)
        return err(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
          migrate_to_chat_id: state.migratedTo,
        });
      if (!state.botMember)
        return err(
          403,
          `Forbidden: bot was kicked from the ${state.chat.type === 'group' ? 'group' : 'supergroup'} chat`,
        );
    }
    const limited = this.checkLimits(chatId, at);
    if (limited !== undefined) {
      this.rateLimited += 1;
      return err(429, `Too Many Requests: retry after ${limited}`, { retry_after: limited });
    }
    let text: string | undefined;
    let caption: string | undefined;
    if (method === 'sendMessage') {
      if (p.parse_mode === 'HTML') {
        const checked = checkHtml(String(p.text ?? ''));
        if (!checked.ok) {
          this.parseErrors += 1;
          return err(400, `Bad Request: can't parse entities: ${checked.error}`);
        }
        text = checked.text;
      } else text = String(p.text ?? '');
      if (text.trim().length === 0) return err(400, 'Bad Request: message text is empty');
      if (text.length > 4096) return err(400, 'Bad Request: message is too long');
    } else if (p.caption !== undefined) {
      const checked =
        p.parse_mode === 'HTML' ? checkHtml(String(p.caption)) : { ok: true as const, text: String(p.caption) };
      if (!checked.ok) {
        this.parseErrors += 1;
        return err(400, `Bad Request: can't parse entities: ${checked.error}`);
      }
      caption = checked.text;
      if (caption.length > 1024) return err(400, 'Bad Request: message caption is too long');
    }
    for (const row of p.reply_markup?.inline_keyboard ?? []) {
      for (const b of row)
        if (b.callback_data !== undefined && Buffer.byteLength(String(b.callback_data)) > 64)
          return err(400, 'Bad Request: BUTTON_DATA_INVALID');
    }
    const replyTo = p.reply_parameters?.message_id ?? p.reply_to_message_id;
    const message: SentMessage = {
      message_id: this.nextId(chatId),
      chat: state?.chat ?? { id: chatId, type: 'private' },
      from: this.bot,
      date: now(),
      method,
      at,
      ...(text !== undefined ? { text, html: String(p.text) } : {}),
      ...(caption !== undefined ? { caption } : {}),
      ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}),
      ...(replyTo !== undefined ? { reply_to_message_id: Number(replyTo) } : {}),
      ...(p.document?.bytes ? { document: p.document } : {}),
      ...(p.photo?.bytes ? { photo: p.photo } : {}),
    };
    this.messages.push(message);
    const { method: _m, at: _a, html: _h, document: _d, photo: _p, ...wire } = message;
    return ok(wire);
  }

  /** Telegram's flood limits, when enabled: returns retry_after seconds, or undefined when the send may pass. */
  private checkLimits(chatId: number, at: number): number | undefined {
    const l = this.limits;
    if (!l) return undefined;
    while (this.sendTimes.length > 0 && this.sendTimes[0]! <= at - 1000) this.sendTimes.shift();
    if (this.sendTimes.length >= l.globalPerSecond) return 1;
    if (chatId < 0) {
      const times = (this.groupSends.get(chatId) ?? []).filter((t) => t > at - 60_000);
      if (times.length >= l.groupPerMinute) return Math.max(1, Math.ceil((times[0]! + 60_000 - at) / 1000));
      times.push(at);
      this.groupSends.set(chatId, times);
    } else {
      const last = this.privateLast.get(chatId);
      if (last !== undefined && at - last < l.privateGapMs) return 1;
      this.privateLast.set(chatId, at);
    }
    this.sendTimes.push(at);
    return undefined;
  }
}

const now = () => Math.floor(Date.now() / 1000);

/** Telegram's HTML subset: known tags, balanced, <a> with href, and only the four named entities. */
export function checkHtml(html: string): { ok: true; text: string } | { ok: false; error: string } {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  const byteOffset = (idx: number) => Buffer.byteLength(html.slice(0, idx));
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end === -1) return { ok: false, error: `Unclosed start tag at byte offset ${byteOffset(i)}` };
      const raw = html.slice(i + 1, end);
      const closing = raw.startsWith('/');
      const name = (closing ? raw.slice(1) : raw).trim().split(/\s/)[0]!.toLowerCase();
      if (!ALLOWED_TAGS.has(name))
        return { ok: false, error: `Unsupported start tag "${name}" at byte offset ${byteOffset(i)}` };
      if (closing) {
        if (stack.pop() !== name)
          return {
            ok: false,
            error: `Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${stack.at(-1) ?? ''}>", found "</${name}>"`,
          };
      } else {
        if (name === 'a' && !/\shref="[^"]*"/.test(raw))
          return { ok: false, error: `Can't find href in a tag at byte offset ${byteOffset(i)}` };
        if (/"/.test(raw) && raw.match(/"/g)!.length % 2 !== 0)
          return { ok: false, error: `Unclosed attribute value at byte offset ${byteOffset(i)}` };
        stack.push(name);
      }
      i = end + 1;
      continue;
    }
    if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/.exec(html.slice(i, i + 12));
      if (!m)
        return { ok: false, error: `Character '&' is reserved and must be escaped at byte offset ${byteOffset(i)}` };
      const e = m[1]!;
      text +=
        e === 'lt'
          ? '<'
          : e === 'gt'
            ? '>'
            : e === 'amp'
              ? '&'
              : e === 'quot'
                ? '"'
                : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      i += m[0].length;
      continue;
    }
    if (ch === '>') return { ok: false, error: `Character '>' is reserved at byte offset ${byteOffset(i)}` };
    text += ch;
    i += 1;
  }
  if (stack.length > 0) return { ok: false, error: `Can't find end tag corresponding to start tag "${stack.at(-1)}"` };
  return { ok: true, text };
}

/** JSON, urlencoded, or multipart (telegraf sends files as multipart/form-data). */
function parseBody(contentType: string, body: Buffer): Record<string, any> {
  if (body.length === 0) return {};
  if (contentType.includes('application/json')) return JSON.parse(body.toString('utf8'));
  if (contentType.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return JSON.parse(body.toString('utf8'));
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const out: Record<string, any> = {};
  let pos = body.indexOf(sep);
  while (pos !== -1) {
    const next = body.indexOf(sep, pos + sep.length);
    if (next === -1) break;
    const part = body.subarray(pos + sep.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (name) {
      const value = content.toString('utf8');
      if (filename !== undefined) out[name] = { file_name: filename, bytes: Buffer.from(content) };
      else {
        try {
          out[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
        } catch {
          out[name] = value;
        }
      }
    }
    pos = next;
  }
  // telegraf names the file part by an attachment id and puts "attach://id" in the field.
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'string' && v.startsWith('attach://')) out[k] = out[v.slice('attach://'.length)];
  }
  return out;
}
