import { escapeHtml as h } from '../render/html.ts';

// The English catalogue. Every function returns Telegram HTML; arguments that came from users are
// escaped here (h), so a caller can pass raw text. vi.ts must provide the same keys (Messages type).

export const en = {
  locale: 'en' as 'vi' | 'en',
  languageName: 'English',

  // Start and help
  startPrivate: (name: string) =>
    `Hello, ${h(name)}! I am <b>Loa</b>, your unit’s news bot.\n\n` +
    `Every morning I post the approved articles to your group, with two buttons under each:\n` +
    `• <b>✅ Shared</b>: you shared the article on your own accounts.\n` +
    `• <b>🛡 Rebutted</b>: you countered misinformation on its topic.\n` +
    `Each earns points; I post the leaderboard every evening.\n\n` +
    `From now on I answer you here in private, so the group stays quiet. Send /help for the commands.`,
  startGroup: `Hello! I am <b>Loa</b>. Every morning I post the day’s approved articles here. Send /help to see what I can do.`,
  greeting: (pushTime: string | undefined, bot: string) =>
    `👋 Hello, everyone! I am <b>Loa</b>, the unit’s news bot.\n\n` +
    `• Every day${pushTime ? ` at <b>${pushTime}</b>` : ''} I post here the articles your leaders approved, each with two buttons.\n` +
    `• Shared one on your own account? Tap <b>✅ Shared</b>. Answered a misleading claim? Tap <b>🛡 Rebutted</b>, then send /rebutted with the article number and the link.\n` +
    `• Open a private chat with me once and press <b>Start</b> (@${bot}): answers meant for you alone then go there, not to the group.\n\n` +
    `Group admins, begin with /post to add an article, /queue to review proposals and /summary for the group’s figures. /help lists everything.`,
  helpTitle: (role: 'owner' | 'leader' | 'member') =>
    `<b>Loa commands</b> (${role === 'owner' ? 'Loa operator' : role === 'leader' ? 'group admin' : 'member'})`,
  helpMemberTitle: '<b>For everyone</b>',
  helpMember: [
    '• /today — today’s articles, with their buttons',
    '• /articles [date] — approved articles for a day, e.g. /articles 2/12',
    '• /shared &lt;article no.&gt; — record a share',
    '• /rebutted [article no.] &lt;link&gt; — record that you countered misinformation',
    '• /undo — remove your last record (within 24 hours)',
    '• /me — your records, points and streak',
    '• /top [today|week|month|all] — the group’s leaderboard',
    '• /submit &lt;link&gt; [title] — propose an article',
    '• /campaign — the group’s campaigns',
    '• /lang vi|en — my language with you (in private)',
    '• /remind on|off — evening reminders on or off (in private)',
  ],
  helpLeaderTitle: '<b>For group admins</b>',
  helpLeader: [
    '• /post &lt;link&gt; [title] [--date date] — add an approved article',
    '• /queue — proposals waiting for a decision',
    '• /approve &lt;article no.&gt; [date] — approve a proposal',
    '• /reject &lt;article no.&gt; [reason] — reject a proposal',
    '• /archive &lt;article no.&gt; — withdraw an article',
    '• /push — send today’s articles to this group now',
    '• /summary [week|last week|month|last month|first-day last-day|#campaign] — the group’s summary',
    '• /coverage [date] — who has acted on the day’s articles, and who not yet',
    '• /campaign — campaigns: new, add an article, end',
    '• /target &lt;percent&gt; — the group’s weekly participation target',
    '• /export [period] — the records as a CSV file (in private)',
    '• /dashboard — the dashboard: coverage, trend, leaderboard (in private)',
    '• /lang vi|en — the group’s language',
  ],
  helpOwnerTitle: '<b>For Loa operators</b>',
  helpOwner: ['• /push in private — send today’s articles to every group now'],
  helpDates: 'Dates: 2/12 or 2/12/2026 (day first).',
  helpFooter: (shared: number, rebutted: number) => `Points: ${shared} for a share, ${rebutted} for a rebuttal.`,
  commandDescriptions: {
    today: 'Today’s articles',
    articles: 'Approved articles for a day',
    shared: 'Record a share',
    rebutted: 'Record a rebuttal, with its link',
    undo: 'Remove your last record',
    me: 'Your points and streak',
    submit: 'Propose an article',
    help: 'What I can do',
    approve: 'Approve a proposal',
    reject: 'Reject a proposal',
    post: 'Add an approved article',
    queue: 'Proposals waiting',
    archive: 'Withdraw an article',
    push: 'Send today’s articles now',
    leaderboard: 'The group’s leaderboard',
    summary: 'Summary for group admins',
    export: 'Records as CSV',
    dashboard: 'The dashboard (Mini App)',
    lang: 'Language',
    campaign: 'Campaigns',
    coverage: 'Who has acted on today’s articles',
    target: 'Weekly participation target',
    remind: 'Evening reminders on or off',
  },

  // Groups waiting for an owner to allow them (GROUP_ADMISSION=owner)
  admissionWaiting:
    'Hello! I have been added to this group and am waiting for Loa’s operators to allow me here. ' +
    'Until then I will not post articles or answer commands in this group.',
  admissionNoOwners: (chatId: number) =>
    'Hello! I have been added to this group, but I cannot work here yet: no Loa operator is set up to allow it. ' +
    `Whoever runs Loa can add this group’s id, <code>${chatId}</code>, to ALLOWED_GROUP_IDS ` +
    '(or set ADMIN_IDS, or GROUP_ADMISSION=open) and restart Loa.',
  admissionRequest: (title: string, adder: string | null, chatId: number) =>
    `🔔 Loa was added to «${h(title)}» by ${adder === null ? 'someone I could not identify' : `<b>${h(adder)}</b>`} ` +
    `(group id <code>${chatId}</code>).\nI will do nothing there until you allow it. If you choose Leave, I will leave the group.`,
  buttonAllowGroup: '✅ Allow',
  buttonLeaveGroup: '🚪 Leave',
  groupAllowedBy: (title: string, who: string) => `✅ ${h(who)} allowed Loa in «${h(title)}».`,
  groupLeftBy: (title: string, who: string) => `🚪 ${h(who)} had Loa leave «${h(title)}».`,
  groupAlreadyDecided: 'This group has already been dealt with, or Loa is no longer in it.',

  // Who may do what
  leadersOnly: 'Only this group’s admins can do that.',
  ownersOnly: 'Only Loa’s operators can do that.',
  groupOnly: 'Please send this in your group.',
  noUserToCredit:
    'I can’t tell who sent this (it came as a channel or an anonymous admin), so there is nobody to credit. Please send it from your own account.',
  tooFast: 'You are sending commands too quickly. I will pause for a minute before answering you again.',
  somethingWentWrong: 'Something went wrong on my side; nothing was changed. Please try again in a moment.',
  cannotCheckAdmins: 'I couldn’t check this group’s admins with Telegram just now. Please try again in a moment.',

  // Usage: the form, then one example
  usage: {
    submit: 'Usage: /submit &lt;link&gt; [title]\nExample: /submit https://example.com/article Flood relief',
    approve: 'Usage: /approve &lt;article no.&gt; [date]\nExample: /approve 12 5/12',
    reject: 'Usage: /reject &lt;article no.&gt; [reason]\nExample: /reject 12 Source unclear',
    post: 'Usage: /post &lt;link&gt; [title] [--date date]\nExample: /post https://example.com/article Flood relief --date 5/12',
    archive: 'Usage: /archive &lt;article no.&gt;\nExample: /archive 12',
    articles: 'Usage: /articles [date]\nExample: /articles 2/12',
    shared: 'Usage: /shared &lt;article no.&gt; [link], or reply /shared to my article message\nExample: /shared 12',
    rebutted:
      'Usage: /rebutted [article no.] &lt;link to your rebuttal&gt; [note]\nExample: /rebutted 12 https://facebook.com/your.post',
  },

  // Input problems
  badUrl: (problem: 'not_http' | 'too_long' | 'malformed'): string =>
    problem === 'not_http'
      ? 'Only links starting with http:// or https:// are accepted.'
      : problem === 'too_long'
        ? 'That link is too long (at most 2,048 characters).'
        : 'That is not a valid link. Please send the full address, starting with https://',
  badId: (text: string) => `“${h(text)}” is not an article number. Article numbers look like 12 or #12.`,
  badDate: (text: string) => `“${h(text)}” is not a valid date. Write the day first: 2/12 or 2/12/2026.`,
  pastDate: 'That day is over. Please choose today or a later day.',
  titleTooLong: 'The title is too long (at most 300 characters). Please shorten it.',
  noteTooLong: 'The note is too long (at most 500 characters). Please shorten it.',

  // Articles
  unknownArticle: (id: number) => `There is no article #${id}. /today shows today’s article numbers.`,
  archivedArticle: (id: number) => `Article #${id} has been withdrawn.`,
  closedArticle: (id: number, lastDay: string) =>
    `Article #${id} closed after ${lastDay}: records for it no longer count. Today’s articles are in /today.`,
  alreadyRejected: (id: number) => `Article #${id} was already rejected.`,
  duplicateArticle: (id: number, day: string) => `That link is already approved for ${day} (article #${id}).`,
  notYourArticle: (id: number) =>
    `Article #${id} belongs to another group; only its admins or Loa’s operators can decide on it.`,
  submitMembersOnly: 'Only members of a group Loa serves can propose articles. Please send /submit from your group.',
  submitLimit: (n: number) =>
    n === 0
      ? 'Proposals through Loa are closed in this unit for now.'
      : `You have sent ${n} proposal${n === 1 ? '' : 's'} today, the most allowed in a day. Please send more tomorrow.`,
  submitted: (id: number) => `Thank you! Your proposal is article #${id}; it has gone to those who can approve it.`,
  newProposal: (id: number, title: string, url: string, who: string, where: string) =>
    `📝 New proposal <b>#${id}</b> from ${h(who)} (${h(where)}):\n<a href="${h(url)}">${h(title)}</a>`,
  privateChat: 'in private',
  approved: (id: number, day: string) => `✅ Article #${id} approved for ${day}.`,
  approvedYours: (id: number, title: string, day: string) =>
    `✅ Your proposal #${id} “${h(title)}” was approved for ${day}. Thank you!`,
  rejected: (id: number) => `❌ Article #${id} rejected.`,
  rejectedYours: (id: number, title: string, reason: string | null) =>
    `Your proposal #${id} “${h(title)}” was not approved.${reason ? `\nReason: ${h(reason)}` : ''}`,
  posted: (id: number, day: string) => `✅ Article #${id} added for ${day}.`,
  archivedDone: (id: number) =>
    `🗄 Article #${id} withdrawn: it will not be pushed or listed again; records already made stay.`,
  decidedBy: (what: 'approved' | 'rejected', who: string, id: number) =>
    what === 'approved' ? `✅ #${id} approved by ${h(who)}` : `❌ #${id} rejected by ${h(who)}`,
  queueEmpty: 'No proposals are waiting. 🎉',
  queueTitle: (n: number) => `<b>Waiting for a decision</b> (${n}):`,
  noArticles: (day: string) => `No articles are approved for ${day}.`,
  articlesTitle: (day: string) => `<b>Articles for ${day}</b>`,
  pushTitle: (day: string) =>
    `📣 <b>Today’s articles</b> — ${day}\nShare them on your own accounts, then press a button below to record it.`,
  pushMoreTitle: (day: string) => `📣 <b>One more for today</b> — ${day}`,
  pushContinued: (day: string) => `📣 <b>Today’s articles</b> (continued) — ${day}`,
  buttonShared: '✅ Shared',
  buttonRebutted: '🛡 Rebutted',
  buttonApprove: '✅ Approve',
  buttonReject: '❌ Reject',
  pushNothingToday: 'No articles are approved for today yet, so there is nothing to push. Add one with /post.',
  pushAlreadyDone: 'Today’s articles were already pushed to this group.',
  pushAlreadyDoneAll: 'Today’s articles were already pushed to every group; anything approved since follows by itself.',
  pushStarted: (groups: number) => `📣 Pushing today’s articles to ${groups} group${groups === 1 ? '' : 's'}.`,
  pushDoneGroup: 'Pushed.',
  todayEmpty: 'No articles are approved for today yet.',

  // The evening: a member's reminder, a leader's eve check
  reminderTitle: (day: string, groups: string[]) =>
    `🔔 <b>Today’s reminder</b> — ${day}\n` +
    `You have not recorded anything today for the articles sent to ${groupList(groups, 'en')}. ` +
    `Take a few minutes to share them on your own accounts, then press a button below to record it. Already done? Just press the button.`,
  reminderFirstTime:
    '<i>I send this only on evenings when you have recorded nothing that day, at most once a day. ' +
    'To stop these reminders, send /remind off; to have them again, /remind on.</i>',
  reminderMore: (n: number) => `…and ${n} more: send /today to see ${n === 1 ? 'it' : 'them'}.`,
  remindOn:
    '🔔 Reminders are on: on evenings when you have recorded nothing that day, I will send you the day’s articles.',
  remindOff: '🔕 Reminders are off. To have them again, send /remind on.',
  remindStatus: (on: boolean) => `Evening reminders are ${on ? 'on' : 'off'}.\nUsage: /remind on or /remind off`,
  remindPrivateOnly:
    'Reminders come to each member in private: send /remind on or /remind off to me in a private chat.',
  eveTitle: (day: string) => `🌙 <b>Tomorrow’s articles</b> — ${day}`,
  eveNothingAtAll: 'Nothing is approved for tomorrow yet, for any group.',
  eveUnready: (groups: string[]) =>
    groups.length === 1
      ? `Nothing is approved for tomorrow yet in ${groupList(groups, 'en')}.`
      : `Nothing is approved for tomorrow yet in these ${groups.length} groups: ${groupList(groups, 'en')}.`,
  evePending: (n: number, role: 'owner' | 'leader') =>
    n > 0
      ? `<b>${n}</b> proposal${n === 1 ? ' is' : 's are'} waiting for a decision: press the button below to review ${n === 1 ? 'it' : 'them'}.`
      : `No proposals are waiting; you can add an article with /post${role === 'leader' ? ' in the group' : ''}.`,
  buttonOpenQueue: '📋 Open the proposals waiting',

  // Recording (points: what the record earned)
  recordedShared: (id: number, points: number) =>
    `✅ Recorded: you shared article #${id}. ${plusPoints(points)}. Thank you!`,
  recordedSharedToast: (id: number, points: number) =>
    `✅ Recorded: you shared article #${id}. ${plusPoints(points)}. Thank you!`,
  recordedRebutted: (id: number, points: number) =>
    `🛡 Recorded: you countered misinformation (article #${id}). ${plusPoints(points)}.\n` +
    `Add the link to your rebuttal: /rebutted ${id} &lt;link&gt;`,
  recordedRebuttedToast: (id: number, points: number) =>
    `🛡 Recorded: you countered misinformation (article #${id}). ${plusPoints(points)}. ` +
    `Add the link: /rebutted ${id} &lt;link&gt;`,
  recordedRebuttalLink: (id: number | null, points: number) =>
    id
      ? `🛡 Recorded: you countered misinformation (article #${id}), with the link. ${plusPoints(points)}.`
      : `🛡 Recorded: you countered misinformation, with the link. ${plusPoints(points)}.`,
  rebuttalLinkAdded: (id: number) =>
    `🔗 The link is added to your rebuttal of misinformation (article #${id}). It earns no extra points.`,
  rebuttalUnscored: (limit: number) =>
    limit === 0
      ? '🛡 Your rebuttal is saved with its link. Rebuttals not tied to an article earn no points in this unit. Thank you!'
      : `🛡 Your rebuttal is saved with its link, but it earns no points: rebuttals not tied to an article earn points ` +
        `${limit} time${limit === 1 ? '' : 's'} a day at most, and you have reached that today. Thank you all the same!`,
  alreadyRecorded: 'Already recorded; nothing changed.',
  alreadyRecordedToast: 'Already recorded; nothing changed.',
  staleButton: 'This button is no longer valid.',
  membersOnlyToast: 'Only members of this group can record here.',
  tooFastToast: 'You are pressing too quickly. Please wait a minute and try again.',
  whichArticle: (ids: number[]) =>
    `That message has several articles. Which one did you share? ${ids.map((i) => `/shared ${i}`).join(' · ')}`,
  undoNone: 'You have no record from the last 24 hours to remove.',
  undone: (kind: 'shared' | 'rebutted', id: number | null, link: string | null, points: number) =>
    `↩️ Removed your last record: ${kind === 'shared' ? 'a share' : 'a rebuttal'}${id ? ` (article #${id})` : ''}. ` +
    `−${points} ${points === 1 ? 'point' : 'points'}.${link ? `\nLink: ${h(link)}` : ''}`,
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
      `Streak: ${p.streak} day${p.streak === 1 ? '' : 's'} in a row${p.streak >= 3 ? ' 🔥' : ''}`,
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
    points: (n: string) => `${n} ${n === '1' ? 'point' : 'points'}`,
    pointsPerMember: (n: string) => `${n} points/member`,
    yourRow: 'Your place:',
    dailyTitle: (day: string) => `🌙 <b>Today’s leaderboard</b> — ${day}`,
    groupsTitle: (period: string, range: string) => `🏆 <b>Groups — ${period}</b>${range ? ` (${range})` : ''}`,
    groupsHeader: 'Group · active/members (participation) · ✅ shares · 🛡 rebuttals · points per member',
    noGroups: 'You are not an admin of any group Loa serves.',
    summaryTitle: (group: string, range: string) => `📊 <b>Summary — ${h(group)}</b>\n${range}`,
    weeklyTitle: (group: string, range: string) => `📊 <b>Weekly summary — ${h(group)}</b>\n${range}`,
    rollupTitle: (range: string) => `📊 <b>Your groups — weekly roll-up</b>\n${range}`,
    rollupTitleAny: (range: string) => `📊 <b>Your groups</b>\n${range}`,
    openGroup: 'Tap a group below for its full summary, with the members who have no record yet.',
    notYourGroup: 'Only the group’s admins and Loa’s operators can open its summary.',
    articlesPushed: (n: string) => `Articles pushed: <b>${n}</b>`,
    totals: (shared: string, rebutted: string, points: string) =>
      `Shares: <b>${shared}</b> · Rebuttals: <b>${rebutted}</b> · <b>${points}</b> points`,
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
    target: (target: string, short: string | null) =>
      short === null
        ? `Target: ${target} — reached ✅`
        : `Target: ${target} — ${short} more member${short === '1' ? '' : 's'} needed`,
    campaignsTitle: 'Campaigns:',
    campaignLine: (name: string, articles: string, active: string, known: string, pct: string) =>
      `🚩 <b>#${h(name)}</b> — ${articles} article${articles === '1' ? '' : 's'} · ${active}/${known} members took part (${pct})`,
    inactiveNone: 'Everyone known in the group has a record. 👏',
    chartTitle: (group: string, range: string) => `${group} — records per day, ${range}`,
    chartShared: 'Shared',
    chartRebutted: 'Rebutted',
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    exportCaption: (n: string, range: string) =>
      `📄 ${n} records, ${range}. UTF-8 CSV; opens in Excel, LibreOffice and Google Sheets.`,
    exportEmpty: (range: string) => `No records (${range}), so there is nothing to export.`,
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
  usageLeaderboard: 'Usage: /leaderboard [today|week|month|all|#campaign] (default: week)\nExample: /leaderboard month',
  usageSummary:
    'Usage: /summary [week|last week|month|last month|first-day last-day|#campaign] (default: week)\nExample: /summary 1/12 7/12',
  usageExport:
    'Usage: /export [week|last week|month|last month|first-day last-day|#campaign] (default: week)\nExample: /export last week',
  campaigns: {
    usage:
      'Usage:\n/campaign — the campaigns\n/campaign new &lt;name&gt; [first day] [last day]\n' +
      '/campaign add &lt;article no.&gt; &lt;name&gt;\n/campaign end &lt;name&gt;\nExample: /campaign new tet2027 20/1 10/2',
    badName:
      'A campaign’s name is one word that begins with a letter, then letters, digits, “_” or “-”, at most 32 characters, e.g. tet2027.',
    taken: (name: string) => `There is already a campaign #${h(name)} here. Please choose another name.`,
    reversed: 'The last day comes before the first. Put the first day first, e.g. 20/1 10/2.',
    created: (name: string, where: string, range: string) =>
      `🚩 Campaign <b>#${h(name)}</b> set up for ${where}, ${range}.\n` +
      `Add articles with /post &lt;link&gt; [title] #${h(name)}, or /campaign add &lt;article no.&gt; ${h(name)}. ` +
      `Its figures: /summary #${h(name)}.`,
    everyGroup: 'every group',
    group: (title: string) => `«${h(title)}»`,
    from: (day: string) => `from ${day}`,
    notFound: (name: string) => `There is no campaign #${h(name)} here. /campaign lists them.`,
    alreadyEnded: (name: string) => `Campaign #${h(name)} has already ended.`,
    ended: (name: string, lastDay: string) =>
      `🏁 Campaign <b>#${h(name)}</b> ended on ${lastDay}. Its articles stop counting after that day.`,
    added: (id: number, name: string) => `🚩 Article #${id} is now part of campaign #${h(name)}.`,
    notAddable: (id: number, name: string) =>
      `Article #${id} cannot join #${h(name)}: it is not proposed or approved for that campaign’s groups.`,
    endedNoAdd: (name: string) => `Campaign #${h(name)} has ended; no more articles can join it.`,
    notYours: (name: string) =>
      `Only the admins of campaign #${h(name)}’s group can change it (Loa’s operators, for a campaign of every group).`,
    whichGroup: 'You lead several groups: please set up the campaign in the group it is for.',
    boardEmpty: (name: string) =>
      `No records for campaign #${h(name)} yet. Be the first: press ✅ Shared under one of its articles.`,
    listTitle: '<b>Campaigns</b>',
    listEmpty: 'No campaigns yet. A group admin sets one up with /campaign new &lt;name&gt;.',
    line: (name: string, range: string, state: 'running' | 'upcoming' | 'ended', articles: string, where: string) =>
      `${state === 'running' ? '🚩' : state === 'upcoming' ? '🗓' : '🏁'} <b>#${h(name)}</b> — ${range} · ` +
      `${state === 'running' ? 'running' : state === 'upcoming' ? 'not started' : 'ended'} · ${articles} article${articles === '1' ? '' : 's'} · ${where}`,
  },
  coverage: {
    title: (group: string, day: string) => `📋 <b>Coverage — ${h(group)}</b>\n${day}`,
    noArticles: 'No articles were approved for that day.',
    article: (id: number, title: string, covered: string, known: string, shared: string, rebutted: string) =>
      `#${id} ${h(title)} — ${covered}/${known} members · ✅ ${shared} · 🛡 ${rebutted}`,
    acted: (n: string, known: string) => `<b>${n}/${known}</b> members have recorded something for these articles.`,
    nothingTitle: (n: string) => `<b>Nothing recorded yet (${n}):</b>`,
    nothingNone: 'Everyone known in the group has recorded something. 👏',
    doneTitle: (n: string) => `<b>Recorded (${n}):</b>`,
    namesInPrivate: 'I have sent you the names in private.',
    groupsTitle: (day: string) => `📋 <b>Coverage of your groups</b>\n${day}`,
    groupLine: (title: string, acted: string, known: string, pct: string) =>
      `• <b>${h(title)}</b> — ${acted}/${known} (${pct})`,
    openGroup: 'Tap a group for its members, by name.',
    usage: 'Usage: /coverage [date] (default: today)\nExample: /coverage 2/12',
  },
  targets: {
    usage: 'Usage: /target &lt;percent&gt; (or /target off)\nExample: /target 80',
    current: (pct: number | null) =>
      pct === null
        ? 'This group has no weekly participation target. Set one with /target 80.'
        : `The group’s weekly participation target is <b>${pct}%</b> of its members.`,
    set: (pct: number) =>
      `🎯 Weekly participation target: <b>${pct}%</b> of the group’s members. The weekly summary shows how close the group is.`,
    cleared: 'The weekly participation target is removed.',
  },
  usageLang: 'Usage: /lang vi|en (Vietnamese or English)\nExample: /lang vi',
  langSetGroup: 'This group now hears me in English.',
  langSetUser: 'I will write to you in English.',
  badRange: 'The last day comes before the first. Put the first day first, e.g. 1/12 7/12.',
  rangeTooLong: 'That period is too long (at most 366 days). Please choose a shorter one.',

  // The leaders' dashboard (a Mini App): the bot's messages, and the page's words (plain text, {n}-style
  // placeholders filled in by the page).
  dashboard: {
    button: '📊 Dashboard',
    open: 'Your groups’ dashboard: who covered which article, the trend, the leaderboard. Tap the button to open it.',
    off:
      'The dashboard is not turned on. Whoever runs Loa turns it on by setting WEB_APP_URL to the public HTTPS ' +
      'address of Loa’s HTTP server (see “Dashboard” in the README) and restarting Loa.',
    leadersOnly: 'Only group admins and Loa’s operators can open the dashboard. Send /me for your own records.',
    privateOnly: 'The dashboard shows members’ names, so it opens only in private: send /dashboard to me there.',
    page: {
      title: 'Dashboard',
      group: 'Group',
      organisation: 'All groups',
      period: 'Period',
      today: 'Today',
      week: 'This week',
      lastweek: 'Last week',
      month: 'This month',
      range: 'Custom',
      from: 'From',
      to: 'To',
      show: 'Show',
      coverage: 'Coverage',
      trend: 'Trend',
      leaderboard: 'Leaderboard',
      articles: 'Articles',
      groups: 'Groups',
      member: 'Member',
      total: 'Total',
      search: 'Search by name',
      withNothing: '{n} of {known} members have no record for these articles',
      noArticles: 'No articles were approved for these days.',
      noMembers: 'No members known in this group yet.',
      legendShared: 'shared',
      legendRebutted: 'rebutted',
      legendBoth: 'both',
      legendNothing: 'nothing yet',
      summary: '{participants} of {known} members took part ({rate}) · {shared} shared · {rebutted} rebutted',
      weekly: 'Participation per week (last 12 weeks)',
      daily: 'Records per day',
      shared: 'Shared',
      rebutted: 'Rebutted',
      points: 'Points',
      participation: 'Participation',
      members: 'Members',
      article: 'Article',
      day: 'Day',
      week_: 'Week',
      empty: 'No records in this period.',
      noGroups: 'No groups to show.',
      download: 'Download CSV',
      loading: 'Loading…',
      failed: 'The figures could not be loaded. Please try again.',
      badRange: 'Choose a first and a last day, the first not after the last, at most 366 days apart.',
    },
    refused: {
      member: 'The dashboard is for group admins and Loa’s operators. Your own records are in /me.',
      expired: 'This dashboard was opened too long ago. Close it and open it again from Loa.',
      invalid: 'This page could not be verified as opened from Telegram. Open it with the Dashboard button in Loa.',
      notYourGroup: 'That group is not one of yours.',
    },
  },

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

/** «A», «B» and «C»: at most ten names, then how many more. */
export function groupList(titles: string[], locale: 'vi' | 'en'): string {
  const shown = titles.slice(0, 10).map((t) => `«${h(t)}»`);
  const more = titles.length - shown.length;
  const and = locale === 'vi' ? ' và ' : ' and ';
  if (more > 0)
    return `${shown.join(', ')}${and}${more} ${locale === 'vi' ? 'nhóm khác' : more === 1 ? 'other' : 'others'}`;
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')}${and}${shown.at(-1)}`;
}

const plusPoints = (points: number) => `+${points} ${points === 1 ? 'point' : 'points'}`;

export type Messages = typeof en;
