import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, lastTextTo, people, textsTo, type Harness } from '../support/harness.ts';

const { owner, leader, alice, bình } = people;

describe('foundation commands', () => {
  let h: Harness;
  const GROUP = -1001;
  before(async () => {
    h = await createHarness();
    h.tg.addGroup(GROUP, 'Chi đoàn <A> & "B"', [leader]);
    await h.deliver();
  });
  after(() => h.close());

  it('registers a group when the bot is added', async () => {
    const row = await h.db.selectFrom('chats').selectAll().where('id', '=', GROUP).executeTakeFirstOrThrow();
    assert.equal(row.active, 1);
    assert.equal(row.title, 'Chi đoàn <A> & "B"');
  });

  it('/start in private registers the user and explains, in their language', async () => {
    h.tg.send('private', alice, '/start');
    await h.deliver();
    const text = lastTextTo(h.tg, alice.id);
    assert.match(text, /I am Loa/);
    assert.match(text, /Shared/);
    const user = await h.db.selectFrom('users').selectAll().where('id', '=', alice.id).executeTakeFirstOrThrow();
    assert.equal(user.started, 1);
  });

  it('/start in private speaks Vietnamese to a Vietnamese user', async () => {
    h.tg.send('private', bình, '/start');
    await h.deliver();
    assert.match(lastTextTo(h.tg, bình.id), /Đây là <?b?>?Loa/);
  });

  it('anyone who writes to Loa in private may be written to privately, /start or not; a 403 takes it back', async () => {
    // Started Loa before this database was restored: Telegram lets them write, the database does not know.
    const carol = { id: 2345, first_name: 'Carol', language_code: 'en' };
    h.tg.markStarted(carol.id);
    h.tg.send(h.tg.chatOf(GROUP), carol, 'hello all');
    h.tg.send('private', carol, 'hello Loa');
    await h.deliver();
    const started = async () =>
      (await h.db.selectFrom('users').select('started').where('id', '=', carol.id).executeTakeFirstOrThrow()).started;
    assert.equal(await started(), 1);
    // Her mistake in the group is answered to her alone.
    const inGroup = h.tg.messagesTo(GROUP).length;
    h.tg.send(h.tg.chatOf(GROUP), carol, '/shared');
    await h.deliver();
    assert.match(lastTextTo(h.tg, carol.id), /\/shared/);
    assert.equal(h.tg.messagesTo(GROUP).length, inGroup);
    // She blocks Loa: the private answer is refused (403), so this one goes to the group, and the next too.
    h.tg.block(carol.id);
    h.tg.send(h.tg.chatOf(GROUP), carol, '/shared');
    await h.deliver();
    assert.equal(await started(), 0);
    assert.equal(h.tg.messagesTo(GROUP).length, inGroup + 1);
  });

  it('/help in the group lists member commands for a member, leader commands for a leader', async () => {
    const group = h.tg.chatOf(GROUP);
    h.tg.send(group, bình, '/help');
    await h.deliver();
    const memberHelp = lastTextTo(h.tg, GROUP);
    assert.match(memberHelp, /\/today/);
    assert.doesNotMatch(memberHelp, /\/approve/);
    h.tg.send(group, leader, '/help@loa_test_bot');
    await h.deliver();
    const leaderHelp = lastTextTo(h.tg, GROUP);
    assert.match(leaderHelp, /\/approve/);
    assert.match(leaderHelp, /quản trị viên nhóm/);
  });

  it('/help for an owner in private includes the owner commands', async () => {
    h.tg.send('private', owner, '/start');
    h.tg.send('private', owner, '/help');
    await h.deliver();
    assert.match(lastTextTo(h.tg, owner.id), /\/push/);
  });

  it('ignores a command addressed to another bot', async () => {
    const before = h.tg.messagesTo(GROUP).length;
    h.tg.send(h.tg.chatOf(GROUP), bình, '/help@some_other_bot');
    await h.deliver();
    assert.equal(h.tg.messagesTo(GROUP).length, before);
  });

  it('remembers members seen in the group, with names kept current', async () => {
    h.tg.send(h.tg.chatOf(GROUP), { ...bình, first_name: 'Bình2' }, 'xin chào');
    await h.deliver();
    const m = await h.db
      .selectFrom('memberships')
      .selectAll()
      .where('chat_id', '=', GROUP)
      .where('user_id', '=', bình.id)
      .executeTakeFirst();
    assert.ok(m);
    const u = await h.db.selectFrom('users').selectAll().where('id', '=', bình.id).executeTakeFirstOrThrow();
    assert.equal(u.first_name, 'Bình2');
  });

  it('marks the group inactive when the bot is removed, and stays silent there', async () => {
    const G2 = -1002;
    h.tg.addGroup(G2, 'Tạm', [leader]);
    await h.deliver();
    h.tg.kick(G2);
    await h.deliver();
    const row = await h.db.selectFrom('chats').select('active').where('id', '=', G2).executeTakeFirstOrThrow();
    assert.equal(row.active, 0);
  });

  it('an error while handling one update is logged with its id and the next update is served', async () => {
    // A database failure inside a handler: break the users table for one update.
    await h.db.schema.alterTable('users').renameTo('users_away').execute();
    const id = h.tg.send('private', alice, '/me');
    await h.deliver();
    await h.db.schema.alterTable('users_away').renameTo('users').execute();
    assert.ok(
      h.logs.some((l) => l.includes('"updateId":' + id)),
      'the error is logged with the update id',
    );
    h.tg.send('private', alice, '/help');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /Loa commands/);
    assert.ok(
      textsTo(h.tg, alice.id).every((t) => !/at .*\.ts:\d+/.test(t)),
      'no stack trace reaches a user',
    );
  });

  it('never logs the token', () => {
    assert.ok(h.logs.length > 0);
    assert.ok(h.logs.every((l) => !l.includes(h.config.botToken)));
  });
});
