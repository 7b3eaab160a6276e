import { escapeHtml as h } from '../render/html.ts';

// The English catalogue. Every function returns Telegram HTML; arguments that came from users are
// escaped here (h), so a caller can pass raw text. vi.ts must provide the same keys (Messages type).

export const en = {
  locale: 'en' as 'vi' | 'en',
  languageName: 'English',

  // Start and help
  startPrivate: (name: string) =>
    `Hello, ${h(name)}! I am <b>Loa</b>, your unit's loudspeaker.\n\n` +
    `Every morning I post the articles your leaders approved to your group, with two buttons under each: ` +
    `<b>✅ Shared</b> when you have shared it on your own accounts, <b>🛡 Rebutted</b> when you have answered a misleading claim. ` +
    `I keep score, and post the leaderboard every evening.\n\n` +
    `Now that you have started me, I can answer you here in private instead of in the group. Send /help for the commands.`,
  startGroup: `Hello! I am <b>Loa</b>. I will post the day's approved articles here every morning. Send /help to see what I can do.`,
  helpTitle: (role: 'owner' | 'leader' | 'member') =>
    `<b>Loa commands</b> (${role === 'owner' ? 'owner' : role === 'leader' ? 'leader' : 'member'})`,
  helpMember: [
    '/today — today’s articles, with their buttons',
    '/articles [YYYY-MM-DD] — approved articles for a day',
    '/shared &lt;id&gt; [link] — record that you shared article #id',
    '/rebutted [id] &lt;link&gt; [note] — record a rebuttal you posted',
    '/undo — remove your last record (within 24 hours)',
    '/me — your shares, rebuttals, points and streak',
    '/leaderboard [day|week|month|all] — the group’s top ten (also /top)',
    '/submit &lt;url&gt; [title] — propose an article to your leaders',
    '/lang vi|en — the language I use with you (in private)',
    '/help — this list',
  ],
  helpLeader: [
    '/approve &lt;id&gt; [YYYY-MM-DD] — approve a proposal for a day (default today)',
    '/reject &lt;id&gt; [reason] — reject a proposal',
    '/post &lt;url&gt; [title] [--date YYYY-MM-DD] — add an approved article',
    '/queue — proposals waiting for a decision',
    '/archive &lt;id&gt; — withdraw an article',
    '/push — send today’s articles to this group now',
    '/summary [week|lastweek|month|lastmonth|from to] — the group’s summary; in private, your groups',
    '/export [period] — the records as a spreadsheet (CSV), in private',
    '/lang vi|en — the group’s language',
  ],
  helpOwner: ['/push in private — send today’s articles to every group now'],
  helpFooter: (shared: number, rebutted: number) => `Points: a share counts ${shared}, a rebuttal ${rebutted}.`,
  commandDescriptions: {
    today: 'Today’s articles',
    articles: 'Approved articles for a day',
    shared: 'Record a share',
    rebutted: 'Record a rebuttal with its link',
    undo: 'Remove your last record',
    me: 'Your figures and streak',
    submit: 'Propose an article',
    help: 'What I can do',
    approve: 'Approve a proposal',
    reject: 'Reject a proposal',
    post: 'Add an approved article',
    queue: 'Proposals waiting',
    archive: 'Withdraw an article',
    push: 'Push today’s articles now',
    leaderboard: 'Top ten of the group',
    summary: 'Summary for leaders',
    export: 'Records as CSV',
    lang: 'Language',
  },

  // Who may do what
  leadersOnly: 'Only this group’s leaders (its Telegram admins) can do that.',
  ownersOnly: 'Only the bot’s owners can do that.',
  groupOnly: 'Send this in your group.',
  noUserToCredit:
    'I can’t tell who sent this (a channel or an anonymous admin), so there is nobody to credit. Send it from your own account.',
  tooFast: 'You are sending commands too quickly. I will ignore you for a minute.',
  somethingWentWrong: 'Something went wrong on my side; nothing was changed. Please try again in a moment.',
  cannotCheckAdmins: 'I couldn’t check this group’s admins with Telegram just now. Please try again in a moment.',

  // Usage (one line each)
  usage: {
    submit: 'Usage: /submit &lt;url&gt; [title]',
    approve: 'Usage: /approve &lt;id&gt; [YYYY-MM-DD]',
    reject: 'Usage: /reject &lt;id&gt; [reason]',
    post: 'Usage: /post &lt;url&gt; [title] [--date YYYY-MM-DD]',
    archive: 'Usage: /archive &lt;id&gt;',
    articles: 'Usage: /articles [YYYY-MM-DD]',
    shared: 'Usage: /shared &lt;id&gt; [link] — or send /shared as a reply to my article message',
    rebutted: 'Usage: /rebutted [id] &lt;link&gt; [note]',
  },

  // Input problems
  badUrl: (problem: 'not_http' | 'too_long' | 'malformed'): string =>
    problem === 'not_http'
      ? 'Only http:// and https:// links are accepted.'
      : problem === 'too_long'
        ? 'That link is too long (at most 2,048 characters).'
        : 'That is not a valid link. Send a full address starting with https://',
  badId: (text: string) => `“${h(text)}” is not an article number. Article numbers look like 12 or #12.`,
  badDate: (text: string) => `“${h(text)}” is not a date. Use YYYY-MM-DD, e.g. 2026-12-01.`,
  pastDate: 'That day is already over; choose today or a later day.',
  titleTooLong: 'The title is too long (at most 300 characters).',
  noteTooLong: 'The note is too long (at most 500 characters).',

  // Articles
  unknownArticle: (id: number) => `There is no article #${id}.`,
  archivedArticle: (id: number) => `Article #${id} has been withdrawn.`,
  unapprovedArticle: (id: number) => `Article #${id} has not been approved.`,
  alreadyRejected: (id: number) => `Article #${id} was already rejected.`,
  duplicateArticle: (id: number, day: string) => `That link is already approved for ${day} as #${id}.`,
  notYourArticle: (id: number) =>
    `Article #${id} belongs to another group; its own leaders or the bot’s owners decide on it.`,
  submitted: (id: number) => `Thank you! Your proposal is #${id}; the leaders have been told.`,
  newProposal: (id: number, title: string, url: string, who: string, where: string) =>
    `📝 New proposal <b>#${id}</b> from ${h(who)} in ${h(where)}:\n<a href="${h(url)}">${h(title)}</a>`,
  privateChat: 'a private chat',
  approved: (id: number, day: string) => `✅ #${id} approved for ${day}.`,
  approvedYours: (id: number, title: string, day: string) =>
    `✅ Your proposal #${id} “${h(title)}” was approved for ${day}.`,
  rejected: (id: number) => `❌ #${id} rejected.`,
  rejectedYours: (id: number, title: string, reason: string | null) =>
    `❌ Your proposal #${id} “${h(title)}” was not approved.${reason ? `\nReason: ${h(reason)}` : ''}`,
  posted: (id: number, day: string) => `✅ #${id} added for ${day}.`,
  archivedDone: (id: number) => `🗄 #${id} withdrawn. It will not be pushed or listed again; records already made stay.`,
  decidedBy: (what: 'approved' | 'rejected', who: string) =>
    `— ${what === 'approved' ? 'approved' : 'rejected'} by ${h(who)}`,
  queueEmpty: 'No proposals are waiting. 🎉',
  queueTitle: (n: number) => `<b>Waiting for a decision</b> (${n}):`,
  noArticles: (day: string) => `No articles are approved for ${day}.`,
  articlesTitle: (day: string) => `<b>Articles for ${day}</b>`,
  pushTitle: (day: string) =>
    `📣 <b>Today’s articles</b> — ${day}\nShare them on your own accounts, then press a button to record it.`,
  pushMoreTitle: (day: string) => `📣 <b>One more for today</b> — ${day}`,
  pushContinued: (day: string) => `📣 <b>Today’s articles</b> (continued) — ${day}`,
  buttonShared: '✅ Shared',
  buttonRebutted: '🛡 Rebutted',
  buttonApprove: '✅ Approve',
  buttonReject: '❌ Reject',
  pushNothingToday: 'No articles are approved for today yet, so there is nothing to push.',
  pushAlreadyDone: 'Today’s articles were already pushed to this group.',
  pushAlreadyDoneAll: 'Today’s articles were already pushed to every group; anything approved since follows by itself.',
  pushStarted: (groups: number) => `📣 Pushing today’s articles to ${groups} group(s).`,
  pushDoneGroup: 'Pushed.',
  todayEmpty: 'No articles are approved for today yet.',

  // Recording
  recordedShared: (id: number) => `✅ Recorded: you shared #${id}. Thank you!`,
  recordedRebutted: (id: number) =>
    `🛡 Recorded: your rebuttal of #${id}. Add its link with /rebutted ${id} &lt;link&gt;`,
  recordedRebuttedToast: (id: number) =>
    `🛡 Recorded your rebuttal of #${id}. Add its link: /rebutted ${id} &lt;link&gt;`,
  recordedSharedToast: (id: number) => `✅ Recorded: you shared #${id}. Thank you!`,
  recordedRebuttalLink: (id: number | null) =>
    id ? `🛡 Recorded your rebuttal of #${id}, with its link.` : '🛡 Recorded your rebuttal, with its link.',
  alreadyRecorded: 'Already recorded — nothing changed.',
  alreadyRecordedToast: 'Already recorded — nothing changed.',
  staleButton: 'This button is no longer valid.',
  whichArticle: (ids: number[]) =>
    `That message has several articles. Which one? ${ids.map((i) => `/shared ${i}`).join(' · ')}`,
  undoNone: 'You have no record from the last 24 hours to remove.',
  undone: (kind: 'shared' | 'rebutted', id: number | null, link: string | null) =>
    `↩️ Removed your last record: ${kind === 'shared' ? 'share' : 'rebuttal'}${id ? ` of #${id}` : ''}${link ? ` (${h(link)})` : ''}.`,
  me: (p: {
    name: string;
    week: Tally;
    month: Tally;
    all: Tally;
    rank: number | null;
    groupTitle: string | null;
    streak: number;
  }) =>
    [
      `<b>${h(p.name)}</b>`,
      `This week: ${fmtTally(p.week)}`,
      `This month: ${fmtTally(p.month)}`,
      `All time: ${fmtTally(p.all)}`,
      p.groupTitle !== null
        ? p.rank
          ? `Rank in ${h(p.groupTitle)} this week: <b>${p.rank}</b>`
          : `Not ranked in ${h(p.groupTitle)} this week yet.`
        : '',
      `Streak: ${p.streak} day${p.streak === 1 ? '' : 's'}${p.streak >= 3 ? ' 🔥' : ''}`,
    ]
      .filter(Boolean)
      .join('\n'),

  // Reports
  reports: {
    periodName: {
      day: 'today',
      week: 'this week',
      month: 'this month',
      all: 'all time',
      lastweek: 'last week',
      lastmonth: 'last month',
      range: 'the period',
    } as Record<string, string>,
    leaderboardTitle: (period: string, range: string) =>
      `🏆 <b>Leaderboard — ${period}</b>${range ? ` (${range})` : ''}`,
    leaderboardEmpty: (period: string) => `No records ${period} yet. Be the first: press ✅ Shared under an article.`,
    leaderboardHeader: 'Rank · Name · ✅ shared · 🛡 rebutted · points',
    yourRow: 'Your place:',
    dailyTitle: (day: string) => `🌙 <b>Today’s leaderboard</b> — ${day}`,
    groupsTitle: (period: string, range: string) => `🏆 <b>Groups — ${period}</b>${range ? ` (${range})` : ''}`,
    groupsHeader: 'Group · active/members (participation) · ✅ · 🛡 · points per member',
    noGroups: 'You do not lead any group Loa serves.',
    summaryTitle: (group: string, range: string) => `📊 <b>Summary — ${h(group)}</b>\n${range}`,
    weeklyTitle: (group: string, range: string) => `📊 <b>Weekly summary — ${h(group)}</b>\n${range}`,
    rollupTitle: (range: string) => `📊 <b>Your groups — weekly roll-up</b>\n${range}`,
    rollupTitleAny: (range: string) => `📊 <b>Your groups</b>\n${range}`,
    articlesPushed: (n: string) => `Articles pushed: <b>${n}</b>`,
    totals: (shared: string, rebutted: string, points: string) =>
      `Shares: <b>${shared}</b> · Rebuttals: <b>${rebutted}</b> · Points: <b>${points}</b>`,
    participation: (active: string, known: string, pct: string, change: string) =>
      `Participation: <b>${active}/${known}</b> members (${pct})${change}`,
    change: (arrow: string, points: string) => ` ${arrow} ${points} percentage points on the week before`,
    changeNone: ' = same as the week before',
    top: 'Top five:',
    perArticle: 'Per article:',
    articleLine: (id: number, title: string, shared: string, rebutted: string) =>
      `#${id} ${h(title)} — ✅ ${shared} · 🛡 ${rebutted}`,
    noActivity: 'No records in this period.',
    inactive: (n: string) => `Members with no record (${n}):`,
    inactiveNone: 'Everyone known in the group has a record. 👏',
    chartTitle: (group: string, range: string) => `${group} — records per day, ${range}`,
    chartShared: 'Shared',
    chartRebutted: 'Rebutted',
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    exportCaption: (n: string, range: string) =>
      `📄 ${n} records, ${range}. UTF-8 CSV; opens in Excel, LibreOffice and Google Sheets.`,
    exportEmpty: (range: string) => `No records ${range}; nothing to export.`,
    exportPrivateOnly: 'Exports contain members’ names: ask me in private with /export.',
    exportHeader: [
      'time',
      'group',
      'member_id',
      'member_name',
      'username',
      'kind',
      'article_id',
      'article_title',
      'link',
      'note',
    ],
    kind: { shared: 'shared', rebutted: 'rebutted' } as Record<string, string>,
  },
  usageLeaderboard: 'Usage: /leaderboard [day|week|month|all]',
  usageSummary: 'Usage: /summary [week|lastweek|month|lastmonth|YYYY-MM-DD YYYY-MM-DD]',
  usageExport: 'Usage: /export [week|lastweek|month|lastmonth|YYYY-MM-DD YYYY-MM-DD]',
  usageLang: 'Usage: /lang vi|en',
  langSetGroup: 'This group now hears me in English.',
  langSetUser: 'I will write to you in English.',
  badRange: 'The end date comes before the start date.',
  rangeTooLong: 'That period is too long (at most 366 days).',

  formatDay: (day: string) => {
    const [y, m, d] = day.split('-');
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    return `${Number(d)} ${months[Number(m) - 1]} ${y}`;
  },
};

interface Tally {
  shared: number;
  rebutted: number;
  points: number;
}

function fmtTally(t: Tally): string {
  return `${t.shared} shared, ${t.rebutted} rebutted, <b>${t.points}</b> point${t.points === 1 ? '' : 's'}`;
}

export type Messages = typeof en;
