import type { Locale } from '../config.ts';
import { en, type Messages } from './en.ts';
import { vi } from './vi.ts';

export type { Messages };

const catalogues: Record<Locale, Messages> = { vi, en };

export function messages(locale: Locale): Messages {
  return catalogues[locale];
}

export const isLocale = (v: unknown): v is Locale => v === 'vi' || v === 'en';

/**
 * A group speaks its own setting or the default; a private chat speaks the user's choice, else their
 * Telegram language when Loa has it, else the default.
 */
export function chooseLocale(opts: {
  isPrivate: boolean;
  chatLocale?: string | null | undefined;
  userLocale?: string | null | undefined;
  telegramLanguage?: string | undefined;
  fallback: Locale;
}): Locale {
  if (!opts.isPrivate) return isLocale(opts.chatLocale) ? opts.chatLocale : opts.fallback;
  if (isLocale(opts.userLocale)) return opts.userLocale;
  const tg = opts.telegramLanguage?.slice(0, 2).toLowerCase();
  if (isLocale(tg)) return tg;
  return opts.fallback;
}

/** The language to write to a user in private: their choice, else their Telegram language, else the default. */
export function userLocale(
  user: { locale: string | null; language_code: string | null } | undefined,
  fallback: Locale,
): Locale {
  return chooseLocale({
    isPrivate: true,
    userLocale: user?.locale,
    telegramLanguage: user?.language_code ?? undefined,
    fallback,
  });
}

/** The catalogue a group speaks: its leaders' setting, else the default. */
export function groupMessages(chat: { locale: string | null } | undefined, fallback: Locale): Messages {
  return messages(chooseLocale({ isPrivate: false, chatLocale: chat?.locale, fallback }));
}

/** The catalogue to write to a person in private: their choice, else their Telegram language, else the default. */
export function privateMessages(
  user: { locale: string | null; language_code: string | null } | undefined,
  fallback: Locale,
): Messages {
  return messages(userLocale(user, fallback));
}
