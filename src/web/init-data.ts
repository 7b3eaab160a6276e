import { isSignatureInvalidError, isSignatureMissingError, validate } from '@telegram-apps/init-data-node';

// Who opened the dashboard: the Mini App's initData, signed by Telegram with a key derived from the bot token
// (HMAC-SHA256 of the token with the key "WebAppData"; see Telegram's "Validating data received via the Mini App").
// The signature is checked by @telegram-apps/init-data-node; its age against the app's clock here, so a test
// can stand at any moment (the library would read the real time).

export interface WebAppUser {
  id: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
  languageCode: string | null;
}

export type InitDataCheck =
  { ok: true; user: WebAppUser; authDate: Date } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

/** Telegram's clock and ours may differ a little: an auth_date up to this far ahead is still accepted. */
const CLOCK_SKEW_SECONDS = 300;

/** Checks initData (the query string Telegram hands the Mini App) for the bot `token`, at `now`. */
export function checkInitData(initData: string, token: string, now: Date, maxAgeSeconds: number): InitDataCheck {
  if (initData.trim() === '') return { ok: false, reason: 'missing' };
  try {
    // expiresIn 0: the library checks the signature only; the age is checked below against `now`.
    validate(initData, token, { expiresIn: 0 });
  } catch (err) {
    if (isSignatureMissingError(err)) return { ok: false, reason: 'missing' };
    if (isSignatureInvalidError(err)) return { ok: false, reason: 'invalid' };
    return { ok: false, reason: 'invalid' };
  }
  const params = new URLSearchParams(initData);
  const authSeconds = Number(params.get('auth_date'));
  if (!Number.isInteger(authSeconds) || authSeconds <= 0) return { ok: false, reason: 'invalid' };
  const ageSeconds = now.getTime() / 1000 - authSeconds;
  if (ageSeconds > maxAgeSeconds || ageSeconds < -CLOCK_SKEW_SECONDS) return { ok: false, reason: 'expired' };
  const user = parseUser(params.get('user'));
  if (!user) return { ok: false, reason: 'invalid' };
  return { ok: true, user, authDate: new Date(authSeconds * 1000) };
}

function parseUser(json: string | null): WebAppUser | undefined {
  if (!json) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const u = raw as Record<string, unknown>;
  if (typeof u.id !== 'number' || !Number.isSafeInteger(u.id) || u.id <= 0) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    id: u.id,
    firstName: text(u.first_name) ?? '',
    lastName: text(u.last_name),
    username: text(u.username),
    languageCode: text(u.language_code),
  };
}
