import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createDb, isPostgresUrl, migrate } from '../db/index.ts';

// npm run db:copy -- --from <sqlite file> --to <postgres url>: moves a unit's whole history to PostgreSQL,
// table by table in key order, then verifies every table by its row count and a checksum of its rows.
// It refuses to write into a database that already holds data.

/** Tables in an order that satisfies their foreign keys, with the columns that order their rows. */
const TABLES: { name: string; key: string[]; identity?: string }[] = [
  { name: 'chats', key: ['id'] },
  { name: 'users', key: ['id'] },
  { name: 'memberships', key: ['chat_id', 'user_id'] },
  { name: 'articles', key: ['id'], identity: 'id' },
  { name: 'records', key: ['id'], identity: 'id' },
  { name: 'job_runs', key: ['job', 'period'] },
  { name: 'group_pushes', key: ['chat_id', 'day'] },
  { name: 'push_items', key: ['chat_id', 'article_id'] },
  { name: 'weekly_summaries', key: ['chat_id', 'week'] },
  { name: 'report_deliveries', key: ['kind', 'period', 'chat_id'] },
  { name: 'processed_updates', key: ['update_id'] },
  { name: 'inbox', key: ['update_id'] },
];

function args(argv: string[]): { from: string; to: string } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const from = get('from');
  const to = get('to');
  if (!from || !to || isPostgresUrl(from) || !isPostgresUrl(to)) {
    console.error('usage: npm run db:copy -- --from <sqlite file> --to <postgres://…>');
    process.exit(2);
  }
  return { from, to };
}

const normalise = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

/** Row count and a SHA-256 over every row, in key order, with values read the same way on both backends. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- copies every table, whatever its columns
async function fingerprint(db: Kysely<any>, table: (typeof TABLES)[number]): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  let q = db.selectFrom(table.name).selectAll();
  for (const k of table.key) q = q.orderBy(k);
  for await (const row of q.stream(1000)) {
    rows += 1;
    const keys = Object.keys(row).sort();
    hash.update(JSON.stringify(keys.map((k) => [k, normalise(row[k])])));
  }
  return { rows, sha256: hash.digest('hex') };
}

async function main(): Promise<void> {
  const { from, to } = args(process.argv.slice(2));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- copies every table, whatever its columns
  const source = createDb(from) as Kysely<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- likewise
  const target = createDb(to) as Kysely<any>;
  try {
    await migrate(source);
    await migrate(target);
    for (const t of TABLES) {
      const row = await target
        .selectFrom(t.name)
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      if (Number(row.n) > 0) {
        console.error(
          `loa: refusing to copy: the target already holds data (${t.name} has ${row.n} rows). Copy into an empty database.`,
        );
        process.exitCode = 4;
        return;
      }
    }
    for (const t of TABLES) {
      let batch: Record<string, unknown>[] = [];
      let q = source.selectFrom(t.name).selectAll();
      for (const k of t.key) q = q.orderBy(k);
      await target.transaction().execute(async (tx) => {
        for await (const row of q.stream(1000)) {
          batch.push(row);
          if (batch.length === 500) {
            await tx.insertInto(t.name).values(batch).execute();
            batch = [];
          }
        }
        if (batch.length > 0) await tx.insertInto(t.name).values(batch).execute();
        // Identity columns continue after the copied ids.
        if (t.identity)
          await sql`select setval(pg_get_serial_sequence(${t.name}, ${t.identity}), coalesce((select max(${sql.ref(t.identity)}) from ${sql.table(t.name)}), 0) + 1, false)`.execute(
            tx,
          );
      });
    }
    let ok = true;
    console.log('table               rows        sha256 (first 16)   verified');
    for (const t of TABLES) {
      const [a, b] = await Promise.all([fingerprint(source, t), fingerprint(target, t)]);
      const same = a.rows === b.rows && a.sha256 === b.sha256;
      ok &&= same;
      console.log(
        `${t.name.padEnd(20)}${String(a.rows).padStart(8)}    ${a.sha256.slice(0, 16)}    ${same ? 'yes' : `NO (target: ${b.rows} rows, ${b.sha256.slice(0, 16)})`}`,
      );
    }
    if (!ok) {
      console.error('loa: the copy does not match the source; do not switch DATABASE_URL to it');
      process.exitCode = 5;
      return;
    }
    console.log('copied and verified: every table has the same rows and checksum in PostgreSQL');
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`loa: db:copy failed: ${(err as Error).message}`);
  process.exit(3);
});
