import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import type { Logger } from './logger.ts';
import type { Roles } from './telegram/roles.ts';
import type { Sender } from './telegram/sender.ts';

/** What commands and jobs are built from: made once by createApp (src/app.ts); tests build theirs the same way. */
export interface Deps {
  config: Config;
  db: Db;
  log: Logger;
  sender: Sender;
  roles: Roles;
  /** The current time; a parameter so tests can stand at 23:59 on a Sunday. */
  clock: () => Date;
}
