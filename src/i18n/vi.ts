import { escapeHtml as h } from '../render/html.ts';
import type { Messages } from './en.ts';

// Danh mục tiếng Việt: ngôn ngữ mặc định của Loa. Same keys as en.ts (the Messages type checks it).

export const vi: Messages = {
  locale: 'vi',
  languageName: 'Tiếng Việt',

  startPrivate: (name: string) =>
    `Xin chào ${h(name)}! Tôi là <b>Loa</b>, chiếc loa của đơn vị bạn.\n\n` +
    `Mỗi sáng tôi đăng vào nhóm những bài viết đã được lãnh đạo duyệt, dưới mỗi bài có hai nút: ` +
    `<b>✅ Đã chia sẻ</b> khi bạn đã chia sẻ bài trên tài khoản của mình, <b>🛡 Đã phản bác</b> khi bạn đã phản bác một thông tin sai lệch. ` +
    `Tôi ghi điểm và đăng bảng xếp hạng mỗi tối.\n\n` +
    `Vì bạn đã bắt đầu trò chuyện với tôi, tôi có thể trả lời riêng bạn ở đây thay vì trong nhóm. Gửi /help để xem các lệnh.`,
  startGroup: `Xin chào! Tôi là <b>Loa</b>. Mỗi sáng tôi sẽ đăng các bài viết đã duyệt trong ngày vào đây. Gửi /help để xem tôi làm được gì.`,
  helpTitle: (role) =>
    `<b>Các lệnh của Loa</b> (${role === 'owner' ? 'quản trị bot' : role === 'leader' ? 'lãnh đạo' : 'thành viên'})`,
  helpMember: [
    '/today — các bài hôm nay, kèm nút bấm',
    '/articles [YYYY-MM-DD] — các bài đã duyệt của một ngày',
    '/shared &lt;số&gt; [link] — ghi nhận bạn đã chia sẻ bài #số',
    '/rebutted [số] &lt;link&gt; [ghi chú] — ghi nhận bài phản bác bạn đã đăng',
    '/undo — xoá lần ghi nhận gần nhất (trong 24 giờ)',
    '/me — số lần chia sẻ, phản bác, điểm và chuỗi ngày của bạn',
    '/leaderboard [day|week|month|all] — mười người dẫn đầu nhóm (hoặc /top)',
    '/submit &lt;url&gt; [tiêu đề] — đề xuất một bài cho lãnh đạo',
    '/lang vi|en — ngôn ngữ tôi dùng với bạn (trong chat riêng)',
    '/help — danh sách này',
  ],
  helpLeader: [
    '/approve &lt;số&gt; [YYYY-MM-DD] — duyệt đề xuất cho một ngày (mặc định hôm nay)',
    '/reject &lt;số&gt; [lý do] — từ chối đề xuất',
    '/post &lt;url&gt; [tiêu đề] [--date YYYY-MM-DD] — thêm bài đã duyệt',
    '/queue — các đề xuất đang chờ duyệt',
    '/archive &lt;số&gt; — rút một bài',
    '/push — gửi ngay các bài hôm nay vào nhóm này',
    '/summary [week|lastweek|month|lastmonth|từ đến] — tổng kết của nhóm; trong chat riêng: các nhóm của bạn',
    '/export [kỳ] — xuất ghi nhận ra bảng tính (CSV), trong chat riêng',
    '/lang vi|en — ngôn ngữ của nhóm',
  ],
  helpOwner: ['/push trong chat riêng — gửi ngay các bài hôm nay tới mọi nhóm'],
  helpFooter: (shared, rebutted) => `Điểm: mỗi lần chia sẻ được ${shared}, mỗi lần phản bác được ${rebutted}.`,
  commandDescriptions: {
    today: 'Các bài hôm nay',
    articles: 'Các bài đã duyệt của một ngày',
    shared: 'Ghi nhận đã chia sẻ',
    rebutted: 'Ghi nhận phản bác kèm link',
    undo: 'Xoá lần ghi nhận gần nhất',
    me: 'Thành tích và chuỗi ngày của bạn',
    submit: 'Đề xuất một bài',
    help: 'Tôi làm được gì',
    approve: 'Duyệt đề xuất',
    reject: 'Từ chối đề xuất',
    post: 'Thêm bài đã duyệt',
    queue: 'Đề xuất đang chờ',
    archive: 'Rút một bài',
    push: 'Gửi ngay các bài hôm nay',
    leaderboard: 'Mười người dẫn đầu nhóm',
    summary: 'Tổng kết cho lãnh đạo',
    export: 'Xuất ghi nhận ra CSV',
    lang: 'Ngôn ngữ',
  },

  leadersOnly: 'Chỉ lãnh đạo của nhóm này (quản trị viên Telegram của nhóm) mới làm được việc này.',
  ownersOnly: 'Chỉ người quản trị bot mới làm được việc này.',
  groupOnly: 'Hãy gửi lệnh này trong nhóm của bạn.',
  noUserToCredit:
    'Tôi không biết ai gửi lệnh này (một kênh hoặc quản trị viên ẩn danh), nên không có ai để ghi nhận. Hãy gửi từ tài khoản của chính bạn.',
  tooFast: 'Bạn gửi lệnh quá nhanh. Tôi sẽ tạm bỏ qua bạn trong một phút.',
  somethingWentWrong: 'Có lỗi ở phía tôi; chưa có gì thay đổi. Vui lòng thử lại sau ít phút.',
  cannotCheckAdmins:
    'Tôi chưa kiểm tra được danh sách quản trị viên của nhóm với Telegram. Vui lòng thử lại sau ít phút.',

  usage: {
    submit: 'Cách dùng: /submit &lt;url&gt; [tiêu đề]',
    approve: 'Cách dùng: /approve &lt;số&gt; [YYYY-MM-DD]',
    reject: 'Cách dùng: /reject &lt;số&gt; [lý do]',
    post: 'Cách dùng: /post &lt;url&gt; [tiêu đề] [--date YYYY-MM-DD]',
    archive: 'Cách dùng: /archive &lt;số&gt;',
    articles: 'Cách dùng: /articles [YYYY-MM-DD]',
    shared: 'Cách dùng: /shared &lt;số&gt; [link] — hoặc trả lời (reply) tin nhắn bài viết của tôi bằng /shared',
    rebutted: 'Cách dùng: /rebutted [số] &lt;link&gt; [ghi chú]',
  },

  badUrl: (problem) =>
    problem === 'not_http'
      ? 'Chỉ chấp nhận link bắt đầu bằng http:// hoặc https://.'
      : problem === 'too_long'
        ? 'Link quá dài (tối đa 2.048 ký tự).'
        : 'Đây không phải là một link hợp lệ. Hãy gửi địa chỉ đầy đủ, bắt đầu bằng https://',
  badId: (text) => `“${h(text)}” không phải là số của bài viết. Số bài viết có dạng 12 hoặc #12.`,
  badDate: (text) => `“${h(text)}” không phải là ngày. Hãy dùng dạng YYYY-MM-DD, ví dụ 2026-12-01.`,
  pastDate: 'Ngày đó đã qua; hãy chọn hôm nay hoặc một ngày sau.',
  titleTooLong: 'Tiêu đề quá dài (tối đa 300 ký tự).',
  noteTooLong: 'Ghi chú quá dài (tối đa 500 ký tự).',

  unknownArticle: (id) => `Không có bài #${id}.`,
  archivedArticle: (id) => `Bài #${id} đã bị rút.`,
  unapprovedArticle: (id) => `Bài #${id} chưa được duyệt.`,
  alreadyRejected: (id) => `Bài #${id} đã bị từ chối trước đó.`,
  duplicateArticle: (id, day) => `Link này đã được duyệt cho ngày ${day} với số #${id}.`,
  notYourArticle: (id) => `Bài #${id} thuộc nhóm khác; lãnh đạo nhóm đó hoặc người quản trị bot sẽ quyết định.`,
  submitted: (id) => `Cảm ơn bạn! Đề xuất của bạn là #${id}; lãnh đạo đã được báo.`,
  newProposal: (id, title, url, who, where) =>
    `📝 Đề xuất mới <b>#${id}</b> của ${h(who)} trong ${h(where)}:\n<a href="${h(url)}">${h(title)}</a>`,
  privateChat: 'chat riêng',
  approved: (id, day) => `✅ Đã duyệt #${id} cho ngày ${day}.`,
  approvedYours: (id, title, day) => `✅ Đề xuất #${id} “${h(title)}” của bạn đã được duyệt cho ngày ${day}.`,
  rejected: (id) => `❌ Đã từ chối #${id}.`,
  rejectedYours: (id, title, reason) =>
    `❌ Đề xuất #${id} “${h(title)}” của bạn chưa được duyệt.${reason ? `\nLý do: ${h(reason)}` : ''}`,
  posted: (id, day) => `✅ Đã thêm #${id} cho ngày ${day}.`,
  archivedDone: (id) => `🗄 Đã rút #${id}. Bài sẽ không được gửi hay liệt kê nữa; các lần ghi nhận đã có vẫn được giữ.`,
  decidedBy: (what, who) => `— ${what === 'approved' ? 'đã duyệt' : 'đã từ chối'} bởi ${h(who)}`,
  queueEmpty: 'Không có đề xuất nào đang chờ. 🎉',
  queueTitle: (n) => `<b>Đang chờ duyệt</b> (${n}):`,
  noArticles: (day) => `Chưa có bài nào được duyệt cho ngày ${day}.`,
  articlesTitle: (day) => `<b>Các bài ngày ${day}</b>`,
  pushTitle: (day) =>
    `📣 <b>Bài viết hôm nay</b> — ${day}\nHãy chia sẻ trên tài khoản của bạn, rồi bấm nút để ghi nhận.`,
  pushMoreTitle: (day) => `📣 <b>Thêm một bài cho hôm nay</b> — ${day}`,
  pushContinued: (day) => `📣 <b>Bài viết hôm nay</b> (tiếp) — ${day}`,
  buttonShared: '✅ Đã chia sẻ',
  buttonRebutted: '🛡 Đã phản bác',
  buttonApprove: '✅ Duyệt',
  buttonReject: '❌ Từ chối',
  pushNothingToday: 'Hôm nay chưa có bài nào được duyệt, nên chưa có gì để gửi.',
  pushAlreadyDone: 'Các bài hôm nay đã được gửi vào nhóm này rồi.',
  pushAlreadyDoneAll: 'Các bài hôm nay đã được gửi tới mọi nhóm; bài nào duyệt thêm sẽ tự động được gửi tiếp.',
  pushStarted: (groups) => `📣 Đang gửi các bài hôm nay tới ${groups} nhóm.`,
  pushDoneGroup: 'Đã gửi.',
  todayEmpty: 'Hôm nay chưa có bài nào được duyệt.',

  recordedShared: (id) => `✅ Đã ghi nhận: bạn đã chia sẻ #${id}. Cảm ơn bạn!`,
  recordedRebutted: (id) =>
    `🛡 Đã ghi nhận bạn phản bác #${id}. Thêm link bài phản bác bằng /rebutted ${id} &lt;link&gt;`,
  recordedRebuttedToast: (id) => `🛡 Đã ghi nhận bạn phản bác #${id}. Thêm link: /rebutted ${id} &lt;link&gt;`,
  recordedSharedToast: (id) => `✅ Đã ghi nhận: bạn đã chia sẻ #${id}. Cảm ơn bạn!`,
  recordedRebuttalLink: (id) =>
    id ? `🛡 Đã ghi nhận bài phản bác #${id} của bạn, kèm link.` : '🛡 Đã ghi nhận bài phản bác của bạn, kèm link.',
  alreadyRecorded: 'Đã ghi nhận trước đó — không có gì thay đổi.',
  alreadyRecordedToast: 'Đã ghi nhận trước đó — không có gì thay đổi.',
  staleButton: 'Nút này không còn hiệu lực.',
  whichArticle: (ids) =>
    `Tin nhắn đó có nhiều bài. Bạn muốn ghi nhận bài nào? ${ids.map((i) => `/shared ${i}`).join(' · ')}`,
  undoNone: 'Bạn không có lần ghi nhận nào trong 24 giờ qua để xoá.',
  undone: (kind, id, link) =>
    `↩️ Đã xoá lần ghi nhận gần nhất: ${kind === 'shared' ? 'chia sẻ' : 'phản bác'}${id ? ` bài #${id}` : ''}${link ? ` (${h(link)})` : ''}.`,
  me: (p) =>
    [
      `<b>${h(p.name)}</b>`,
      `Tuần này: ${fmtTally(p.week)}`,
      `Tháng này: ${fmtTally(p.month)}`,
      `Tất cả: ${fmtTally(p.all)}`,
      p.groupTitle !== null
        ? p.rank
          ? `Hạng trong ${h(p.groupTitle)} tuần này: <b>${p.rank}</b>`
          : `Tuần này bạn chưa có hạng trong ${h(p.groupTitle)}.`
        : '',
      `Chuỗi ngày: ${p.streak} ngày${p.streak >= 3 ? ' 🔥' : ''}`,
    ]
      .filter(Boolean)
      .join('\n'),

  reports: {
    periodName: {
      day: 'hôm nay',
      week: 'tuần này',
      month: 'tháng này',
      all: 'từ trước tới nay',
      lastweek: 'tuần trước',
      lastmonth: 'tháng trước',
      range: 'khoảng thời gian này',
    },
    leaderboardTitle: (period, range) => `🏆 <b>Bảng xếp hạng — ${period}</b>${range ? ` (${range})` : ''}`,
    leaderboardEmpty: (period) =>
      `Chưa có ghi nhận nào ${period}. Hãy là người đầu tiên: bấm ✅ Đã chia sẻ dưới một bài viết.`,
    leaderboardHeader: 'Hạng · Tên · ✅ chia sẻ · 🛡 phản bác · điểm',
    yourRow: 'Vị trí của bạn:',
    dailyTitle: (day) => `🌙 <b>Bảng xếp hạng hôm nay</b> — ${day}`,
    groupsTitle: (period, range) => `🏆 <b>Các nhóm — ${period}</b>${range ? ` (${range})` : ''}`,
    groupsHeader: 'Nhóm · tham gia/thành viên (tỷ lệ) · ✅ · 🛡 · điểm mỗi thành viên',
    noGroups: 'Bạn không phải lãnh đạo của nhóm nào Loa đang phục vụ.',
    summaryTitle: (group, range) => `📊 <b>Tổng kết — ${h(group)}</b>\n${range}`,
    weeklyTitle: (group, range) => `📊 <b>Tổng kết tuần — ${h(group)}</b>\n${range}`,
    rollupTitle: (range) => `📊 <b>Các nhóm của bạn — tổng kết tuần</b>\n${range}`,
    rollupTitleAny: (range) => `📊 <b>Các nhóm của bạn</b>\n${range}`,
    articlesPushed: (n) => `Số bài đã gửi: <b>${n}</b>`,
    totals: (shared, rebutted, points) =>
      `Chia sẻ: <b>${shared}</b> · Phản bác: <b>${rebutted}</b> · Điểm: <b>${points}</b>`,
    participation: (active, known, pct, change) => `Tham gia: <b>${active}/${known}</b> thành viên (${pct})${change}`,
    change: (arrow, points) => ` ${arrow} ${points} điểm phần trăm so với tuần trước`,
    changeNone: ' = bằng tuần trước',
    top: 'Năm người dẫn đầu:',
    perArticle: 'Theo từng bài:',
    articleLine: (id, title, shared, rebutted) => `#${id} ${h(title)} — ✅ ${shared} · 🛡 ${rebutted}`,
    noActivity: 'Không có ghi nhận nào trong khoảng thời gian này.',
    inactive: (n) => `Thành viên chưa có ghi nhận (${n}):`,
    inactiveNone: 'Mọi thành viên trong nhóm đều đã có ghi nhận. 👏',
    chartTitle: (group, range) => `${group} — số ghi nhận mỗi ngày, ${range}`,
    chartShared: 'Chia sẻ',
    chartRebutted: 'Phản bác',
    weekdays: ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'],
    exportCaption: (n, range) =>
      `📄 ${n} ghi nhận, ${range}. Tệp CSV UTF-8; mở được bằng Excel, LibreOffice và Google Sheets.`,
    exportEmpty: (range) => `Không có ghi nhận nào ${range}; không có gì để xuất.`,
    exportPrivateOnly: 'Tệp xuất có tên thành viên: hãy nhắn riêng cho tôi lệnh /export.',
    exportHeader: [
      'thoi_gian',
      'nhom',
      'ma_thanh_vien',
      'ten_thanh_vien',
      'username',
      'loai',
      'ma_bai',
      'tieu_de_bai',
      'link',
      'ghi_chu',
    ],
    kind: { shared: 'chia sẻ', rebutted: 'phản bác' },
  },
  usageLeaderboard: 'Cách dùng: /leaderboard [day|week|month|all]',
  usageSummary: 'Cách dùng: /summary [week|lastweek|month|lastmonth|YYYY-MM-DD YYYY-MM-DD]',
  usageExport: 'Cách dùng: /export [week|lastweek|month|lastmonth|YYYY-MM-DD YYYY-MM-DD]',
  usageLang: 'Cách dùng: /lang vi|en',
  langSetGroup: 'Từ nay tôi nói tiếng Việt trong nhóm này.',
  langSetUser: 'Tôi sẽ viết cho bạn bằng tiếng Việt.',
  badRange: 'Ngày kết thúc đứng trước ngày bắt đầu.',
  rangeTooLong: 'Khoảng thời gian quá dài (tối đa 366 ngày).',

  formatDay: (day) => {
    const [y, m, d] = day.split('-');
    return `${d}/${m}/${y}`;
  },
};

function fmtTally(t: { shared: number; rebutted: number; points: number }): string {
  return `${t.shared} chia sẻ, ${t.rebutted} phản bác, <b>${t.points}</b> điểm`;
}
