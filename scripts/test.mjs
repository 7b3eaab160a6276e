// npm test: format and lint checks, type-check, then the whole suite on SQLite, then again on PostgreSQL (all but the tests of the
// SQLite file itself) when TEST_DATABASE_URL points at a server (each test database a schema of its own, all of
// this run's schemas dropped at the end).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const run = (args, env = {}) =>
  spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
const files = (dir) =>
  spawnSync('sh', ['-c', `ls tests/${dir}/*.test.ts`], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n');

// The formatter and the linter first: a style slip fails in seconds, not after the suite.
// Tests mirror the source tree: src/domain, src/db, src/telegram, src/jobs; then commands, then end to end.
const unitFiles = ['domain', 'db', 'http', 'telegram', 'jobs'].flatMap(files);

let failed =
  run(['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.']) !== 0 ||
  run(['node_modules/eslint/bin/eslint.js', '.']) !== 0 ||
  run(['node_modules/typescript/bin/tsc', '--noEmit']) !== 0;
// Each test, and each file as a whole, gets 6 minutes: the SIGKILL tests (crash.test.ts) take 3 to 4 on
// PostgreSQL on a loaded two-core machine. A hang still ends the run; a slow machine does not fail it.
if (!failed) {
  failed =
    run([
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-timeout=360000',
      ...unitFiles,
      ...files('commands'),
      ...files('e2e'),
    ]) !== 0;
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    console.log('\n# The suite again, on PostgreSQL\n');
    const runId = randomBytes(4).toString('hex');
    try {
      // One file at a time: Kysely's PostgreSQL migrator reads the whole catalogue, which other files'
      // schemas being created at the same moment have disturbed (a rare stall, seen once).
      // The end-to-end tests too, but those about the SQLite file itself (backup, read-only file, full disk), the
      // replicas' (PostgreSQL already, in the first pass), Telegram's faults and the browser's page (neither reads
      // the database differently: the dashboard's API runs on PostgreSQL in tests/http/dashboard.test.ts).
      const e2e = files('e2e').filter((f) => !/\/(operations|replicas|faults|dashboard)\.test\.ts$/.test(f));
      failed =
        run(
          [
            '--import',
            'tsx',
            '--test',
            '--test-concurrency=1',
            '--test-timeout=360000',
            ...unitFiles,
            ...files('commands'),
            ...e2e,
          ],
          { LOA_TEST_BACKEND: 'postgres', LOA_TEST_RUN: runId },
        ) !== 0 || failed;
    } finally {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(
        'select schema_name from information_schema.schemata where schema_name like $1',
        [`loa_test_${runId}_%`],
      );
      for (const { schema_name } of rows) await client.query(`drop schema "${schema_name}" cascade`);
      await client.end();
      console.log(`# dropped ${rows.length} test schemas`);
    }
  } else {
    console.log('\n# PostgreSQL tests skipped: set TEST_DATABASE_URL=postgres://… to run the suite on PostgreSQL too');
  }
}
process.exit(failed ? 1 : 0);
