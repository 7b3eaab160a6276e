import { Composer } from 'telegraf';
import type { LoaContext } from '../src/telegram/context.ts';
import { admissionCommands, admissionGate } from './admission.ts';
import { articleCommands } from './articles.ts';
import { recordCommands } from './record.ts';
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
  Composer.on('callback_query', (ctx) => ctx.answerCbQuery(ctx.t.staleButton)),
]);

/** The command lists published with setMyCommands: members' everywhere, leaders' for group admins. */
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
  'help',
] as const;
export const leaderCommandNames = [
  ...memberCommandNames,
  'approve',
  'reject',
  'post',
  'queue',
  'archive',
  'push',
  'summary',
  'export',
] as const;
