import type { AddressForm } from '../config.ts';
import { escapeHtml as h } from '../render/html.ts';
import { groupList, type Messages } from './en.ts';

// Danh mục tiếng Việt, ngôn ngữ mặc định của Loa. Same keys as en.ts (the Messages type checks it).
// Loa speaks of itself as "Loa" and addresses people as "bạn" or "đồng chí" (ADDRESS_FORM); a group as
// "các bạn" / "các đồng chí". Fixed terms: "mã bài" (article number), "lượt" (a record), "quản trị viên
// nhóm" (a group's admins, Loa's leaders), "người vận hành Loa" (owners), "nhắn riêng" (private chat), and a
// rebuttal is "phản bác thông tin sai lệch (theo bài #12)": never "phản bác #12", which would read as
// arguing against our own approved article.

export function vi(form: AddressForm = 'ban'): Messages {
  const b = form === 'dong_chi' ? 'đồng chí' : 'bạn';
  const B = form === 'dong_chi' ? 'Đồng chí' : 'Bạn';
  const all = `các ${b}`;

  const rebuttal = (id: number | null) => `phản bác thông tin sai lệch${id ? ` (theo bài #${id})` : ''}`;
  const plus = (points: number) => `+${points} điểm`;
  const tally = (t: { shared: number; rebutted: number; points: number }) =>
    `${t.shared} lượt chia sẻ, ${t.rebutted} lượt phản bác, <b>${t.points}</b> điểm`;

  return {
    locale: 'vi',
    languageName: 'Tiếng Việt',

    startPrivate: (name) =>
      `Chào ${b} <b>${h(name)}</b>! Đây là <b>Loa</b>, bot đưa tin của đơn vị.\n\n` +
      `Mỗi sáng, Loa gửi vào nhóm các bài đã được duyệt. Dưới mỗi bài có hai nút:\n` +
      `• <b>✅ Đã chia sẻ</b>: ${b} đã chia sẻ bài lên tài khoản của mình.\n` +
      `• <b>🛡 Đã phản bác</b>: ${b} đã phản bác thông tin sai lệch liên quan đến bài.\n` +
      `Mỗi lượt đều được tính điểm; mỗi tối Loa đăng bảng xếp hạng.\n\n` +
      `Từ nay Loa sẽ trả lời ${b} tại đây để không làm phiền cả nhóm. Gõ /help để xem các lệnh.`,
    startGroup: `Xin chào ${all}! Mỗi sáng <b>Loa</b> sẽ gửi vào đây các bài đã được duyệt. Gõ /help để xem các lệnh.`,
    greeting: (pushTime, bot) =>
      `👋 Xin chào ${all}! Đây là <b>Loa</b>, bot đưa tin của đơn vị.\n\n` +
      `• Hằng ngày${pushTime ? ` vào lúc <b>${pushTime}</b>` : ''}, Loa gửi vào nhóm các bài viết đã được duyệt; dưới mỗi bài có hai nút bấm.\n` +
      `• Sau khi chia sẻ bài lên tài khoản của mình, hãy bấm <b>✅ Đã chia sẻ</b>. Sau khi phản bác thông tin sai lệch, hãy bấm <b>🛡 Đã phản bác</b>, rồi gõ /rebutted kèm mã bài và link bài phản bác.\n` +
      `• Mỗi người vui lòng nhắn riêng cho Loa một lần và bấm <b>Bắt đầu</b> (@${bot}) để Loa trả lời riêng từng người, không làm phiền cả nhóm.\n\n` +
      `Quản trị viên nhóm dùng /post để thêm bài, /queue để duyệt đề xuất và /summary để xem tổng kết của nhóm. Gõ /help để xem tất cả các lệnh.`,
    helpTitle: (role) =>
      `<b>Các lệnh của Loa</b> (${role === 'owner' ? 'người vận hành Loa' : role === 'leader' ? 'quản trị viên nhóm' : 'thành viên'})`,
    helpMemberTitle: '<b>Dành cho mọi thành viên</b>',
    helpMember: [
      '• /today — bài hôm nay, kèm nút bấm',
      '• /articles [ngày] — bài đã duyệt của một ngày, ví dụ /articles 2/12',
      '• /shared &lt;mã bài&gt; — ghi nhận đã chia sẻ',
      '• /rebutted [mã bài] &lt;link&gt; — ghi nhận đã phản bác thông tin sai lệch',
      '• /undo — xoá lượt vừa ghi (trong 24 giờ)',
      `• /me — điểm và thành tích của ${b}`,
      '• /top [hôm nay|tuần|tháng|tất cả] — bảng xếp hạng của nhóm',
      '• /submit &lt;link&gt; [tiêu đề] — đề xuất bài',
      '• /campaign — các chiến dịch của nhóm',
      `• /lang vi|en — ngôn ngữ Loa dùng với ${b} (khi nhắn riêng)`,
      '• /remind on|off — bật hoặc tắt nhắc việc buổi tối (khi nhắn riêng)',
    ],
    helpLeaderTitle: '<b>Dành cho quản trị viên nhóm</b>',
    helpLeader: [
      '• /post &lt;link&gt; [tiêu đề] [--date ngày] — thêm bài đã duyệt',
      '• /queue — đề xuất đang chờ duyệt',
      '• /approve &lt;mã bài&gt; [ngày] — duyệt đề xuất',
      '• /reject &lt;mã bài&gt; [lý do] — từ chối đề xuất',
      '• /archive &lt;mã bài&gt; — rút bài',
      '• /push — gửi ngay bài hôm nay vào nhóm',
      '• /summary [tuần|tuần trước|tháng|tháng trước|từ ngày đến ngày|#tên chiến dịch] — tổng kết của nhóm',
      '• /coverage [ngày] — ai đã hưởng ứng các bài trong ngày, ai chưa',
      '• /campaign — xem, tạo chiến dịch; thêm bài; kết thúc chiến dịch',
      '• /target &lt;phần trăm&gt; — đặt chỉ tiêu tham gia hằng tuần của nhóm',
      '• /export [khoảng thời gian] — xuất các lượt ra tệp CSV (khi nhắn riêng)',
      '• /dashboard — bảng theo dõi: mức độ lan tỏa, xu hướng, xếp hạng (khi nhắn riêng)',
      '• /lang vi|en — ngôn ngữ của nhóm',
    ],
    helpOwnerTitle: '<b>Dành cho người vận hành Loa</b>',
    helpOwner: ['• /push khi nhắn riêng — gửi ngay bài hôm nay tới mọi nhóm'],
    helpDates: 'Cách ghi ngày: 2/12 hoặc 2/12/2026 (ngày trước, tháng sau).',
    helpFooter: (shared, rebutted) =>
      `Cách tính điểm: mỗi lượt chia sẻ được ${shared} điểm, mỗi lượt phản bác được ${rebutted} điểm.`,
    commandDescriptions: {
      today: 'Bài hôm nay',
      articles: 'Bài đã duyệt của một ngày',
      shared: 'Ghi nhận đã chia sẻ',
      rebutted: 'Ghi nhận đã phản bác, kèm link',
      undo: 'Xoá lượt vừa ghi',
      me: `Điểm của ${b}`,
      submit: 'Đề xuất bài',
      help: 'Các lệnh của Loa',
      approve: 'Duyệt đề xuất',
      campaign: 'Các chiến dịch tuyên truyền',
      coverage: 'Tình hình hưởng ứng bài hôm nay',
      target: 'Đặt chỉ tiêu tham gia hằng tuần',
      reject: 'Từ chối đề xuất',
      post: 'Thêm bài đã duyệt',
      queue: 'Đề xuất đang chờ duyệt',
      archive: 'Rút bài',
      push: 'Gửi ngay bài hôm nay',
      leaderboard: 'Bảng xếp hạng của nhóm',
      summary: 'Tổng kết cho quản trị viên',
      export: 'Xuất các lượt ra CSV',
      dashboard: 'Bảng theo dõi (ứng dụng nhỏ)',
      lang: 'Ngôn ngữ',
      remind: 'Bật/tắt nhắc việc buổi tối',
    },

    admissionWaiting:
      `Xin chào ${all}! Loa vừa được thêm vào nhóm và đang chờ người vận hành Loa cho phép hoạt động. ` +
      'Trong thời gian chờ, Loa chưa gửi bài và chưa trả lời lệnh trong nhóm.',
    admissionNoOwners: (chatId) =>
      `Xin chào ${all}! Loa vừa được thêm vào nhóm nhưng chưa thể hoạt động vì chưa có người vận hành Loa nào được ` +
      `khai báo. Người cài đặt Loa cần thêm mã nhóm <code>${chatId}</code> vào ALLOWED_GROUP_IDS ` +
      '(hoặc khai báo ADMIN_IDS, hoặc đặt GROUP_ADMISSION=open) rồi khởi động lại Loa.',
    admissionRequest: (title, adder, chatId) =>
      `🔔 ${adder === null ? 'Có người (Loa chưa rõ là ai)' : `<b>${h(adder)}</b>`} vừa thêm Loa vào nhóm ` +
      `«${h(title)}» (mã nhóm <code>${chatId}</code>).\nLoa chỉ hoạt động trong nhóm khi ${b} bấm «Cho phép». ` +
      `Bấm «Rời nhóm» nếu ${b} muốn Loa rời khỏi nhóm.`,
    buttonAllowGroup: '✅ Cho phép',
    buttonLeaveGroup: '🚪 Rời nhóm',
    groupAllowedBy: (title, who) => `✅ ${h(who)} đã cho phép Loa hoạt động trong nhóm «${h(title)}».`,
    groupLeftBy: (title, who) => `🚪 ${h(who)} đã yêu cầu Loa rời nhóm «${h(title)}».`,
    groupAlreadyDecided: 'Yêu cầu về nhóm này đã được quyết định trước đó, hoặc Loa không còn ở trong nhóm.',

    leadersOnly: 'Chỉ quản trị viên nhóm mới dùng được lệnh này.',
    ownersOnly: 'Chỉ người vận hành Loa mới dùng được lệnh này.',
    groupOnly: `Vui lòng gửi lệnh này trong nhóm của ${b}.`,
    noUserToCredit:
      'Loa không xác định được người gửi lệnh này (tin được gửi dưới danh nghĩa một kênh hoặc quản trị viên ẩn danh) nên không thể ghi nhận. ' +
      'Vui lòng gửi từ tài khoản cá nhân.',
    tooFast: `${B} gửi lệnh quá nhanh. Loa tạm dừng trả lời ${b} trong một phút.`,
    somethingWentWrong: 'Loa gặp lỗi nên chưa thực hiện được yêu cầu. Vui lòng thử lại sau ít phút.',
    cannotCheckAdmins: 'Loa chưa lấy được danh sách quản trị viên nhóm từ Telegram. Vui lòng thử lại sau ít phút.',

    usage: {
      submit: 'Cách dùng: /submit &lt;link&gt; [tiêu đề]\nVí dụ: /submit https://example.com/bai-viet Cứu trợ bão lũ',
      approve: 'Cách dùng: /approve &lt;mã bài&gt; [ngày]\nVí dụ: /approve 12 5/12',
      reject: 'Cách dùng: /reject &lt;mã bài&gt; [lý do]\nVí dụ: /reject 12 Nguồn chưa rõ ràng',
      post: 'Cách dùng: /post &lt;link&gt; [tiêu đề] [--date ngày]\nVí dụ: /post https://example.com/bai-viet Cứu trợ bão lũ --date 5/12',
      archive: 'Cách dùng: /archive &lt;mã bài&gt;\nVí dụ: /archive 12',
      articles: 'Cách dùng: /articles [ngày]\nVí dụ: /articles 2/12',
      shared:
        'Cách dùng: /shared &lt;mã bài&gt; [link], hoặc trả lời (reply) tin bài của Loa bằng /shared\nVí dụ: /shared 12',
      rebutted:
        'Cách dùng: /rebutted [mã bài] &lt;link bài phản bác&gt; [ghi chú]\nVí dụ: /rebutted 12 https://facebook.com/bai.phan.bac',
    },

    badUrl: (problem) =>
      problem === 'not_http'
        ? 'Chỉ chấp nhận link bắt đầu bằng http:// hoặc https://.'
        : problem === 'too_long'
          ? 'Link quá dài (tối đa 2.048 ký tự).'
          : 'Link chưa đúng. Vui lòng gửi địa chỉ đầy đủ, bắt đầu bằng https://',
    badId: (text) => `“${h(text)}” không phải mã bài. Mã bài là một số, ví dụ 12 hoặc #12.`,
    badDate: (text) => `“${h(text)}” không phải ngày hợp lệ. Vui lòng viết ngày trước, tháng sau: 2/12 hoặc 2/12/2026.`,
    pastDate: 'Ngày này đã qua. Vui lòng chọn hôm nay hoặc một ngày sau.',
    titleTooLong: 'Tiêu đề quá dài (tối đa 300 ký tự). Vui lòng rút gọn.',
    noteTooLong: 'Ghi chú quá dài (tối đa 500 ký tự). Vui lòng rút gọn.',

    unknownArticle: (id) => `Không có bài #${id}. Gõ /today để xem mã các bài hôm nay.`,
    archivedArticle: (id) => `Bài #${id} đã bị rút.`,
    closedArticle: (id, lastDay) =>
      `Bài #${id} chỉ được ghi nhận đến hết ngày ${lastDay}; lượt mới không còn được tính. Gõ /today để xem bài hôm nay.`,
    alreadyRejected: (id) => `Bài #${id} đã bị từ chối trước đó.`,
    duplicateArticle: (id, day) => `Link này đã được duyệt cho ngày ${day} (mã bài #${id}).`,
    notYourArticle: (id) =>
      `Bài #${id} thuộc nhóm khác; chỉ quản trị viên nhóm đó hoặc người vận hành Loa mới quyết định được.`,
    submitMembersOnly: `Chỉ thành viên các nhóm Loa đang phục vụ mới đề xuất được bài. Vui lòng gửi /submit trong nhóm của ${b}.`,
    submitLimit: (n) =>
      n === 0
        ? 'Hiện đơn vị chưa nhận đề xuất bài qua Loa.'
        : `Mỗi người được gửi tối đa ${n} đề xuất mỗi ngày; hôm nay ${b} đã gửi đủ. Mời ${b} gửi tiếp vào ngày mai.`,
    submitted: (id) => `Cảm ơn ${b}! Đề xuất của ${b} có mã bài #${id} và đã được chuyển tới người duyệt.`,
    newProposal: (id, title, url, who, where) =>
      `📝 Đề xuất mới <b>#${id}</b> của ${h(who)} (${h(where)}):\n<a href="${h(url)}">${h(title)}</a>`,
    privateChat: 'nhắn riêng',
    approved: (id, day) => `✅ Đã duyệt bài #${id} cho ngày ${day}.`,
    approvedYours: (id, title, day) =>
      `✅ Đề xuất #${id} “${h(title)}” của ${b} đã được duyệt cho ngày ${day}. Cảm ơn ${b}!`,
    rejected: (id) => `❌ Đã từ chối bài #${id}.`,
    rejectedYours: (id, title, reason) =>
      `Đề xuất #${id} “${h(title)}” của ${b} chưa được duyệt.${reason ? `\nLý do: ${h(reason)}` : ''}`,
    posted: (id, day) => `✅ Đã thêm bài #${id} cho ngày ${day}.`,
    archivedDone: (id) =>
      `🗄 Đã rút bài #${id}: bài sẽ không được gửi hay hiển thị nữa; các lượt đã ghi nhận vẫn được giữ nguyên.`,
    decidedBy: (what, who, id) =>
      what === 'approved' ? `✅ ${h(who)} đã duyệt bài #${id}` : `❌ ${h(who)} đã từ chối bài #${id}`,
    queueEmpty: 'Không có đề xuất nào đang chờ duyệt. 🎉',
    queueTitle: (n) => `<b>Đang chờ duyệt</b> (${n}):`,
    noArticles: (day) => `Chưa có bài nào được duyệt cho ngày ${day}.`,
    articlesTitle: (day) => `<b>Bài ngày ${day}</b>`,
    pushTitle: (day) =>
      `📣 <b>Bài viết hôm nay</b> — ${day}\nMời ${all} chia sẻ lên tài khoản của mình, rồi bấm nút bên dưới để ghi nhận.`,
    pushMoreTitle: (day) => `📣 <b>Bài bổ sung hôm nay</b> — ${day}`,
    pushContinued: (day) => `📣 <b>Bài viết hôm nay</b> (tiếp) — ${day}`,
    buttonShared: '✅ Đã chia sẻ',
    buttonRebutted: '🛡 Đã phản bác',
    buttonApprove: '✅ Duyệt',
    buttonReject: '❌ Từ chối',
    pushNothingToday: 'Hôm nay chưa có bài nào được duyệt nên chưa có gì để gửi. Thêm bài bằng /post.',
    pushAlreadyDone: 'Bài hôm nay đã được gửi vào nhóm này rồi.',
    pushAlreadyDoneAll: 'Bài hôm nay đã được gửi tới mọi nhóm; bài duyệt thêm sẽ tự động gửi tiếp.',
    pushStarted: (groups) => `📣 Đang gửi bài hôm nay tới ${groups} nhóm.`,
    pushDoneGroup: 'Đã gửi.',
    todayEmpty: 'Hôm nay chưa có bài nào được duyệt.',

    reminderTitle: (day, groups) =>
      `🔔 <b>Nhắc việc hôm nay</b> — ${day}\n` +
      `Hôm nay ${b} chưa ghi nhận lượt nào cho các bài đã gửi vào nhóm ${groupList(groups, 'vi')}. ` +
      `Mời ${b} dành ít phút chia sẻ bài lên tài khoản của mình, rồi bấm nút dưới bài để ghi nhận. Nếu đã làm rồi, ${b} chỉ cần bấm nút.`,
    reminderFirstTime:
      `<i>Loa chỉ nhắc vào buổi tối những ngày ${b} chưa ghi nhận lượt nào, mỗi ngày nhiều nhất một lần. ` +
      `Nếu không muốn nhận nhắc việc, ${b} gõ /remind off; muốn nhận lại, gõ /remind on.</i>`,
    reminderMore: (n) => `…và ${n} bài khác: gõ /today để xem.`,
    remindOn: `🔔 Đã bật nhắc việc: vào buổi tối những ngày ${b} chưa ghi nhận lượt nào, Loa sẽ gửi ${b} các bài trong ngày.`,
    remindOff: `🔕 Đã tắt nhắc việc. Khi muốn nhận lại, ${b} gõ /remind on.`,
    remindStatus: (on) =>
      `Nhắc việc buổi tối đang <b>${on ? 'bật' : 'tắt'}</b>.\nCách dùng: /remind on (bật) hoặc /remind off (tắt)`,
    remindPrivateOnly: `Nhắc việc được gửi riêng cho từng người: mời ${b} nhắn riêng lệnh /remind on hoặc /remind off cho Loa.`,
    eveTitle: (day) => `🌙 <b>Chuẩn bị bài cho ngày mai</b> — ${day}`,
    eveNothingAtAll: 'Ngày mai chưa có bài nào được duyệt cho nhóm nào.',
    eveUnready: (groups) =>
      groups.length === 1
        ? `Ngày mai nhóm ${groupList(groups, 'vi')} chưa có bài nào được duyệt.`
        : `Ngày mai ${groups.length} nhóm sau chưa có bài nào được duyệt: ${groupList(groups, 'vi')}.`,
    evePending: (n, role) =>
      n > 0
        ? `Đang có <b>${n}</b> đề xuất chờ duyệt: bấm nút bên dưới để xem và duyệt.`
        : `Hiện không có đề xuất nào chờ duyệt; ${b} có thể thêm bài bằng lệnh /post${role === 'leader' ? ' trong nhóm' : ''}.`,
    buttonOpenQueue: '📋 Xem đề xuất chờ duyệt',

    recordedShared: (id, points) => `✅ Đã ghi nhận ${b} chia sẻ bài #${id}: ${plus(points)}. Cảm ơn ${b}!`,
    recordedSharedToast: (id, points) => `✅ Đã ghi nhận ${b} chia sẻ bài #${id}: ${plus(points)}. Cảm ơn ${b}!`,
    recordedRebutted: (id, points) =>
      `🛡 Đã ghi nhận ${b} ${rebuttal(id)}: ${plus(points)}.\n` +
      `Gửi kèm link bài phản bác: /rebutted ${id} &lt;link&gt;`,
    recordedRebuttedToast: (id, points) =>
      `🛡 Đã ghi nhận ${b} ${rebuttal(id)}: ${plus(points)}. Gửi kèm link: /rebutted ${id} &lt;link&gt;`,
    recordedRebuttalLink: (id, points) => `🛡 Đã ghi nhận ${b} ${rebuttal(id)}, kèm link: ${plus(points)}.`,
    rebuttalLinkAdded: (id) => `🔗 Đã thêm link vào lượt ${rebuttal(id)} của ${b}. Điểm của lượt này giữ nguyên.`,
    rebuttalUnscored: (limit) =>
      limit === 0
        ? `🛡 Loa đã lưu lượt phản bác kèm link của ${b}. Đơn vị hiện không tính điểm cho lượt phản bác không kèm mã bài. Cảm ơn ${b}!`
        : `🛡 Loa đã lưu lượt phản bác kèm link của ${b}, nhưng lượt này không được tính điểm: mỗi ngày chỉ ${limit} lượt ` +
          `phản bác không kèm mã bài được tính điểm, và hôm nay ${b} đã đủ. Cảm ơn ${b}!`,
    alreadyRecorded: 'Lượt này đã được ghi nhận từ trước.',
    alreadyRecordedToast: 'Lượt này đã được ghi nhận từ trước.',
    staleButton: 'Nút này không còn hiệu lực.',
    membersOnlyToast: 'Chỉ thành viên của nhóm mới dùng được các nút này.',
    tooFastToast: `${B} bấm quá nhanh. Vui lòng đợi một phút rồi bấm lại.`,
    whichArticle: (ids) =>
      `Tin đó có nhiều bài. ${B} đã chia sẻ bài nào? ${ids.map((i) => `/shared ${i}`).join(' · ')}`,
    undoNone: `${B} không có lượt nào trong 24 giờ qua để xoá.`,
    undone: (kind, id, link, points) =>
      `↩️ Đã xoá lượt ${kind === 'shared' ? `chia sẻ${id ? ` bài #${id}` : ''}` : rebuttal(id)} của ${b}: −${points} điểm.` +
      (link ? `\nLink: ${h(link)}` : ''),
    me: (p) =>
      [
        `<b>${h(p.name)}</b>`,
        `Tuần này: ${tally(p.week)}`,
        `Tháng này: ${tally(p.month)}`,
        `Từ trước tới nay: ${tally(p.all)}`,
        p.groupTitle !== null
          ? p.rank
            ? `Hạng trong ${h(p.groupTitle)} tuần này: <b>${p.rank}</b>`
            : `Tuần này ${b} chưa được xếp hạng trong ${h(p.groupTitle)}.`
          : '',
        `Tham gia liên tiếp: ${p.streak} ngày${p.streak >= 3 ? ' 🔥' : ''}`,
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
        range: 'trong khoảng này',
      },
      leaderboardTitle: (period, range) => `🏆 <b>Bảng xếp hạng ${period}</b>${range ? ` (${range})` : ''}`,
      leaderboardEmpty: (period) =>
        `Chưa có lượt nào ${period}. Mời ${b} là người đầu tiên: bấm ✅ Đã chia sẻ dưới một bài viết.`,
      points: (n) => `${n} điểm`,
      pointsPerMember: (n) => `${n} điểm/người`,
      yourRow: `Vị trí của ${b}:`,
      dailyTitle: (day) => `🌙 <b>Bảng xếp hạng hôm nay</b> — ${day}`,
      groupsTitle: (period, range) => `🏆 <b>Xếp hạng các nhóm ${period}</b>${range ? ` (${range})` : ''}`,
      groupsHeader: 'Nhóm · số người có lượt/thành viên (tỷ lệ) · ✅ chia sẻ · 🛡 phản bác · điểm bình quân',
      noGroups: `${B} chưa phải là quản trị viên của nhóm nào Loa đang phục vụ.`,
      summaryTitle: (group, range) => `📊 <b>Tổng kết — ${h(group)}</b>\n${range}`,
      weeklyTitle: (group, range) => `📊 <b>Tổng kết tuần — ${h(group)}</b>\n${range}`,
      rollupTitle: (range) => `📊 <b>Các nhóm của ${b} — tổng kết tuần</b>\n${range}`,
      rollupTitleAny: (range) => `📊 <b>Các nhóm của ${b}</b>\n${range}`,
      openGroup: `Bấm vào tên một nhóm bên dưới để xem tổng kết đầy đủ, kèm danh sách thành viên chưa có lượt nào.`,
      notYourGroup: 'Chỉ quản trị viên nhóm đó hoặc người vận hành Loa mới xem được tổng kết này.',
      articlesPushed: (n) => `Bài đã gửi: <b>${n}</b>`,
      totals: (shared, rebutted, points) =>
        `Chia sẻ: <b>${shared}</b> lượt · Phản bác: <b>${rebutted}</b> lượt · <b>${points}</b> điểm`,
      participation: (active, known, pct, change) => `Tham gia: <b>${active}/${known}</b> thành viên (${pct})${change}`,
      change: (arrow, points) => ` ${arrow} ${points} điểm phần trăm so với tuần trước`,
      changeNone: ' = bằng tuần trước',
      top: 'Năm người dẫn đầu:',
      perArticle: 'Theo từng bài:',
      articleLine: (id, title, shared, rebutted) => `#${id} ${h(title)} — ✅ ${shared} · 🛡 ${rebutted}`,
      noActivity: 'Chưa có lượt nào trong khoảng thời gian này.',
      inactive: (n) => `Thành viên chưa có lượt nào (${n}):`,
      target: (target, short) =>
        short === null ? `Chỉ tiêu: ${target} — đã đạt ✅` : `Chỉ tiêu: ${target} — còn thiếu ${short} thành viên`,
      campaignsTitle: 'Các chiến dịch:',
      campaignLine: (name, articles, active, known, pct) =>
        `🚩 <b>#${h(name)}</b> — ${articles} bài · ${active}/${known} thành viên đã tham gia (${pct})`,
      inactiveNone: 'Thành viên nào trong nhóm cũng đã có lượt ghi nhận. 👏',
      chartTitle: (group, range) => `${group} — số lượt mỗi ngày, ${range}`,
      chartShared: 'Chia sẻ',
      chartRebutted: 'Phản bác',
      weekdays: ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'],
      exportCaption: (n, range) =>
        `📄 ${n} lượt, ${range}. Tệp CSV (UTF-8), mở được bằng Excel, LibreOffice, Google Sheets.`,
      exportEmpty: (range) => `Chưa có lượt nào (${range}) nên không có gì để xuất.`,
      exportPrivateOnly: `Tệp xuất có tên thành viên nên Loa chỉ gửi qua tin nhắn riêng. Mời ${b} nhắn riêng lệnh /export cho Loa.`,
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
    usageLeaderboard:
      'Cách dùng: /leaderboard [hôm nay|tuần|tháng|tất cả|#tên chiến dịch] (mặc định: tuần)\nVí dụ: /leaderboard tháng',
    usageSummary:
      'Cách dùng: /summary [tuần|tuần trước|tháng|tháng trước|từ ngày đến ngày|#tên chiến dịch] (mặc định: tuần)\nVí dụ: /summary 1/12 7/12',
    usageExport:
      'Cách dùng: /export [tuần|tuần trước|tháng|tháng trước|từ ngày đến ngày|#tên chiến dịch] (mặc định: tuần)\nVí dụ: /export tuần trước',
    campaigns: {
      usage:
        'Cách dùng:\n/campaign — danh sách chiến dịch\n' +
        '/campaign new &lt;tên&gt; [ngày bắt đầu] [ngày kết thúc] — tạo chiến dịch\n' +
        '/campaign add &lt;mã bài&gt; &lt;tên&gt; — thêm bài vào chiến dịch\n' +
        '/campaign end &lt;tên&gt; — kết thúc chiến dịch\nVí dụ: /campaign new tet2027 20/1 10/2',
      badName:
        'Tên chiến dịch viết liền (không dấu cách), bắt đầu bằng chữ cái, chỉ gồm chữ cái, chữ số, “_” hoặc “-”, tối đa 32 ký tự. Ví dụ: tet2027.',
      taken: (name) => `Đã có chiến dịch mang tên #${h(name)}. Vui lòng chọn tên khác.`,
      reversed: 'Ngày kết thúc sớm hơn ngày bắt đầu. Vui lòng ghi ngày bắt đầu trước, ví dụ 20/1 10/2.',
      created: (name, where, range) =>
        `🚩 Đã tạo chiến dịch <b>#${h(name)}</b> cho ${where}, ${range}.\n` +
        `Thêm bài bằng /post &lt;link&gt; [tiêu đề] #${h(name)} hoặc /campaign add &lt;mã bài&gt; ${h(name)}. ` +
        `Xem kết quả: /summary #${h(name)}.`,
      everyGroup: 'mọi nhóm',
      group: (title) => `nhóm «${h(title)}»`,
      from: (day) => `từ ${day}`,
      notFound: (name) => `Không tìm thấy chiến dịch #${h(name)}. Gõ /campaign để xem danh sách.`,
      alreadyEnded: (name) => `Chiến dịch #${h(name)} đã kết thúc trước đó.`,
      ended: (name, lastDay) =>
        `🏁 Đã kết thúc chiến dịch <b>#${h(name)}</b>, ngày cuối là ${lastDay}. Từ sau ngày này, bài của chiến dịch không được ghi nhận thêm lượt mới.`,
      added: (id, name) => `🚩 Đã thêm bài #${id} vào chiến dịch #${h(name)}.`,
      notAddable: (id, name) =>
        `Không thể thêm bài #${id} vào chiến dịch #${h(name)}: bài này không thuộc nhóm nào của chiến dịch.`,
      endedNoAdd: (name) => `Chiến dịch #${h(name)} đã kết thúc, không thể thêm bài.`,
      notYours: (name) =>
        `Chỉ quản trị viên nhóm tổ chức chiến dịch #${h(name)} mới thay đổi được chiến dịch này; chiến dịch chung của mọi nhóm do người vận hành Loa phụ trách.`,
      whichGroup: `${B} là quản trị viên của nhiều nhóm. Vui lòng gửi /campaign new trong chính nhóm tổ chức chiến dịch.`,
      boardEmpty: (name) =>
        `Chiến dịch #${h(name)} chưa có lượt nào. Mời ${b} là người đầu tiên: bấm ✅ Đã chia sẻ dưới một bài của chiến dịch.`,
      listTitle: '<b>Các chiến dịch</b>',
      listEmpty: 'Chưa có chiến dịch nào. Quản trị viên nhóm có thể tạo bằng lệnh /campaign new &lt;tên&gt;.',
      line: (name, range, state, articles, where) =>
        `${state === 'running' ? '🚩' : state === 'upcoming' ? '🗓' : '🏁'} <b>#${h(name)}</b> — ${range} · ` +
        `${state === 'running' ? 'đang diễn ra' : state === 'upcoming' ? 'chưa bắt đầu' : 'đã kết thúc'} · ${articles} bài · ${where}`,
    },
    coverage: {
      title: (group, day) => `📋 <b>Tình hình hưởng ứng — ${h(group)}</b>\n${day}`,
      noArticles: 'Ngày này không có bài nào được duyệt.',
      article: (id, title, covered, known, shared, rebutted) =>
        `#${id} ${h(title)} — ${covered}/${known} thành viên · ✅ ${shared} · 🛡 ${rebutted}`,
      acted: (n, known) => `<b>${n}/${known}</b> thành viên đã có lượt ghi nhận cho các bài này.`,
      nothingTitle: (n) => `<b>Thành viên chưa có lượt nào (${n}):</b>`,
      nothingNone: 'Thành viên nào trong nhóm cũng đã có lượt ghi nhận. 👏',
      doneTitle: (n) => `<b>Thành viên đã có lượt (${n}):</b>`,
      namesInPrivate: `Loa đã nhắn riêng danh sách tên cho ${b}.`,
      groupsTitle: (day) => `📋 <b>Tình hình hưởng ứng ở các nhóm của ${b}</b>\n${day}`,
      groupLine: (title, acted, known, pct) => `• <b>${h(title)}</b> — ${acted}/${known} (${pct})`,
      openGroup: 'Bấm vào tên một nhóm bên dưới để xem ai đã, ai chưa hưởng ứng.',
      usage: 'Cách dùng: /coverage [ngày] (mặc định: hôm nay)\nVí dụ: /coverage 2/12',
    },
    targets: {
      usage: 'Cách dùng: /target &lt;phần trăm&gt; (hoặc /target off để bỏ chỉ tiêu)\nVí dụ: /target 80',
      current: (pct) =>
        pct === null
          ? 'Nhóm chưa đặt chỉ tiêu tham gia hằng tuần. Ví dụ: gõ /target 80 để đặt chỉ tiêu 80% thành viên.'
          : `Chỉ tiêu tham gia hằng tuần của nhóm: <b>${pct}%</b> thành viên.`,
      set: (pct) =>
        `🎯 Đã đặt chỉ tiêu tham gia hằng tuần: <b>${pct}%</b> thành viên trong nhóm. Bản tổng kết tuần sẽ cho biết mức độ hoàn thành chỉ tiêu.`,
      cleared: 'Đã bỏ chỉ tiêu tham gia hằng tuần.',
    },
    usageLang: 'Cách dùng: /lang vi|en (tiếng Việt hoặc tiếng Anh)\nVí dụ: /lang en',
    langSetGroup: 'Từ nay Loa dùng tiếng Việt trong nhóm này.',
    langSetUser: `Từ nay Loa nhắn cho ${b} bằng tiếng Việt.`,
    badRange: 'Ngày kết thúc sớm hơn ngày bắt đầu. Vui lòng ghi ngày bắt đầu trước, ví dụ 1/12 7/12.',
    rangeTooLong: 'Khoảng thời gian quá dài (tối đa 366 ngày). Vui lòng chọn khoảng ngắn hơn.',

    dashboard: {
      button: '📊 Bảng theo dõi',
      open: `Bảng theo dõi các nhóm ${b} phụ trách: ai đã lan tỏa bài nào, xu hướng tham gia, bảng xếp hạng. Mời ${b} bấm nút bên dưới để mở.`,
      off:
        'Bảng theo dõi chưa được bật. Người vận hành Loa bật tính năng này bằng cách đặt WEB_APP_URL là địa chỉ HTTPS ' +
        'công khai của máy chủ HTTP của Loa (xem mục “Dashboard” trong README), rồi khởi động lại Loa.',
      leadersOnly: `Chỉ quản trị viên nhóm và người vận hành Loa mới mở được bảng theo dõi. Để xem thành tích của mình, mời ${b} gửi /me.`,
      privateOnly: `Bảng theo dõi có tên thành viên nên chỉ mở trong tin nhắn riêng. Mời ${b} nhắn riêng lệnh /dashboard cho Loa.`,
      page: {
        title: 'Bảng theo dõi',
        group: 'Nhóm',
        organisation: 'Tất cả các nhóm',
        period: 'Thời gian',
        today: 'Hôm nay',
        week: 'Tuần này',
        lastweek: 'Tuần trước',
        month: 'Tháng này',
        range: 'Tùy chọn',
        from: 'Từ ngày',
        to: 'Đến ngày',
        show: 'Xem',
        coverage: 'Mức độ lan tỏa',
        trend: 'Xu hướng',
        leaderboard: 'Xếp hạng',
        articles: 'Theo bài',
        groups: 'Các nhóm',
        member: 'Thành viên',
        total: 'Tổng',
        search: 'Tìm theo tên',
        withNothing: '{n}/{known} thành viên chưa có lượt nào với các bài này',
        noArticles: 'Không có bài nào được duyệt trong những ngày này.',
        noMembers: 'Loa chưa ghi nhận thành viên nào của nhóm.',
        legendShared: 'đã chia sẻ',
        legendRebutted: 'đã phản bác',
        legendBoth: 'cả hai',
        legendNothing: 'chưa có',
        summary:
          '{participants}/{known} thành viên tham gia ({rate}) · {shared} lượt chia sẻ · {rebutted} lượt phản bác',
        weekly: 'Tỉ lệ tham gia theo tuần (12 tuần gần nhất)',
        daily: 'Số lượt theo ngày',
        shared: 'Chia sẻ',
        rebutted: 'Phản bác',
        points: 'Điểm',
        participation: 'Tham gia',
        members: 'Thành viên',
        article: 'Bài',
        day: 'Ngày',
        week_: 'Tuần',
        empty: 'Chưa có lượt nào trong thời gian này.',
        noGroups: 'Không có nhóm nào để hiển thị.',
        download: 'Tải về CSV',
        loading: 'Đang tải…',
        failed: 'Chưa tải được số liệu. Vui lòng thử lại.',
        badRange: 'Vui lòng chọn ngày đầu và ngày cuối (ngày đầu không sau ngày cuối, cách nhau tối đa 366 ngày).',
      },
      refused: {
        member: `Bảng theo dõi dành cho quản trị viên nhóm và người vận hành Loa. Thành tích của ${b} có trong lệnh /me.`,
        expired: 'Phiên mở bảng theo dõi đã quá hạn. Vui lòng đóng lại và mở lại từ Loa.',
        invalid: 'Không xác minh được phiên mở từ Telegram. Vui lòng mở lại bằng nút “Bảng theo dõi” trong Loa.',
        notYourGroup: `Nhóm này không thuộc quyền phụ trách của ${b}.`,
      },
    },

    formatDay: (day) => {
      const [y, m, d] = day.split('-');
      return `${Number(d)}/${Number(m)}/${y}`;
    },
  };
}
