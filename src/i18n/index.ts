import type { AddressForm, Locale } from '../config.ts';
import { en, type Messages } from './en.ts';
import { vi } from './vi.ts';

export type { Messages };

const vietnamese: Record<AddressForm, Messages> = { ban: vi('ban'), dong_chi: vi('dong_chi') };

/**
 * The catalogue for a language. Vietnamese addresses people in the configured form (config.addressForm:
 * "bạn" or "đồng chí"); English has one form. Built once per form, so this is a lookup.
 */
export function messages(locale: Locale, form: AddressForm = 'ban'): Messages {
  return locale === 'vi' ? vietnamese[form] : en;
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

/** What picks a catalogue besides the chat: the default language and the form of address (config). */
export type CatalogueSettings = { defaultLocale: Locale; addressForm: AddressForm };

/** The catalogue a group speaks: its leaders' setting, else the default. */
export function groupMessages(chat: { locale: string | null } | undefined, settings: CatalogueSettings): Messages {
  return messages(
    chooseLocale({ isPrivate: false, chatLocale: chat?.locale, fallback: settings.defaultLocale }),
    settings.addressForm,
  );
}

/** The catalogue to write to a person in private: their choice, else their Telegram language, else the default. */
export function privateMessages(
  user: { locale: string | null; language_code: string | null } | undefined,
  settings: CatalogueSettings,
): Messages {
  return messages(userLocale(user, settings.defaultLocale), settings.addressForm);
}
