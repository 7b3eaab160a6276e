import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * A JSON logger that can never print the bot token: every line is scrubbed as a string just before
 * it is written, so a token inside an error message or a URL (node-fetch puts the request URL,
 * which contains the token, into its errors) is replaced too.
 */
export function createLogger(level: string, secrets: readonly string[], destination?: NodeJS.WritableStream): Logger {
  const scrub = secrets.filter((s) => s.length >= 8);
  return pino(
    {
      level,
      base: { app: 'loa' },
      hooks: {
        streamWrite: (line) => scrub.reduce((out, secret) => out.split(secret).join('[redacted]'), line),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
