// Telegram errors classified by their code and parameters. One exception, said where it is matched: a 400 "chat
// not found" carries nothing else that tells it from other bad requests.
// telegraf throws TelegramError { code, response: { error_code, description, parameters } } for Bot API
// answers, node-fetch a FetchError for network failures, and an AbortError when a call times out.

export type Failure =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'migrated'; newChatId: number }
  | { kind: 'chat_gone' } // 403: the bot was kicked from the group, or the user blocked it
  | { kind: 'chat_not_found' } // 400 chat not found: never seen or deleted
  | { kind: 'transient' } // 5xx, network failure, timeout: worth retrying
  | { kind: 'conflict' } // 409: another instance is polling with this token
  | { kind: 'unauthorized' } // 401: the token is wrong or revoked
  | { kind: 'bad_request'; description: string };

interface TelegramLike {
  code?: unknown;
  name?: unknown;
  description?: unknown;
  response?: {
    error_code?: unknown;
    description?: unknown;
    parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown };
  };
}

export function classify(error: unknown): Failure {
  const e = (error ?? {}) as TelegramLike;
  const code =
    typeof e.response?.error_code === 'number'
      ? e.response.error_code
      : typeof e.code === 'number'
        ? e.code
        : undefined;
  const params = e.response?.parameters;
  if (code === undefined) return { kind: 'transient' };
  if (code === 429)
    return {
      kind: 'rate_limited',
      retryAfterSeconds: typeof params?.retry_after === 'number' ? params.retry_after : 5,
    };
  if (code === 400 && typeof params?.migrate_to_chat_id === 'number')
    return { kind: 'migrated', newChatId: params.migrate_to_chat_id };
  if (code === 403) return { kind: 'chat_gone' };
  if (code === 409) return { kind: 'conflict' };
  if (code === 401 || code === 404) return { kind: 'unauthorized' };
  if (code >= 500) return { kind: 'transient' };
  const description = String(e.response?.description ?? e.description ?? '');
  // Telegram has no distinct code for "chat not found"; it is a 400 whose meaning matters for routing.
  // Telegram leaves only the text here: no error parameter says "chat not found".
  if (code === 400 && /chat not found/i.test(description)) return { kind: 'chat_not_found' };
  return { kind: 'bad_request', description };
}

/** What the sender throws when it gives up: the classification, and the method that failed. */
export class SendError extends Error {
  override name = 'SendError';
  constructor(
    readonly method: string,
    readonly failure: Failure,
    readonly chatId: number | string | undefined,
    cause: unknown,
  ) {
    super(
      `${method} to ${chatId ?? '-'} failed: ${failure.kind}${failure.kind === 'bad_request' ? ` (${failure.description})` : ''}`,
      { cause },
    );
  }
}
