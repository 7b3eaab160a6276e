import { z } from 'zod';
import cron from 'node-cron';

// The environment, parsed once at start into one frozen, typed object.
// Everything else in Loa takes a Config; nothing else reads process.env.

export type Locale = 'vi' | 'en';

/** How the Vietnamese addresses people: "bạn" (default) or "đồng chí", for units that use it. English ignores it. */
export type AddressForm = 'ban' | 'dong_chi';

/** Which groups Loa serves: those an owner added or allowed (default), or every group it is added to. */
export type GroupAdmission = 'owner' | 'open';

export interface Config {
  readonly botToken: string;
  readonly apiRoot: string;
  readonly databaseUrl: string;
  /** SQLite's synchronous setting: NORMAL (default) or FULL (durable against power loss at every commit). */
  readonly sqliteSynchronous: 'NORMAL' | 'FULL';
  readonly adminIds: ReadonlySet<number>;
  /** owner: a group is served once an owner added or allowed it; open: every group is served. */
  readonly groupAdmission: GroupAdmission;
  /** Groups served whatever GROUP_ADMISSION says. */
  readonly allowedGroupIds: ReadonlySet<number>;
  /** Rebuttals without an article that earn points, per member and local day; more are kept, unscored. */
  readonly rebuttalsPerDay: number;
  /** Proposals (/submit) per member and local day; owners are not limited. */
  readonly submissionsPerDay: number;
  /** Days an article still counts after its publish day; after that its buttons and commands record nothing. */
  readonly articleOpenDays: number;
  readonly timezone: string;
  readonly defaultLocale: Locale;
  readonly addressForm: AddressForm;
  readonly dailyPushCron: string;
  readonly leaderboardCron: string;
  readonly weeklySummaryCron: string;
  /** The members' evening reminder (NUDGE_CRON); undefined when set to off. */
  readonly nudgeCron: string | undefined;
  /** The leaders' and owners' eve check for tomorrow's articles (EVE_CRON); undefined when set to off. */
  readonly eveCron: string | undefined;
  readonly webhook: { readonly url: string; readonly secret: string } | undefined;
  /**
   * Loa's HTTP server (the webhook, /healthz, /metrics): on PORT with a webhook, on HTTP_PORT when polling, none
   * when polling without HTTP_PORT.
   */
  readonly http: { readonly port: number; readonly host: string } | undefined;
  /**
   * The leaders' dashboard (a Telegram Mini App served at /dashboard/ by the HTTP server): its public HTTPS
   * address, and how old a Mini App's signed initData may be before the page must be opened again. Off when unset.
   */
  readonly webApp: { readonly url: string; readonly authMaxAgeSeconds: number } | undefined;
  readonly logLevel: string;
  readonly scoreShared: number;
  readonly scoreRebutted: number;
  /** How long a group's admin list is trusted before asking Telegram again. */
  readonly adminCacheSeconds: number;
  /** Timeout of one Bot API call (long polling adds its own poll time on top). */
  readonly apiTimeoutMs: number;
  /** Long-polling wait, in seconds, passed to getUpdates. */
  readonly pollTimeoutSeconds: number;
  /** PostgreSQL connections per process (updates in flight hold one each; two stay free for jobs). */
  readonly pgPoolSize: number;
  /** How long a scheduled job's lease lasts unless renewed: how soon another replica takes over a dead one's job. */
  readonly jobLeaseSeconds: number;
  /** How often each process checks for a job that fell due and did not run (slept, crashed, died mid-way). */
  readonly catchUpSeconds: number;
  /** Outgoing limits (Telegram's published limits by default). */
  readonly limits: {
    readonly globalPerSecond: number;
    readonly groupPerMinute: number;
    readonly privatePerSecond: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const cronExpression = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => cron.validate(v), { message: 'is not a valid cron expression (5 fields, or 6 with seconds)' });

/** A cron expression, or "off" for a job a unit may do without (the reminders): undefined then. */
const optionalCron = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => v.toLowerCase() === 'off' || cron.validate(v), {
      message: 'is not a valid cron expression (5 fields, or 6 with seconds), nor off',
    })
    .transform((v) => (v.toLowerCase() === 'off' ? undefined : v));

const isIanaZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A comma-separated list of Telegram ids (users are positive, groups negative). */
const idList = (what: string) =>
  z
    .string()
    .default('')
    .transform((v, ctx) => {
      const ids = new Set<number>();
      for (const part of v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        if (!/^-?\d{1,16}$/.test(part)) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not ${what} (a whole number)` });
          return z.NEVER;
        }
        ids.add(Number(part));
      }
      return ids;
    });

const schema = z
  .object({
    BOT_TOKEN: z
      .string({ message: 'is required (the token BotFather gave you)' })
      .trim()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, {
        message: 'does not look like a bot token (digits, a colon, then at least 20 letters, digits, _ or -)',
      }),
    TELEGRAM_API_ROOT: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .default('https://api.telegram.org'),
    DATABASE_URL: z.string().trim().min(1).default('./data/loa.sqlite'),
    SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL'], { message: 'must be NORMAL or FULL' }).default('NORMAL'),
    ADMIN_IDS: idList('a Telegram user id'),
    GROUP_ADMISSION: z.enum(['owner', 'open'], { message: 'must be owner or open' }).default('owner'),
    ALLOWED_GROUP_IDS: idList('a Telegram group id').refine((ids) => [...ids].every((id) => id < 0), {
      message: 'must list group ids, which are negative (e.g. -1001234567890)',
    }),
    REBUTTALS_PER_DAY: z.coerce.number().int().min(0).max(10_000).default(10),
    SUBMISSIONS_PER_DAY: z.coerce.number().int().min(0).max(10_000).default(5),
    ARTICLE_OPEN_DAYS: z.coerce.number().int().min(0).max(366).default(7),
    BOT_TIMEZONE: z
      .string()
      .trim()
      .default('Asia/Ho_Chi_Minh')
      .refine(isIanaZone, { message: 'is not an IANA time zone such as Asia/Ho_Chi_Minh' }),
    DEFAULT_LOCALE: z.enum(['vi', 'en'], { message: 'must be vi or en' }).default('vi'),
    ADDRESS_FORM: z.enum(['ban', 'dong_chi'], { message: 'must be ban or dong_chi' }).default('ban'),
    DAILY_PUSH_CRON: cronExpression('0 7 * * *'),
    LEADERBOARD_CRON: cronExpression('0 21 * * *'),
    WEEKLY_SUMMARY_CRON: cronExpression('0 8 * * 1'),
    NUDGE_CRON: optionalCron('0 19 * * *'),
    EVE_CRON: optionalCron('0 20 * * *'),
    WEBHOOK_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    WEBHOOK_SECRET: z
      .string()
      // Telegram allows 1-256 characters; fewer than 32 can be guessed by anyone who finds the URL.
      .regex(/^[A-Za-z0-9_-]{32,256}$/, {
        message: 'must be 32-256 characters of A-Z, a-z, 0-9, _ or - (e.g. from: openssl rand -hex 32)',
      })
      .optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    LISTEN_HOST: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.:-]+$/, { message: 'must be an address to listen on, such as 0.0.0.0 or 127.0.0.1' })
      .default('0.0.0.0'),
    // Telegram opens Mini Apps over HTTPS only (a reverse proxy terminates TLS in front of Loa's HTTP server).
    WEB_APP_URL: z
      .url({ protocol: /^https$/, message: 'must be an https URL (Telegram opens Mini Apps over HTTPS only)' })
      .optional(),
    WEB_APP_AUTH_MAX_AGE_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .default(3600),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    SCORE_SHARED: z.coerce.number().int().min(0).max(1000).default(1),
    SCORE_REBUTTED: z.coerce.number().int().min(0).max(1000).default(2),
    ADMIN_CACHE_SECONDS: positiveInt(60),
    API_TIMEOUT_MS: positiveInt(15_000),
    POLL_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(50).default(30),
    PG_POOL_SIZE: z.coerce.number().int().min(3).max(200).default(10),
    JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
    CATCH_UP_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    SEND_GLOBAL_PER_SECOND: positiveInt(30),
    SEND_GROUP_PER_MINUTE: positiveInt(20),
    SEND_PRIVATE_PER_SECOND: positiveInt(1),
  })
  .superRefine((env, ctx) => {
    if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required when WEBHOOK_URL is set' });
    }
    if (env.WEB_APP_URL && !env.WEBHOOK_URL && !env.HTTP_PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_APP_URL'],
        message: 'needs Loa’s HTTP server: set HTTP_PORT (when polling) or WEBHOOK_URL',
      });
    }
  });

/** Parses the environment. Throws ConfigError naming the first bad variable; never echoes the token. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "not set", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const message = issue.code === 'invalid_type' && cleaned[variable] === undefined ? 'is required' : issue.message;
    throw new ConfigError(variable, message);
  }
  const e = result.data;
  return Object.freeze({
    botToken: e.BOT_TOKEN,
    apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    adminIds: e.ADMIN_IDS,
    groupAdmission: e.GROUP_ADMISSION,
    allowedGroupIds: e.ALLOWED_GROUP_IDS,
    rebuttalsPerDay: e.REBUTTALS_PER_DAY,
    submissionsPerDay: e.SUBMISSIONS_PER_DAY,
    articleOpenDays: e.ARTICLE_OPEN_DAYS,
    timezone: e.BOT_TIMEZONE,
    defaultLocale: e.DEFAULT_LOCALE,
    addressForm: e.ADDRESS_FORM,
    dailyPushCron: e.DAILY_PUSH_CRON,
    leaderboardCron: e.LEADERBOARD_CRON,
    weeklySummaryCron: e.WEEKLY_SUMMARY_CRON,
    nudgeCron: e.NUDGE_CRON,
    eveCron: e.EVE_CRON,
    webhook: e.WEBHOOK_URL ? Object.freeze({ url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET! }) : undefined,
    http: e.WEBHOOK_URL
      ? Object.freeze({ port: e.PORT, host: e.LISTEN_HOST })
      : e.HTTP_PORT
        ? Object.freeze({ port: e.HTTP_PORT, host: e.LISTEN_HOST })
        : undefined,
    webApp: e.WEB_APP_URL
      ? Object.freeze({ url: e.WEB_APP_URL, authMaxAgeSeconds: e.WEB_APP_AUTH_MAX_AGE_SECONDS })
      : undefined,
    logLevel: e.LOG_LEVEL,
    scoreShared: e.SCORE_SHARED,
    scoreRebutted: e.SCORE_REBUTTED,
    adminCacheSeconds: e.ADMIN_CACHE_SECONDS,
    apiTimeoutMs: e.API_TIMEOUT_MS,
    pollTimeoutSeconds: e.POLL_TIMEOUT_SECONDS,
    pgPoolSize: e.PG_POOL_SIZE,
    jobLeaseSeconds: e.JOB_LEASE_SECONDS,
    catchUpSeconds: e.CATCH_UP_SECONDS,
    limits: Object.freeze({
      globalPerSecond: e.SEND_GLOBAL_PER_SECOND,
      groupPerMinute: e.SEND_GROUP_PER_MINUTE,
      privatePerSecond: e.SEND_PRIVATE_PER_SECOND,
    }),
  });
}
