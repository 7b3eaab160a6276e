import { Composer } from 'telegraf';
import type { Menus } from '../src/telegram/menus.ts';
import type { LoaContext } from '../src/telegram/context.ts';
import { admissionCommands, admissionGate } from './admission.ts';
import { articleCommands } from './articles.ts';
import { campaignCommands } from './campaigns.ts';
import { dashboardCommands } from './dashboard.ts';
import { recordCommands } from './record.ts';
import { remindCommands } from './remind.ts';
import { reportCommands } from './reports.ts';
import { start } from './start.ts';

// Every command family, in one place. First the admission gate: a group Loa does not serve gets nothing. A
// button press that nobody claimed is old or forged: its spinner is stopped with a short notice rather than
// left turning.
export const commands = Composer.compose<LoaContext>([
  admissionGate,
  admissionCommands,
  start,
  articleCommands,
  recordCommands,
  reportCommands,
  campaignCommands,
  remindCommands,
  dashboardCommands,
  Composer.on('callback_query', (ctx) => ctx.answerCbQuery(ctx.t.staleButton)),
]);

/** The command menus (setMyCommands): each role's, where its commands work (see CommandMenus). */
export const memberCommandNames = [
  'today',
  'articles',
  'shared',
  'rebutted',
  'undo',
  'me',
  'leaderboard',
  'submit',
  'lang',
  'remind',
  'help',
] as const;
/** What leaders use wherever they lead: deciding on articles, and reading and steering their groups. */
const leaderCommandNames = [
  'queue',
  'approve',
  'reject',
  'archive',
  'summary',
  'coverage',
  'campaign',
  'target',
] as const;
export const commandMenus: Menus = {
  members: memberCommandNames,
  // In a group: /export works only in private (it carries names).
  leadersInGroups: [...memberCommandNames, ...leaderCommandNames, 'post', 'push'],
  // In a leader's private chat: /post and /push there are for owners (a leader posts and pushes in the group).
  // /export and /dashboard work only in private (they carry names).
  leadersInPrivate: [...memberCommandNames, ...leaderCommandNames, 'export', 'dashboard'],
  ownersInPrivate: [...memberCommandNames, ...leaderCommandNames, 'post', 'push', 'export', 'dashboard'],
};
