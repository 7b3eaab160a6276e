import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, people, type Harness } from '../support/harness.ts';
import { postArticle, submitArticle } from '../../src/domain/articles.ts';
import { recordAction } from '../../src/domain/records.ts';
import type { TgUser } from '../support/fake-telegram.ts';
import { commandMenus } from '../../commands/index.ts';

// Every privileged command against every role, in the group and in private: allowed or refused.

const { owner, leader, otherLeader, bình } = people;
const G = -9801;
const OTHER = -9802;
const stranger: TgUser = { id: 3900, first_name: 'Người', last_name: 'Lạ' };
const otherMember: TgUser = { id: 3901, first_name: 'Thành viên', last_name: 'Nhóm Khác' };
const roles = { owner, leaderHere: leader, leaderElsewhere: otherLeader, member: bình, stranger } as const;
type RoleName = keyof typeof roles;
type Where = 'group' | 'private';

const REFUSED = /Chỉ quản trị viên|Chỉ người vận hành Loa|thuộc nhóm khác|gửi lệnh này trong nhóm|nhắn riêng lệnh/;

interface Row {
  command: string;
  /** Builds the command text (may create the article it acts on). */
  text: (h: Harness) => Promise<string>;
  /** Who may, in the group and in private. */
  allowed: Record<Where, RoleName[]>;
  /** What an allowed answer looks like. */
  ok: RegExp;
}

let seq = 0;
const pendingInG = async (h: Harness) =>
  (
    await submitArticle(
      h.db,
      { url: `https://a.example/p${++seq}`, title: `P${seq}`, proposedBy: bình.id, proposedIn: G, scopeChatId: G },
      h.clock.now,
    )
  ).id;
const approvedInG = async (h: Harness) => {
  const r = await postArticle(
    h.db,
    { url: `https://a.example/a${++seq}`, title: `A${seq}`, proposedBy: leader.id, proposedIn: G, scopeChatId: G },
    '2026-11-30',
    h.clock.now,
  );
  assert.ok(r.ok);
  return r.article.id;
};

const rows: Row[] = [
  {
    command: 'approve',
    text: async (h) => `/approve ${await pendingInG(h)}`,
    allowed: { group: ['owner', 'leaderHere'], private: ['owner', 'leaderHere'] },
    ok: /Đã duyệt/,
  },
  {
    command: 'reject',
    text: async (h) => `/reject ${await pendingInG(h)} không hợp`,
    allowed: { group: ['owner', 'leaderHere'], private: ['owner', 'leaderHere'] },
    ok: /Đã từ chối/,
  },
  {
    command: 'archive',
    text: async (h) => `/archive ${await approvedInG(h)}`,
    allowed: { group: ['owner', 'leaderHere'], private: ['owner', 'leaderHere'] },
    ok: /Đã rút/,
  },
  {
    command: 'post',
    text: async () => `/post https://a.example/post${++seq} Bài`,
    allowed: { group: ['owner', 'leaderHere'], private: ['owner'] },
    ok: /Đã thêm/,
  },
  {
    command: 'queue',
    text: async (h) => (await pendingInG(h), '/queue'),
    allowed: { group: ['owner', 'leaderHere'], private: ['owner', 'leaderHere', 'leaderElsewhere'] },
    ok: /Đang chờ duyệt|Không có đề xuất/,
  },
  {
    command: 'push',
    text: async (h) => (await approvedInG(h), '/push'),
    allowed: { group: ['owner', 'leaderHere'], private: ['owner'] },
    ok: /📣|Đang gửi|đã được gửi/,
  },
  {
    command: 'summary',
    text: async () => '/summary',
    allowed: { group: ['owner', 'leaderHere'], private: ['owner', 'leaderHere', 'leaderElsewhere'] },
    ok: /Tổng kết|Các nhóm của bạn/,
  },
  {
    command: 'coverage',
    text: async (h) => (await approvedInG(h), '/coverage'),
    allowed: { group: ['owner', 'leaderHere'], private: ['owner', 'leaderHere', 'leaderElsewhere'] },
    ok: /Tình hình hưởng ứng/,
  },
  {
    command: 'campaign',
    text: async () => `/campaign new c${++seq}`,
    allowed: { group: ['owner', 'leaderHere'], private: ['owner', 'leaderHere', 'leaderElsewhere'] },
    ok: /Đã tạo chiến dịch/,
  },
  {
    command: 'target',
    // A new figure each time: the same answer twice within a minute goes out once in a group.
    text: async () => `/target ${10 + (++seq % 90)}`,
    allowed: { group: ['owner', 'leaderHere'], private: ['owner', 'leaderHere', 'leaderElsewhere'] },
    ok: /Đã đặt chỉ tiêu tham gia hằng tuần: \d+%/,
  },
  {
    command: 'export',
    text: async () => '/export week',
    allowed: { group: [], private: ['owner', 'leaderHere', 'leaderElsewhere'] },
    ok: /\d+ lượt/,
  },
  {
    command: 'dashboard',
    text: async () => '/dashboard',
    allowed: { group: [], private: ['owner', 'leaderHere', 'leaderElsewhere'] },
    // The harness sets no WEB_APP_URL: a leader is told how to turn it on (tests/http/dashboard.test.ts has the button).
    ok: /WEB_APP_URL/,
  },
  {
    command: 'remind',
    text: async () => '/remind on',
    allowed: {
      group: [],
      private: ['owner', 'leaderHere', 'leaderElsewhere', 'member', 'stranger'],
    },
    ok: /Đã bật nhắc việc/,
  },
  {
    command: 'lang',
    text: async () => '/lang vi',
    allowed: {
      group: ['owner', 'leaderHere'],
      private: ['owner', 'leaderHere', 'leaderElsewhere', 'member', 'stranger'],
    },
    ok: /tiếng Việt/,
  },
];

describe('access: every privileged command against every role', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
    h.tg.addGroup(G, 'Nhóm Một', [leader]);
    h.tg.addGroup(OTHER, 'Nhóm Hai', [otherLeader]);
    for (const u of Object.values(roles)) h.tg.send('private', u, '/start');
    h.tg.send(h.tg.chatOf(G), leader, 'chào');
    h.tg.send(h.tg.chatOf(G), bình, 'chào');
    h.tg.send(h.tg.chatOf(OTHER), otherLeader, 'chào');
    h.tg.send(h.tg.chatOf(OTHER), otherMember, 'chào');
    await h.deliver();
    await recordAction(
      h.db,
      { userId: bình.id, chatId: G, articleId: undefined, kind: 'rebutted', link: 'https://s.example/g' },
      h.config,
      h.clock.now,
    );
    await recordAction(
      h.db,
      { userId: otherMember.id, chatId: OTHER, articleId: undefined, kind: 'rebutted', link: 'https://s.example/o' },
      h.config,
      h.clock.now,
    );
  });
  after(() => h.close());

  for (const row of rows) {
    for (const where of ['group', 'private'] as const) {
      for (const role of Object.keys(roles) as RoleName[]) {
        const allowed = row.allowed[where].includes(role);
        it(`/${row.command} in ${where} by ${role}: ${allowed ? 'allowed' : 'refused'}`, async () => {
          const user = roles[role];
          const text = await row.text(h);
          const before = h.tg.messages.length;
          h.tg.send(where === 'group' ? h.tg.chatOf(G) : 'private', user, text);
          await h.deliver();
          const said = h.tg.messages
            .slice(before)
            .filter((m) => m.chat.id === G || m.chat.id === user.id)
            .map((m) => m.text ?? m.caption ?? '');
          if (allowed) {
            assert.ok(
              said.some((s) => row.ok.test(s)),
              `expected ${row.ok} in ${JSON.stringify(said).slice(0, 300)}`,
            );
            assert.ok(
              said.every((s) => !REFUSED.test(s)),
              `unexpected refusal: ${JSON.stringify(said).slice(0, 300)}`,
            );
          } else {
            assert.ok(
              said.some((s) => REFUSED.test(s)),
              `expected a refusal in ${JSON.stringify(said).slice(0, 300)}`,
            );
          }
        });
      }
    }
  }

  it("a leader's view of their group never shows another group's member names", async () => {
    for (const text of ['/summary week', '/leaderboard week']) {
      const before = h.tg.messages.length;
      h.tg.send('private', otherLeader, text);
      await h.deliver();
      const said = h.tg.messages
        .slice(before)
        .map((m) => m.text ?? '')
        .join('\n');
      assert.doesNotMatch(said, /Bình|Nhóm Một/);
    }
    const before = h.tg.messages.length;
    h.tg.send('private', otherLeader, '/export week');
    await h.deliver();
    const doc = h.tg.messages.slice(before).find((m) => m.method === 'sendDocument');
    assert.ok(doc);
    const csv = doc.document!.bytes.toString('utf8');
    assert.match(csv, /Nhóm Khác/);
    assert.doesNotMatch(csv, /Bình|Nhóm Một/);
  });

  it('admin rights are checked with Telegram at the time of the action: a demoted leader loses them within the cache TTL', async () => {
    const id1 = await pendingInG(h);
    h.tg.send(h.tg.chatOf(G), leader, `/approve ${id1}`);
    await h.deliver();
    h.tg.setAdmins(G, []); // demoted in Telegram
    h.clock.now = new Date(h.clock.now.getTime() + (h.config.adminCacheSeconds + 1) * 1000);
    const id2 = await pendingInG(h);
    h.tg.send(h.tg.chatOf(G), leader, `/approve ${id2}`);
    await h.deliver();
    assert.match(
      h.tg.messagesTo(leader.id).at(-1)?.text ?? '',
      /Chỉ quản trị viên/,
      'told privately: they started the bot',
    );
    const state = await h.db.selectFrom('articles').select('state').where('id', '=', id2).executeTakeFirstOrThrow();
    assert.equal(state.state, 'pending');
    h.tg.setAdmins(G, [leader]);
    h.deps.roles.invalidate(G);
  });
});

describe('menus: each role’s menu lists what works for it where it shows', () => {
  const privileged = rows.filter((r) => !(commandMenus.members as readonly string[]).includes(r.command));
  const listed = (menu: readonly string[], where: Where, role: RoleName) =>
    [
      menu.filter((c) => privileged.some((r) => r.command === c)).sort(),
      privileged
        .filter((r) => r.allowed[where].includes(role))
        .map((r) => r.command)
        .sort(),
    ] as const;

  it('leaders in their groups: every command a leader may use there, and no other', () => {
    assert.deepEqual(...listed(commandMenus.leadersInGroups, 'group', 'leaderHere'));
  });
  it('a leader’s private chat, and an owner’s', () => {
    assert.deepEqual(...listed(commandMenus.leadersInPrivate, 'private', 'leaderHere'));
    assert.deepEqual(...listed(commandMenus.ownersInPrivate, 'private', 'owner'));
  });

  it('publishes a leader’s and an owner’s private menu when Loa learns their role, and takes it away after', async () => {
    const h = await createHarness();
    try {
      h.tg.addGroup(G, 'Nhóm Một', [leader]);
      h.tg.send(h.tg.chatOf(G), leader, 'chào');
      h.tg.send(h.tg.chatOf(G), bình, 'chào');
      for (const u of [owner, leader, bình]) h.tg.send('private', u, '/start');
      await h.deliver();
      const menuOf = (userId: number) =>
        h.tg
          .callsOf('setMyCommands')
          .filter((c) => c.payload.scope?.type === 'chat' && c.payload.scope.chat_id === userId);
      await h.tg.waitFor(() => menuOf(owner.id).length >= 3 && menuOf(leader.id).length >= 3, 5000, 'the menus');
      const commandsOf = (userId: number, language: string) =>
        menuOf(userId)
          .filter((c) => c.payload.language_code === language)
          .at(-1)!
          .payload.commands.map((x: { command: string }) => x.command);
      assert.ok(commandsOf(owner.id, 'vi').includes('push'));
      assert.ok(commandsOf(leader.id, 'en').includes('export'));
      assert.ok(!commandsOf(leader.id, 'en').includes('push'), 'a leader pushes in the group, not in private');
      assert.equal(menuOf(bình.id).length, 0, 'a member keeps the default menu');
      const vi = menuOf(leader.id).find((c) => c.payload.language_code === 'vi')!;
      assert.match(
        vi.payload.commands.find((x: { command: string }) => x.command === 'summary').description,
        /Tổng kết/i,
      );

      // No longer an admin: once the cached admin list runs out, the next /help takes the leader's menu away.
      h.tg.setAdmins(G, []);
      h.clock.now = new Date(h.clock.now.getTime() + 10 * 60_000);
      h.tg.send('private', leader, '/help');
      await h.deliver();
      await h.tg.waitFor(
        () =>
          h.tg
            .callsOf('deleteMyCommands')
            .some((c) => c.payload.scope?.type === 'chat' && c.payload.scope.chat_id === leader.id),
        5000,
        'the leader’s menu taken away',
      );
    } finally {
      await h.close();
    }
  });
});
