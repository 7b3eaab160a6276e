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

function scoreLine(t: Messages, r: ScoreRow): string {
  const who = mention({
    id: r.userId,
    first_name: truncate(r.firstName, 40),
    last_name: r.lastName ? truncate(r.lastName, 40) : null,
  });
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
