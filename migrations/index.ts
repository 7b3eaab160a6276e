import type { Migration } from 'kysely';
import * as m0001 from './0001_init.ts';
import * as m0002 from './0002_reports.ts';
import * as m0003 from './0003_processed_updates.ts';
import * as m0004 from './0004_replicas.ts';
import * as m0005 from './0005_group_admission.ts';
import * as m0006 from './0006_unscored_records.ts';
import * as m0007 from './0007_campaigns.ts';
import * as m0008 from './0008_reminders.ts';
import * as m0009 from './0009_dashboard.ts';
import * as m0010 from './0010_inbox.ts';

// The ordered list of migrations. Add a new file and one line here; never edit a released migration.
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_reports': m0002,
  '0003_processed_updates': m0003,
  '0004_replicas': m0004,
  '0005_group_admission': m0005,
  '0006_unscored_records': m0006,
  '0007_campaigns': m0007,
  '0008_reminders': m0008,
  '0009_dashboard': m0009,
  '0010_inbox': m0010,
};
