import fs from 'node:fs';
import path from 'node:path';

// The database and its backups hold members' names and activity: readable by Loa's user only, whatever the
// umask. SQLite gives its -wal and -shm files the main file's mode, so creating the main file 0600 covers them.

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Makes the folder a file will live in; folders Loa creates are 0700 (an existing one is left as it is). */
export function makePrivateFolderFor(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const created = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode passes through the umask, which could take bits away from the owner too: set it outright.
  if (created !== undefined) {
    for (let d = dir; ; d = path.dirname(d)) {
      fs.chmodSync(d, PRIVATE_DIR_MODE);
      if (d === created || path.dirname(d) === d) break;
    }
  }
}

/** Creates the file empty and 0600 if it does not exist yet; an existing file keeps the mode it has. */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
    fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
