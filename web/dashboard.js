// The leaders' dashboard, a Telegram Mini App: plain ES module, no build step, served by Loa (no CDN).
// initData and the theme come from Telegram.WebApp when Telegram's script is there (a client may inject it);
// otherwise from the launch parameters Telegram puts in the URL fragment (#tgWebAppData=…&tgWebAppThemeParams=…),
// which is also how tests open the page in a plain browser. Every figure comes from Loa's API; the page only draws.

const app = document.getElementById('app');
const launch = new URLSearchParams(location.hash.slice(1));
const webApp = window.Telegram?.WebApp;
const initData = webApp?.initData || launch.get('tgWebAppData') || '';

applyTheme(webApp?.themeParams ?? parseJson(launch.get('tgWebAppThemeParams')) ?? {});
webApp?.onEvent?.('themeChanged', () => applyTheme(webApp.themeParams ?? {}));
webApp?.ready?.();
webApp?.expand?.();

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Telegram's theme colours as --tg-* custom properties (through the CSSOM: CSP allows it, unlike style attributes). */
function applyTheme(theme) {
  const root = document.documentElement;
  for (const [key, value] of Object.entries(theme)) {
    if (typeof value === 'string' && /^#[0-9a-f]{3,8}$/i.test(value))
      root.style.setProperty(`--tg-${key.replace(/_/g, '-')}`, value);
  }
  const bg = theme.bg_color;
  const dark = webApp?.colorScheme === 'dark' || (typeof bg === 'string' && luminance(bg) < 0.4);
  root.classList.toggle('dark', dark);
  root.style.setProperty('color-scheme', dark ? 'dark' : 'light');
}

function luminance(hex) {
  const h = hex.replace('#', '');
  const full =
    h.length === 3
      ? h
          .split('')
          .map((c) => c + c)
          .join('')
      : h.slice(0, 6);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** An element with attributes and children (text is always text: names come from members). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

async function api(path) {
  const res = await fetch(path, { headers: { authorization: `tma ${initData}` } });
  const body = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, body };
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));
}

const fold = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();

const nameOf = (m) => [m.firstName, m.lastName].filter(Boolean).join(' ') + (m.username ? ` @${m.username}` : '');

function refuse(message) {
  app.replaceChildren(el('p', { id: 'refused', class: 'refused' }, message));
}

let me;
let t;
const state = { chat: '', period: 'week', from: '', to: '', tab: 'coverage' };
/** What the current tab shows, as rows for the CSV download. */
let onScreen = { name: 'dashboard', rows: [] };

async function start() {
  const answer = await api('api/me').catch(() => undefined);
  if (!answer) return refuse('…');
  if (!answer.ok) return refuse(answer.body.message ?? String(answer.status));
  me = answer.body;
  t = me.page;
  document.documentElement.lang = me.locale;
  document.title = `Loa · ${t.title}`;
  if (me.groups.length === 0) return refuse(t.noGroups);
  state.chat = me.organisation ? 'all' : String(me.groups[0].chatId);
  state.tab = me.organisation ? 'groups' : 'coverage';
  state.from = state.to = me.today;
  renderShell();
  await load();
}

let controls;
let content;
let tabs;

function renderShell() {
  const groupSelect = el(
    'select',
    {
      id: 'group',
      // A group chosen from the list opens on its coverage; "all groups" on the ranking.
      onchange: (e) =>
        select({
          chat: e.target.value,
          tab: e.target.value === 'all' ? 'groups' : state.tab === 'groups' ? 'coverage' : state.tab,
        }),
    },
    me.organisation ? el('option', { value: 'all' }, t.organisation) : null,
    me.groups.map((g) => el('option', { value: g.chatId }, g.title)),
  );
  groupSelect.value = state.chat;
  const periodSelect = el(
    'select',
    { id: 'period', onchange: (e) => select({ period: e.target.value }) },
    ['today', 'week', 'lastweek', 'month', 'range'].map((p) => el('option', { value: p }, t[p])),
  );
  periodSelect.value = state.period;
  const from = el('input', { id: 'from', type: 'date', value: state.from });
  const to = el('input', { id: 'to', type: 'date', value: state.to });
  const range = el(
    'div',
    { id: 'range', class: 'controls hidden' },
    el('label', {}, t.from, from),
    el('label', {}, t.to, to),
    el('button', { class: 'primary', onclick: () => select({ from: from.value, to: to.value }) }, t.show),
  );
  controls = { groupSelect, periodSelect, range };
  tabs = el('nav', { class: 'tabs', role: 'tablist' });
  content = el('section', { id: 'content' });
  app.replaceChildren(
    el('h1', {}, t.title),
    el(
      'div',
      { class: 'controls' },
      el('label', {}, t.group, groupSelect),
      el('label', {}, t.period, periodSelect),
      el('button', { id: 'download', onclick: download }, t.download),
    ),
    range,
    tabs,
    content,
  );
}

function renderTabs() {
  const names = state.chat === 'all' ? ['groups'] : ['coverage', 'trend', 'leaderboard', 'articles'];
  if (state.chat !== 'all' && me.organisation) names.push('groups');
  if (!names.includes(state.tab)) state.tab = names[0];
  tabs.replaceChildren(
    ...names.map((name) =>
      el(
        'button',
        {
          role: 'tab',
          'data-tab': name,
          'aria-selected': String(name === state.tab),
          onclick: () => select({ tab: name }),
        },
        t[name],
      ),
    ),
  );
}

async function select(change) {
  Object.assign(state, change);
  controls.groupSelect.value = state.chat;
  controls.range.classList.toggle('hidden', state.period !== 'range');
  await load();
}

function periodQuery() {
  const q = new URLSearchParams({ period: state.period });
  if (state.period === 'range') {
    q.set('from', state.from);
    q.set('to', state.to);
  }
  return q;
}

let loaded;

async function load() {
  renderTabs();
  content.replaceChildren(el('p', { class: 'status' }, t.loading));
  const q = periodQuery();
  const groupsTab = state.tab === 'groups';
  if (!groupsTab) q.set('chat', state.chat);
  const answer = await api(`api/${groupsTab ? 'groups' : 'group'}?${q}`).catch(() => undefined);
  if (!answer || !answer.ok) {
    content.replaceChildren(el('p', { class: 'status', id: 'error' }, answer?.body?.message ?? t.failed));
    return;
  }
  loaded = answer.body;
  const draw = { coverage, trend, leaderboard, articles, groups }[state.tab];
  content.replaceChildren(...draw(loaded));
}

const pct = (x) => new Intl.NumberFormat(me.locale, { style: 'percent', maximumFractionDigits: 0 }).format(x);
const dayLabel = (day) => {
  const [, m, d] = day.split('-');
  return `${Number(d)}/${Number(m)}`;
};
const periodLabel = (p) =>
  p.firstDay === p.lastDay ? dayLabel(p.firstDay) : `${dayLabel(p.firstDay)}–${dayLabel(p.lastDay)}`;

function summaryLine(s) {
  return el(
    'p',
    { class: 'summary' },
    el('b', {}, `${s.title} · ${periodLabel(s)}`),
    el('br'),
    fill(t.summary, {
      participants: s.participants,
      known: s.known,
      rate: pct(s.participation),
      shared: s.shared,
      rebutted: s.rebutted,
    }),
  );
}

const MARKS = { shared: '✓', rebutted: '🛡', both: '✓🛡' };

function coverage(view) {
  const c = view.coverage;
  const header = [t.member, ...c.articles.map((a) => `#${a.id}`), t.total];
  const row = (m) => [nameOf(m), ...c.articles.map((a) => m.marks[a.id] ?? ''), m.covered];
  const totals = [t.total, ...c.articles.map((a) => a.covered), ''];
  // The members the search leaves on screen (all of them before any search).
  let shown = c.members;
  onScreen = { name: 'coverage', rows: () => [header, ...shown.map(row), totals] };
  const out = [summaryLine(view.summary)];
  if (c.articles.length === 0) return [...out, el('p', { class: 'hint', id: 'no-articles' }, t.noArticles)];
  if (c.members.length === 0) return [...out, el('p', { class: 'hint' }, t.noMembers)];
  const search = el('input', { id: 'search', type: 'search', placeholder: t.search });
  const body = el(
    'tbody',
    {},
    c.members.map((m) =>
      el(
        'tr',
        { 'data-name': fold(nameOf(m)), 'data-user': m.userId, class: m.covered === 0 ? 'nothing' : undefined },
        el('td', { class: m.covered === 0 ? 'name-nothing' : undefined }, nameOf(m)),
        c.articles.map((a) => {
          const mark = m.marks[a.id];
          return el(
            'td',
            { class: `mark-${mark ?? 'none'}`, 'data-article': a.id, title: a.title },
            mark ? MARKS[mark] : '·',
          );
        }),
        el('td', {}, `${m.covered}/${c.articles.length}`),
      ),
    ),
  );
  search.addEventListener('input', () => {
    const q = fold(search.value.trim());
    for (const tr of body.rows) tr.classList.toggle('hidden', q !== '' && !tr.dataset.name.includes(q));
    shown = c.members.filter((m) => q === '' || fold(nameOf(m)).includes(q));
  });
  const table = el(
    'table',
    { id: 'coverage' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, t.member),
        c.articles.map((a) => el('th', { title: a.title }, el('a', { href: a.url, target: '_blank' }, `#${a.id}`))),
        el('th', {}, t.total),
      ),
    ),
    body,
    el(
      'tfoot',
      {},
      el(
        'tr',
        {},
        el('td', {}, t.total),
        c.articles.map((a) => el('td', { title: a.title }, `${a.covered}`)),
        el('td', {}, ''),
      ),
    ),
  );
  return [
    ...out,
    el('p', { id: 'with-nothing' }, fill(t.withNothing, { n: c.withNothing, known: c.members.length })),
    el(
      'p',
      { class: 'legend' },
      el('span', {}, `✓ ${t.legendShared}`),
      el('span', {}, `🛡 ${t.legendRebutted}`),
      el('span', {}, `✓🛡 ${t.legendBoth}`),
      el('span', {}, `· ${t.legendNothing}`),
    ),
    search,
    el('div', { class: 'scroll' }, table),
    // Phones show no tooltips: each column's article, by number.
    el(
      'ul',
      { class: 'articles-key' },
      c.articles.map((a) =>
        el('li', {}, el('a', { href: a.url, target: '_blank' }, `#${a.id}`), ` ${a.title} (${dayLabel(a.day)})`),
      ),
    ),
  ];
}

/** A bar chart drawn by hand in SVG: bars of one or two series (stacked), a label under each, its value above. */
function barChart(id, labels, series, format = String) {
  const w = 340;
  const h = 150;
  const top = 14;
  const bottom = 20;
  const n = labels.length;
  const slot = w / Math.max(1, n);
  const totals = labels.map((_, i) => series.reduce((s, x) => s + x.values[i], 0));
  const max = Math.max(...totals, series.some((s) => s.max) ? series[0].max : 0, 1e-9);
  const chart = svg('svg', { class: 'chart', id, viewBox: `0 0 ${w} ${h}`, role: 'img' });
  chart.append(svg('line', { class: 'axis', x1: 0, x2: w, y1: h - bottom, y2: h - bottom }));
  labels.forEach((label, i) => {
    let y = h - bottom;
    for (const s of series) {
      const v = s.values[i];
      const barH = ((h - top - bottom) * v) / max;
      y -= barH;
      if (v > 0)
        chart.append(
          svg('rect', { class: `bar ${s.className}`, x: i * slot + slot * 0.15, y, width: slot * 0.7, height: barH }),
        );
    }
    const value = svg('text', { x: i * slot + slot / 2, y: y - 3, 'text-anchor': 'middle' });
    value.textContent = totals[i] > 0 ? format(totals[i]) : '';
    const name = svg('text', { x: i * slot + slot / 2, y: h - 6, 'text-anchor': 'middle' });
    // At most about seven labels fit a phone's width: every step-th, counted back from the latest.
    const step = Math.ceil(n / 7);
    name.textContent = (n - 1 - i) % step === 0 ? label : '';
    chart.append(value, name);
  });
  return chart;
}

function trend(view) {
  const weeks = view.trend;
  const days = view.summary.perDay;
  onScreen = {
    name: 'trend',
    rows: [
      [t.week_, t.participation, t.members],
      ...weeks.map((w) => [`${w.firstDay}–${w.lastDay}`, w.participation.toFixed(3), `${w.participants}/${w.known}`]),
      [],
      [t.day, t.shared, t.rebutted],
      ...days.map((d) => [d.day, d.shared, d.rebutted]),
    ],
  };
  return [
    summaryLine(view.summary),
    el('h2', {}, t.weekly),
    barChart(
      'weekly-chart',
      weeks.map((w) => dayLabel(w.firstDay)),
      [{ values: weeks.map((w) => w.participation), className: '', max: 1 }],
      pct,
    ),
    el('h2', {}, t.daily),
    el(
      'p',
      { class: 'legend' },
      el('span', {}, el('b', { class: 'key-shared' }, '■'), ` ${t.shared}`),
      el('span', {}, el('b', { class: 'key-rebutted' }, '■'), ` ${t.rebutted}`),
    ),
    barChart(
      'daily-chart',
      days.map((d) => dayLabel(d.day)),
      [
        { values: days.map((d) => d.shared), className: 'bar-shared' },
        { values: days.map((d) => d.rebutted), className: 'bar-rebutted' },
      ],
    ),
  ];
}

function simpleTable(id, header, rows, wide = false) {
  return el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      { id, class: wide ? 'wide' : undefined },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          header.map((h) => el('th', {}, h)),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((r) =>
          el(
            'tr',
            {},
            r.map((c) => el('td', {}, c)),
          ),
        ),
      ),
    ),
  );
}

function leaderboard(view) {
  const header = ['#', t.member, t.shared, t.rebutted, t.points];
  const rows = view.leaderboard.map((r) => [r.rank, nameOf(r), r.shared, r.rebutted, r.points]);
  onScreen = { name: 'leaderboard', rows: [header, ...rows] };
  if (rows.length === 0) return [summaryLine(view.summary), el('p', { class: 'hint' }, t.empty)];
  return [summaryLine(view.summary), simpleTable('leaderboard', header, rows)];
}

function articles(view) {
  const header = [t.article, t.shared, t.rebutted];
  const list = view.summary.perArticle;
  onScreen = { name: 'articles', rows: [header, ...list.map((a) => [`#${a.id} ${a.title}`, a.shared, a.rebutted])] };
  if (list.length === 0) return [summaryLine(view.summary), el('p', { class: 'hint' }, t.empty)];
  return [
    summaryLine(view.summary),
    simpleTable(
      'articles',
      header,
      list.map((a) => [`#${a.id} ${a.title}`, a.shared, a.rebutted]),
      true,
    ),
  ];
}

function groups(view) {
  const header = ['#', t.group, t.participation, t.members, t.shared, t.rebutted];
  onScreen = {
    name: 'groups',
    rows: [
      header,
      ...view.groups.map((g, i) => [
        i + 1,
        g.title,
        g.participation.toFixed(3),
        `${g.active}/${g.known}`,
        g.shared,
        g.rebutted,
      ]),
    ],
  };
  if (view.groups.length === 0) return [el('p', { class: 'hint' }, t.noGroups)];
  const open = (g) =>
    el('button', { class: 'link', onclick: () => select({ chat: String(g.chatId), tab: 'coverage' }) }, g.title);
  return [
    el(
      'p',
      { class: 'summary' },
      el('b', {}, `${t.organisation} · ${periodLabel(view.period)}`),
      el('br'),
      fill(t.summary, {
        participants: view.active,
        known: view.known,
        rate: pct(view.participation),
        shared: view.shared,
        rebutted: view.rebutted,
      }),
    ),
    simpleTable(
      'groups',
      header,
      view.groups.map((g, i) => [i + 1, open(g), pct(g.participation), `${g.active}/${g.known}`, g.shared, g.rebutted]),
      true,
    ),
  ];
}

/** What is on screen as CSV (with a byte-order mark, so spreadsheet programs read Vietnamese letters right). */
function download() {
  const cell = (v) => {
    const s = String(v ?? '');
    return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = typeof onScreen.rows === 'function' ? onScreen.rows() : onScreen.rows;
  const text = rows.map((r) => r.map(cell).join(',')).join('\r\n');
  const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
  const a = el('a', {
    href: URL.createObjectURL(blob),
    download: `loa-${onScreen.name}-${loaded?.period?.firstDay ?? ''}_${loaded?.period?.lastDay ?? ''}.csv`,
  });
  document.body.append(a);
  a.click();
  a.remove();
}

start();
