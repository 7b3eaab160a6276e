// Command arguments as members type them: "/cmd@Bot 12 https://… some words".

/** The words after the command; Telegram has already cut the "/cmd@bot" part into ctx.payload. */
export function words(payload: string | undefined): string[] {
  return (payload ?? '').trim().split(/\s+/).filter(Boolean);
}

/** An article number as typed: "12" or "#12". */
export function parseArticleId(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^#?(\d{1,12})$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export const looksLikeId = (text: string | undefined): boolean => text !== undefined && /^#?-?\d+$/.test(text);

/** Pulls "--date YYYY-MM-DD" (or "--date=YYYY-MM-DD") out of a word list. */
export function takeOption(
  list: string[],
  name: string,
): { rest: string[]; value: string | undefined; missing: boolean } {
  const rest: string[] = [];
  let value: string | undefined;
  let missing = false;
  for (let i = 0; i < list.length; i++) {
    const w = list[i]!;
    if (w === `--${name}`) {
      value = list[i + 1];
      if (value === undefined) missing = true;
      i += 1;
    } else if (w.startsWith(`--${name}=`)) {
      value = w.slice(name.length + 3);
    } else {
      rest.push(w);
    }
  }
  return { rest, value, missing };
}

/** A word meant as a link rather than an article number ("https://…", "javascript:…", "x.com/…"). */
export const looksLikeLink = (text: string | undefined): boolean =>
  text !== undefined && (/^[a-z][a-z0-9+.-]*:/i.test(text) || /[./]/.test(text.replace(/^#?-?\d+$/, '')));
