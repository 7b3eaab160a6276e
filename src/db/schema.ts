import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

// One interface per table, as the migrations leave them. Timestamps are ISO 8601 UTC strings
// (they sort as text and read the same on SQLite and PostgreSQL); days are local YYYY-MM-DD.

export interface ChatsTable {
  id: number;
  type: string;
  title: string | null;
  active: number;
  locale: string | null;
  joined_at: string;
  updated_at: string;
  migrated_to: number | null;
  /** Whether Loa serves the group: allowed, waiting for an owner, or refused (see domain/admission.ts). */
  admission: Generated<GroupAdmissionState>;
  /** The share of members a group aims to have recording each week, in percent; null: none set. */
  weekly_target: number | null;
}

export type GroupAdmissionState = 'allowed' | 'waiting' | 'refused';

export interface UsersTable {
  id: number;
  first_name: string;
  last_name: string | null;
  username: string | null;
  language_code: string | null;
  locale: string | null;
  started: Generated<number>;
  updated_at: string;
  /** 1 (the default): the evening reminder is wanted; 0 after /remind off. */
  reminders: Generated<number>;
}

export interface MembershipsTable {
  chat_id: number;
  user_id: number;
  status: string;
  first_seen_at: string;
  last_seen_at: string;
}

export type ArticleState = 'pending' | 'approved' | 'rejected' | 'archived';

export interface ArticlesTable {
  id: Generated<number>;
  url: string;
  title: string;
  note: string | null;
  scope_chat_id: number | null;
  proposed_by: number | null;
  proposed_in: number | null;
  state: ArticleState;
  decided_by: number | null;
  decided_at: string | null;
  reason: string | null;
  publish_date: string | null;
  created_at: string;
  /** The last day it counts, when a campaign it belongs to ended before its own window (see domain/campaigns.ts). */
  closes_on: string | null;
}

export type RecordKind = 'shared' | 'rebutted';

export interface RecordsTable {
  id: Generated<number>;
  user_id: number;
  chat_id: number | null;
  article_id: number | null;
  kind: RecordKind;
  link: string | null;
  note: string | null;
  points: number;
  created_at: string;
  /** 1: kept but earning nothing (over the day's limit of rebuttals without an article); its points are 0. */
  unscored: Generated<number>;
}

export interface CampaignsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  /** The group it runs in; null: every group (an owner's). */
  scope_chat_id: number | null;
  first_day: string;
  /** Its last day, when known; null: until ended. */
  last_day: string | null;
  created_by: number | null;
  created_at: string;
  ended_at: string | null;
}

export interface ArticleCampaignsTable {
  article_id: number;
  campaign_id: number;
}

export interface JobRunsTable {
  job: string;
  period: string;
  started_at: string;
  finished_at: string | null;
}

export interface GroupPushesTable {
  chat_id: number;
  day: string;
  created_at: string;
  completed_at: string | null;
}

export interface PushItemsTable {
  chat_id: number;
  article_id: number;
  day: string;
  batch: string;
  status: 'sending' | 'sent' | 'failed';
  message_id: number | null;
  claimed_at: string;
  sent_at: string | null;
}

export interface WeeklySummariesTable {
  chat_id: number;
  week: string;
  data: string;
  created_at: string;
}

export interface ReportDeliveriesTable {
  kind: 'leaderboard' | 'weekly' | 'rollup';
  period: string;
  chat_id: number;
  status: 'sending' | 'sent';
  claimed_at: string;
  sent_at: string | null;
}

export interface ProcessedUpdatesTable {
  update_id: number;
  handled_at: string;
}

/** An update taken from Telegram by polling and not yet handled (see src/db/inbox.ts). */
export interface InboxTable {
  update_id: number;
  /** The update as Telegram sent it (JSON). */
  body: string;
  received_at: string;
}

export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface SendBudgetTable {
  key: string;
  /** When the next send under this key may go out at the earliest, plus its interval (ms since the epoch). */
  tat: number;
}

export interface ReminderDeliveriesTable {
  /** nudge: a member's evening reminder; eve: a leader's or owner's eve check. */
  kind: 'nudge' | 'eve';
  user_id: number;
  day: string;
  status: 'sending' | 'sent';
  claimed_at: string;
  sent_at: string | null;
}

export interface Database {
  chats: ChatsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  articles: ArticlesTable;
  records: RecordsTable;
  campaigns: CampaignsTable;
  article_campaigns: ArticleCampaignsTable;
  job_runs: JobRunsTable;
  group_pushes: GroupPushesTable;
  push_items: PushItemsTable;
  weekly_summaries: WeeklySummariesTable;
  report_deliveries: ReportDeliveriesTable;
  processed_updates: ProcessedUpdatesTable;
  inbox: InboxTable;
  job_leases: JobLeasesTable;
  send_budget: SendBudgetTable;
  reminder_deliveries: ReminderDeliveriesTable;
}

export type Chat = Selectable<ChatsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Membership = Selectable<MembershipsTable>;
export type Article = Selectable<ArticlesTable>;
export type NewArticle = Insertable<ArticlesTable>;
export type ArticleUpdate = Updateable<ArticlesTable>;
export type Campaign = Selectable<CampaignsTable>;
export type LoaRecord = Selectable<RecordsTable>;
export type NewRecord = Insertable<RecordsTable>;
export type PushItem = Selectable<PushItemsTable>;
