import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { admitBySettings } from '../../src/domain/admission.ts';
import { createDb } from '../../src/db/index.ts';
import { registerGroup } from '../../src/domain/chats.ts';
import { runDailyPush } from '../../src/jobs/push.ts';
import { runDailyLeaderboard } from '../../src/jobs/reports.ts';
import { backend, freshDb } from '../support/database.ts';
import { createHarness, ownersArticle, lastTextTo, people, textsTo, type Harness } from '../support/harness.ts';
import type { SentMessage, TgUser } from '../support/fake-telegram.ts';

// GROUP_ADMISSION=owner (the default): anyone can add a bot to a group, so a group is served only once an owner
// added it, allowed it when asked, or listed it in ALLOWED_GROUP_IDS.

const { owner, leader, alice, bình } = people;
const stranger: TgUser = { id: 6001, first_name: 'Kẻ', last_name: 'Lạ', language_code: 'vi' };
const OURS = -7001; // added by the owner
const THEIRS = -7002; // added by a stranger, allowed by the owner later
const SPAM = -7003; // added by a stranger, refused
const LISTED = -7004; // in ALLOWED_GROUP_IDS

const chatRow = (h: Harness, id: number) =>
  h.db.selectFrom('chats').select(['active', 'admission']).where('id', '=', id).executeTakeFirstOrThrow();

describe('group admission (GROUP_ADMISSION=owner)', () => {
  let h: Harness;
  let request: SentMessage;
  before(async () => {
    h = await createHarness({ env: { GROUP_ADMISSION: 'owner', ALLOWED_GROUP_IDS: String(LISTED) } });
    h.tg.send('private', owner, '/start');
    h.tg.send('private', leader, '/start');
    await h.deliver();
    await ownersArticle(h, 'https://news.example/a', 'Bài chung');
  });
  after(() => h.close());

  it('a group an owner added is served at once', async () => {
    h.tg.addGroup(OURS, 'Chi đoàn 1', [leader], { addedBy: owner, members: [alice] });
    await h.deliver();
    assert.deepEqual(await chatRow(h, OURS), { active: 1, admission: 'allowed' });
    const said = textsTo(h.tg, OURS);
    assert.equal(said.length, 1, 'greeted, and nothing else: no waiting notice');
    assert.match(said[0]!, /Xin chào các bạn! Đây là Loa/);
    h.tg.send(h.tg.chatOf(OURS), alice, '/today');
    await h.deliver();
    assert.match(lastTextTo(h.tg, OURS), /Bài chung/);
  });

  it('a group a stranger added waits: said once in the group, the owner asked with Allow and Leave', async () => {
    const ownerBefore = h.tg.messagesTo(owner.id).length;
    h.tg.addGroup(THEIRS, 'Nhóm «lạ» <b>', [leader], { addedBy: stranger, members: [bình] });
    await h.deliver();
    assert.deepEqual(await chatRow(h, THEIRS), { active: 1, admission: 'waiting' });
    const said = textsTo(h.tg, THEIRS);
    assert.equal(said.length, 1);
    assert.match(said[0]!, /đang chờ người vận hành Loa cho phép/);
    const asked = h.tg.messagesTo(owner.id).slice(ownerBefore);
    assert.equal(asked.length, 1);
    request = asked[0]!;
    assert.match(request.text!, /Kẻ Lạ vừa thêm Loa vào nhóm «Nhóm «lạ» <b>» \(mã nhóm -7002\)/);
    assert.deepEqual(
      request.reply_markup!.inline_keyboard[0]!.map((b) => [b.text, b.callback_data]),
      [
        ['✅ Cho phép', `adm:a:${THEIRS}`],
        ['🚪 Rời nhóm', `adm:l:${THEIRS}`],
      ],
    );
  });

  it('until allowed: no command answered, no press recorded, no push, no leaderboard, no leader rights', async () => {
    const group = h.tg.chatOf(THEIRS);
    h.tg.send(group, bình, '/help');
    h.tg.send(group, bình, '/today');
    h.tg.send(group, leader, '/summary');
    h.tg.send(group, bình, '/shared 1');
    // A forged press on the group's notice: the spinner stops, silently.
    const answers = h.tg.callbackAnswers.length;
    h.tg.press(h.tg.messagesTo(THEIRS)[0]!, bình, 'rec:s:1');
    await h.deliver();
    assert.equal(textsTo(h.tg, THEIRS).length, 1, 'only the one waiting notice');
    assert.equal(h.tg.callbackAnswers.length, answers + 1);
    assert.equal(h.tg.callbackAnswers.at(-1)!.text, undefined);
    const recorded = await h.db.selectFrom('records').select('id').where('chat_id', '=', THEIRS).execute();
    assert.deepEqual(recorded, []);
    // The push and the evening leaderboard go to the served group only.
    await runDailyPush(h.deps);
    await h.deliver();
    assert.equal(textsTo(h.tg, THEIRS).length, 1);
    assert.match(lastTextTo(h.tg, OURS), /Bài chung/);
    // Even with a record there (made some other way), no evening leaderboard goes to it.
    await h.db
      .insertInto('records')
      .values({
        user_id: bình.id,
        chat_id: THEIRS,
        article_id: null,
        kind: 'rebutted',
        link: 'https://x.example/1',
        note: null,
        points: 2,
        created_at: h.clock.now.toISOString(),
      })
      .execute();
    await runDailyLeaderboard(h.deps);
    await h.deliver();
    assert.equal(textsTo(h.tg, THEIRS).length, 1);
    // Its Telegram admin is no Loa leader in private: /summary there names only groups Loa serves.
    h.tg.setAdmins(OURS, [owner]);
    h.tg.send('private', leader, '/summary');
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), /Chỉ quản trị viên/);
  });

  it('Allow: the group is served from then on, greeted, and the notice says who allowed it', async () => {
    h.tg.press(request, owner, `adm:a:${THEIRS}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /đã cho phép Loa hoạt động trong nhóm/);
    assert.deepEqual(await chatRow(h, THEIRS), { active: 1, admission: 'allowed' });
    assert.match(lastTextTo(h.tg, THEIRS), /Xin chào các bạn! Đây là Loa/);
    const edited = h.tg.messagesTo(owner.id).find((m) => m.message_id === request.message_id)!;
    assert.match(edited.text!, /Chủ Bot đã cho phép Loa hoạt động trong nhóm «Nhóm «lạ» <b>»/);
    assert.deepEqual(edited.reply_markup?.inline_keyboard, []);
    h.tg.send(h.tg.chatOf(THEIRS), bình, '/today');
    await h.deliver();
    assert.match(lastTextTo(h.tg, THEIRS), /Bài chung/);
    // A second press (another owner's copy, or this one again) changes nothing.
    h.tg.press(request, owner, `adm:l:${THEIRS}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /đã được quyết định trước đó/);
    assert.equal(h.tg.botIsIn(THEIRS), true);
  });

  it('Leave: Loa leaves the group; re-added by a non-owner, it leaves again without asking', async () => {
    h.tg.addGroup(SPAM, 'Quảng cáo', [], { addedBy: stranger });
    await h.deliver();
    const notice = h.tg.messagesTo(owner.id).at(-1)!;
    assert.match(notice.text!, /Quảng cáo/);
    // Only an owner decides: a forged press by anyone else changes nothing.
    h.tg.press(notice, stranger, `adm:a:${SPAM}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Chỉ người vận hành Loa/);
    assert.equal((await chatRow(h, SPAM)).admission, 'waiting');
    h.tg.press(notice, owner, `adm:l:${SPAM}`);
    await h.deliver();
    assert.equal(h.tg.botIsIn(SPAM), false);
    assert.equal(h.tg.callsOf('leaveChat').length, 1);
    assert.deepEqual(await chatRow(h, SPAM), { active: 0, admission: 'refused' });
    const ownerMessages = h.tg.messagesTo(owner.id).length;
    h.tg.addGroup(SPAM, 'Quảng cáo', [], { addedBy: stranger });
    await h.deliver();
    assert.equal(h.tg.botIsIn(SPAM), false, 'left again');
    assert.equal(h.tg.messagesTo(owner.id).length, ownerMessages, 'the owner is not asked twice');
    assert.equal(textsTo(h.tg, SPAM).length, 1, 'only the first waiting notice, ever');
  });

  it('a group in ALLOWED_GROUP_IDS is served whoever added it', async () => {
    h.tg.addGroup(LISTED, 'Chi đoàn 4', [], { addedBy: stranger, members: [alice] });
    await h.deliver();
    assert.deepEqual(await chatRow(h, LISTED), { active: 1, admission: 'allowed' });
    h.tg.send(h.tg.chatOf(LISTED), alice, '/today');
    await h.deliver();
    assert.match(lastTextTo(h.tg, LISTED), /Bài chung/);
  });

  it('a group Loa first hears of by a message (its arrival missed) waits too, and the owner is asked', async () => {
    const LOST = -7005;
    h.tg.addGroup(LOST, 'Nhóm cũ', [], { announce: false });
    const before = h.tg.messagesTo(owner.id).length;
    h.tg.send(h.tg.chatOf(LOST), alice, '/today');
    await h.deliver();
    assert.equal((await chatRow(h, LOST)).admission, 'waiting');
    assert.match(lastTextTo(h.tg, LOST), /đang chờ/);
    assert.equal(textsTo(h.tg, LOST).length, 1, '/today not answered');
    assert.match(h.tg.messagesTo(owner.id).slice(before)[0]!.text!, /Có người \(Loa chưa rõ là ai\)/);
  });
});

describe('group admission without an owner', () => {
  it('says at start and in each new group that ADMIN_IDS is empty, naming what fixes it', async () => {
    const h = await createHarness({ env: { GROUP_ADMISSION: 'owner', ADMIN_IDS: '' } });
    try {
      assert.ok(
        h.logs.some((l) => /"level":40/.test(l) && /ADMIN_IDS is empty/.test(l) && /ALLOWED_GROUP_IDS/.test(l)),
        'a warning at start',
      );
      h.tg.addGroup(-7101, 'Chi đoàn 9', [leader], { addedBy: leader });
      await h.deliver();
      const said = textsTo(h.tg, -7101);
      assert.equal(said.length, 1);
      assert.match(said[0]!, /thêm mã nhóm -7101 vào ALLOWED_GROUP_IDS/);
      assert.match(said[0]!, /ADMIN_IDS/);
      assert.equal((await chatRow(h, -7101)).admission, 'waiting');
    } finally {
      await h.close();
    }
  });
});

describe('admission in the database', () => {
  it('groups already in a database stay allowed when it is migrated', async (t) => {
    if (backend !== 'sqlite') return t.skip('the migration path is the same SQL on PostgreSQL; checked on SQLite');
    const db = createDb(':memory:');
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    assert.equal((await migrator.migrateTo('0004_replicas')).error, undefined);
    await db
      .insertInto('chats')
      .values({
        id: -1,
        type: 'supergroup',
        title: 'Old',
        active: 1,
        locale: null,
        joined_at: 'x',
        updated_at: 'x',
        migrated_to: null,
      } as never)
      .execute();
    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const row = await db.selectFrom('chats').select('admission').where('id', '=', -1).executeTakeFirstOrThrow();
    assert.equal(row.admission, 'allowed');
    await db.destroy();
  });

  it('at start, GROUP_ADMISSION=open or ALLOWED_GROUP_IDS allow the groups that were waiting', async () => {
    const db = await freshDb();
    const at = new Date('2026-11-30T00:00:00Z');
    for (const [id, admission] of [
      [-1, 'waiting'],
      [-2, 'waiting'],
      [-3, 'refused'],
    ] as const)
      await registerGroup(db, { id, type: 'supergroup' }, at, admission);
    const rules = { adminIds: new Set<number>(), allowedGroupIds: new Set([-2, -3]) };
    assert.deepEqual(
      (await admitBySettings(db, { ...rules, groupAdmission: 'owner' })).sort((a, b) => a - b),
      [-3, -2],
    );
    assert.deepEqual(await admitBySettings(db, { ...rules, groupAdmission: 'open', allowedGroupIds: new Set() }), [-1]);
    await db.destroy();
  });
});
