import type { Coverage } from '../domain/coverage.ts';
import type { Day } from '../domain/periods.ts';
import { shortOfTarget, type GroupRow, type GroupSummary } from '../domain/reports.ts';
import type { ScoreRow } from '../domain/scores.ts';
import type { Messages } from '../i18n/index.ts';
import { escapeHtml, mention, truncate } from './html.ts';

// Reports as Telegram HTML, with numbers, dates and percentages in the reader's language.

const intlLocale = (t: Messages) => (t.locale === 'vi' ? 'vi-VN' : 'en-GB');

export const num = (t: Messages, n: number, digits = 0) =>
  new Intl.NumberFormat(intlLocale(t), { maximumFractionDigits: digits }).format(n);
export const pct = (t: Messages, r: number) =>
  new Intl.NumberFormat(intlLocale(t), { style: 'percent', maximumFractionDigits: 0 }).format(r);

export function range(t: Messages, firstDay: string, lastDay: string): string {
  return firstDay === lastDay ? t.formatDay(firstDay) : `${t.formatDay(firstDay)} – ${t.formatDay(lastDay)}`;
}

const medal = (rank: number) => (rank === 1 ? '🥇' : rank === 2 ? '🥈' : rank === 3 ? '🥉' : `${rank}.`);

/** A member named as a link to their profile, long names cut: reports are read on phones. */
export function memberLink(m: { userId: number; firstName: string; lastName: string | null }): string {
  return mention({
    id: m.userId,
    first_name: truncate(m.firstName, 40),
    last_name: m.lastName ? truncate(m.lastName, 40) : null,
  });
}

/** Telegram shows up to 100 buttons under a message; a roll-up's first 50 groups get one. */
export const MAX_GROUP_BUTTONS = 50;

/** One button a row under a roll-up, each opening a group's own view. */
export function groupButtons(
  groups: { chatId: number; title: string }[],
  data: (chatId: number) => string,
): { text: string; callback_data: string }[][] {
  return groups
    .slice(0, MAX_GROUP_BUTTONS)
    .map((g) => [{ text: truncate(g.title, 40), callback_data: data(g.chatId) }]);
}

function scoreLine(t: Messages, r: ScoreRow): string {
  const who = memberLink(r);
  return `${medal(r.rank)} ${who} — ✅ ${num(t, r.shared)} · 🛡 ${num(t, r.rebutted)} · <b>${t.reports.points(num(t, r.points))}</b>`;
}

/** The top ten, and the caller's own row when they are further down. */
export function leaderboardText(
  t: Messages,
  title: string,
  emptyLine: string,
  rows: ScoreRow[],
  callerId: number | undefined,
): string {
  if (rows.length === 0) return `${title}\n\n${emptyLine}`;
  const lines = [title, '', ...rows.slice(0, 10).map((r) => scoreLine(t, r))];
  const mine = callerId === undefined ? undefined : rows.find((r) => r.userId === callerId);
  if (mine && mine.rank > 10) lines.push('…', `${t.reports.yourRow} ${scoreLine(t, mine)}`);
  return lines.join('\n');
}

export function groupsText(t: Messages, title: string, rows: GroupRow[]): string {
  const lines = [title, '', `<i>${t.reports.groupsHeader}</i>`];
  rows.forEach((g, i) => {
    lines.push(
      `${medal(i + 1)} <b>${escapeHtml(truncate(g.title, 60))}</b> — ${num(t, g.active)}/${num(t, g.known)} (${pct(t, g.participation)}) · ✅ ${num(t, g.shared)} · 🛡 ${num(t, g.rebutted)} · ${t.reports.pointsPerMember(num(t, g.pointsPerMember, 1))}`,
    );
  });
  return lines.join('\n');
}

function participationChange(t: Messages, s: GroupSummary): string {
  if (s.previousParticipation === null) return '';
  const delta = Math.round((s.participation - s.previousParticipation) * 100);
  if (delta === 0) return t.reports.changeNone;
  return t.reports.change(delta > 0 ? '▲' : '▼', num(t, Math.abs(delta)));
}

/** A group's summary; `inactive` (leaders only) lists members with no record. */
export function summaryText(
  t: Messages,
  title: string,
  s: GroupSummary,
  inactive?: { id: number; first_name: string; last_name: string | null }[],
): string {
  const r = t.reports;
  const lines = [
    title,
    '',
    r.articlesPushed(num(t, s.articlesPushed)),
    r.totals(num(t, s.shared), num(t, s.rebutted), num(t, s.points)),
    r.participation(num(t, s.participants), num(t, s.known), pct(t, s.participation), participationChange(t, s)),
  ];
  if (s.target !== undefined && s.target !== null) {
    const short = shortOfTarget(s, s.target);
    lines.push(r.target(pct(t, s.target / 100), short === 0 ? null : num(t, short)));
  }
  if (s.campaigns && s.campaigns.length > 0) {
    lines.push('', `<b>${r.campaignsTitle}</b>`);
    for (const c of s.campaigns.slice(0, 10))
      lines.push(
        r.campaignLine(c.name, num(t, c.articles), num(t, c.participants), num(t, c.known), pct(t, c.participation)),
      );
  }
  if (s.shared + s.rebutted === 0) lines.push('', r.noActivity);
  if (s.top.length > 0) lines.push('', `<b>${r.top}</b>`, ...s.top.map((row) => scoreLine(t, row)));
  if (s.perArticle.length > 0) {
    lines.push('', `<b>${r.perArticle}</b>`);
    const shown = s.perArticle.slice(0, 15);
    for (const a of shown) lines.push(r.articleLine(a.id, truncate(a.title, 80), num(t, a.shared), num(t, a.rebutted)));
    if (s.perArticle.length > shown.length) lines.push(`… (+${num(t, s.perArticle.length - shown.length)})`);
  }
  if (inactive) {
    lines.push('');
    if (inactive.length === 0) lines.push(r.inactiveNone);
    else {
      lines.push(`<b>${r.inactive(num(t, inactive.length))}</b>`);
      const names = inactive.slice(0, 50).map((u) => mention(u));
      lines.push(names.join(', ') + (inactive.length > 50 ? `, … (+${num(t, inactive.length - 50)})` : ''));
    }
  }
  return lines.join('\n');
}

/** A group's coverage of some days' articles, in counts: what the group itself may read. */
export function coverageCounts(t: Messages, c: Coverage, day: Day): string[] {
  const known = c.members.length;
  const lines = [t.coverage.title(c.title, t.formatDay(day)), ''];
  if (c.articles.length === 0) return [...lines, t.coverage.noArticles];
  for (const a of c.articles.slice(0, 15))
    lines.push(
      t.coverage.article(
        a.id,
        truncate(a.title, 60),
        num(t, a.covered),
        num(t, known),
        num(t, a.shared),
        num(t, a.rebutted),
      ),
    );
  lines.push('', t.coverage.acted(num(t, known - c.withNothing), num(t, known)));
  return lines;
}

/** With names: who has nothing yet, and what each of the others recorded. For a leader's eyes only. */
export function coverageWithNames(t: Messages, c: Coverage, day: Day): string {
  const lines = coverageCounts(t, c, day);
  if (c.articles.length === 0) return lines.join('\n');
  const nothing = c.members.filter((m) => m.covered === 0);
  const done = c.members.filter((m) => m.covered > 0);
  lines.push('');
  if (nothing.length === 0) lines.push(t.coverage.nothingNone);
  else {
    lines.push(t.coverage.nothingTitle(num(t, nothing.length)));
    const names = nothing.slice(0, 60).map(memberLink);
    lines.push(names.join(', ') + (nothing.length > 60 ? `, … (+${num(t, nothing.length - 60)})` : ''));
  }
  if (done.length > 0) {
    lines.push('', t.coverage.doneTitle(num(t, done.length)));
    for (const m of done.slice(0, 40)) {
      const marks = Object.entries(m.marks)
        .map(([id, mark]) => `#${id} ${mark === 'shared' ? '✅' : mark === 'rebutted' ? '🛡' : '✅🛡'}`)
        .join(' · ');
      lines.push(`• ${memberLink(m)} — ${marks}`);
    }
    if (done.length > 40) lines.push(`… (+${num(t, done.length - 40)})`);
  }
  return lines.join('\n');
}
