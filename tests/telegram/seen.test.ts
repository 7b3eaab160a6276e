import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoaContext } from '../../src/telegram/context.ts';
import { SeenCache } from '../../src/telegram/seen.ts';

// What Loa remembers of whom it wrote down, and the work updates handled side by side share (see SeenCache).

/** The little of an update's context SeenCache reads: whether it is in a transaction, and its commit hook. */
function context(inTransaction = false): LoaContext & { commits: (() => void)[] } {
  const commits: (() => void)[] = [];
  return {
    db: { isTransaction: inTransaction },
    afterCommit: (fn: () => void) => (inTransaction ? commits.push(fn) : fn()),
    commits,
  } as unknown as LoaContext & { commits: (() => void)[] };
}

const alice = { first_name: 'Alice' };

describe('SeenCache', () => {
  it('updates side by side writing the same person share one write; a later one writes nothing', async () => {
    const seen = new SeenCache();
    let writes = 0;
    const write = async () => {
      writes += 1;
      await new Promise((r) => setTimeout(r, 10));
    };
    await Promise.all(Array.from({ length: 8 }, () => seen.once(context(), 'p:1', alice, write)));
    assert.equal(writes, 1);
    await seen.once(context(), 'p:1', alice, write);
    assert.equal(writes, 1, 'written a moment ago, with the same name');
    await seen.once(context(), 'p:1', { first_name: 'Alicia' }, write);
    assert.equal(writes, 2, 'a new name is written');
  });

  it('inside a transaction each update does its own work: another’s is not committed, and may roll back', async () => {
    const seen = new SeenCache();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 10));
      return runs;
    };
    await Promise.all([seen.together(context(true), 'k', work), seen.together(context(true), 'k', work)]);
    assert.equal(runs, 2);
    const tx = context(true);
    await seen.once(tx, 'p:2', alice, async () => undefined);
    let again = 0;
    await seen.once(context(), 'p:2', alice, async () => void (again += 1));
    assert.equal(again, 1, 'not remembered before its transaction commits');
  });

  it('when the shared work fails, each waiter runs its own, and the first caller sees the failure', async () => {
    const seen = new SeenCache();
    let runs = 0;
    const results = await Promise.allSettled([
      seen.together(context(), 'k', async () => {
        runs += 1;
        await new Promise((r) => setTimeout(r, 10));
        throw new Error('database is locked');
      }),
      seen.together(context(), 'k', async () => {
        runs += 1;
        return 'second';
      }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled'],
    );
    assert.equal(runs, 2, 'the waiter ran its own work once the shared one failed');
  });
});
