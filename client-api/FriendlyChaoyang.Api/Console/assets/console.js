// FriendlyChaoyang operator console: plain JS on the public REST API and SSE, nothing loaded from elsewhere.
'use strict';

const TOKEN_KEY = 'fc.console.token'; // sessionStorage only: the token dies with the tab
const LANG_KEY = 'fc.console.lang';
const QUEUE_POLL_MS = 4000;
const STATIONS_POLL_MS = 8000;
const STREAM_RETRY_MS = 5000;

const TEXT = {
  'zh-CN': {
    title: '友好朝阳 · 运营台', signOut: '退出', signInTitle: '登录', pasteToken: '粘贴访问令牌（Bearer token）', signIn: '登录',
    devTitle: '本地开发令牌', subdistrict: '街道/地区', devMint: '生成运营令牌并登录',
    queueTitle: '工单队列', queueEmpty: '没有待处理的工单。', mapTitle: '辖区地图',
    legendFree: '空位充足', legendFew: '空位紧张', legendFull: '已满', legendIssue: '工单', legendOverdue: '超时工单',
    alertsTitle: '实时提醒', stationsTitle: '驿站看板', station: '驿站', seats: '空座', charging: '充电', swap: '换电', present: '在站骑手',
    redeemTitle: '兑换核销', voucherCode: '兑换码', lookUp: '查询', confirm: '确认核销',
    reward: '奖励', cost: '积分', status: '状态', expires: '有效期至', confirmedBy: '核销记录', none: '无',
    toDispatched: '派单', toOnSite: '到场', toResolved: '办结', toRejected: '驳回', rejectNote: '驳回理由（必填）',
    noteRequired: '驳回须填写理由。', noPhoto: '无照片', age: '已过', overdueBy: '超时', dueIn: '剩余',
    signedInAs: '已登录', roleOperator: '运营', roleManager: '站长', roleAdmin: '管理员', roleRider: '骑手',
    badToken: '令牌格式无效，请重新粘贴。', expiredToken: '令牌已过期，请重新登录。',
    rejectedToken: '令牌被拒绝（401）：已过期或签名无效，请重新登录。', forbidden: '无权限（403）：',
    queueOperatorsOnly: '工单队列仅对运营人员开放。', adminOverdue: '全区超过办结时限的工单（最超时的在前）。',
    adminOverdueUnavailable: '全区超时队列尚未开通。', network: '无法连接服务器，稍后自动重试。',
    alertsUnavailable: '提醒推送尚未开通（实时队列每几秒刷新）。', alertsLive: '已连接提醒推送。', alertsNone: '暂无提醒。',
    moved: '工单已更新：', redeemed: '已核销', held: '待核销', released: '已撤销', expired: '已过期',
    submitted: '已提交', dispatched: '已派单', on_site: '已到场', resolved: '已办结', rejected: '已驳回',
    minutes: '分', hours: '小时', days: '天', seconds: '秒', reportedAt: '上报于',
    myStationTitle: '我的驿站', activitiesTitle: '活动与报名', activity: '活动', kind: '类型', time: '时间', capacity: '名额',
    registered: '已报名', waitlisted: '候补', points: '积分', pollsTitle: '骑手投票', votes: '票', pollOpen: '进行中',
    pollClosed: '已结束', closesAt: '截止', noActivities: '暂无活动。', noPolls: '暂无投票。', seatsFree: '空座',
  },
  en: {
    title: 'Friendly Chaoyang · Operator console', signOut: 'Sign out', signInTitle: 'Sign in', pasteToken: 'Paste a bearer token',
    signIn: 'Sign in', devTitle: 'Local dev token', subdistrict: 'Subdistrict', devMint: 'Mint an operator token and sign in',
    queueTitle: 'Issue queue', queueEmpty: 'No open issues.', mapTitle: 'Subdistrict map',
    legendFree: 'seats free', legendFew: 'few seats', legendFull: 'full', legendIssue: 'issue', legendOverdue: 'overdue issue',
    alertsTitle: 'Live alerts', stationsTitle: 'Stations board', station: 'Station', seats: 'Seats', charging: 'Charging', swap: 'Swap',
    present: 'Riders in', redeemTitle: 'Redemptions', voucherCode: 'Voucher code', lookUp: 'Look up', confirm: 'Confirm',
    reward: 'Reward', cost: 'Points', status: 'Status', expires: 'Expires', confirmedBy: 'Confirmations', none: 'none',
    toDispatched: 'Dispatch', toOnSite: 'On site', toResolved: 'Resolve', toRejected: 'Reject', rejectNote: 'Reason to reject (required)',
    noteRequired: 'A rejection needs a reason.', noPhoto: 'no photo', age: 'age', overdueBy: 'overdue by', dueIn: 'due in',
    signedInAs: 'Signed in', roleOperator: 'operator', roleManager: 'station manager', roleAdmin: 'admin', roleRider: 'rider',
    badToken: 'That is not a valid token; paste it again.', expiredToken: 'The token has expired; sign in again.',
    rejectedToken: 'The API rejected the token (401): expired or wrongly signed. Sign in again.', forbidden: 'Not allowed (403): ',
    queueOperatorsOnly: 'The issue queue is for operators.',
    adminOverdue: 'District-wide issues past their resolve target, most overdue first.',
    adminOverdueUnavailable: 'The district-wide overdue queue is not available yet.', network: 'Cannot reach the server; retrying shortly.',
    alertsUnavailable: 'Alert stream not available yet (the queue refreshes every few seconds).', alertsLive: 'Alert stream connected.',
    alertsNone: 'No alerts yet.', moved: 'Issue updated: ', redeemed: 'redeemed', held: 'held', released: 'released', expired: 'expired',
    submitted: 'submitted', dispatched: 'dispatched', on_site: 'on site', resolved: 'resolved', rejected: 'rejected',
    minutes: 'min', hours: 'h', days: 'd', seconds: 's', reportedAt: 'reported',
    myStationTitle: 'My station', activitiesTitle: 'Activities and registrations', activity: 'Activity', kind: 'Kind',
    time: 'Time', capacity: 'Capacity', registered: 'Registered', waitlisted: 'Waitlisted', points: 'Points',
    pollsTitle: 'Rider polls', votes: 'votes', pollOpen: 'open', pollClosed: 'closed', closesAt: 'closes',
    noActivities: 'No activities yet.', noPolls: 'No polls yet.', seatsFree: 'Seats free',
  },
};

// The next step of each open status (the API refuses anything else with 409); any open issue may be rejected.
const NEXT = { submitted: 'dispatched', dispatched: 'on_site', on_site: 'resolved' };
const ACTION_LABEL = { dispatched: 'toDispatched', on_site: 'toOnSite', resolved: 'toResolved', rejected: 'toRejected' };

const state = {
  lang: localStorage.getItem(LANG_KEY) || 'zh-CN',
  token: null,
  claims: null,
  subdistrict: null, // {id,nameZh,namePinyin,lat,lon}
  subdistricts: [],
  categories: new Map(),
  rewards: new Map(),
  queue: [],
  details: new Map(), // issue id -> GET /issues/{id} body
  photos: new Map(), // issue id -> blob: URL (or '' when none)
  stations: [],
  present: new Map(),
  timers: [],
  stream: null, // AbortController of the alert stream
  myStation: null, // a manager's station: {view, activities, polls}
};

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[state.lang][key] ?? TEXT.en[key] ?? key;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

// ---------- messages and language ----------

function showMessage(text, kind = 'error') {
  const box = $('message');
  box.textContent = text;
  box.className = `message ${kind === 'info' ? 'info' : ''}`;
  box.hidden = false;
}

function clearMessage() {
  $('message').hidden = true;
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  $('lang').textContent = state.lang === 'en' ? '中文' : 'English';
  if (state.claims) {
    renderWho();
    renderQueue();
    renderStations();
    renderMap();
    renderMyStation();
  }
}

// ---------- the API ----------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Calls the API with the bearer token; 401 signs out with a clear message. */
async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  if (state.token) headers.set('Authorization', `Bearer ${state.token}`);
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    options = { ...options, body: JSON.stringify(options.json) };
  }
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: t('network') });
  }
  if (response.status === 401 && state.token) {
    signOut(t('rejectedToken'));
    throw new ApiError(401, { title: t('rejectedToken') });
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON: the status says enough */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}

const getJson = async (path) => (await api(path)).json();

function problemText(error) {
  const problem = error.problem || {};
  const fields = problem.errors ? Object.values(problem.errors).flat().join(' ') : '';
  const base = [problem.title, problem.detail, fields].filter(Boolean).join(' — ') || error.message;
  return error.status === 403 ? t('forbidden') + base : base;
}

// ---------- sign in ----------

/** The JWT's payload, or null when the text is not a JWT (the page never trusts it: the API checks the signature). */
function decodeClaims(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

function claim(claims, name) {
  const roleUri = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
  if (name === 'role') return claims.role ?? claims[roleUri];
  return claims[name];
}

async function signIn(token) {
  token = token.trim();
  const claims = decodeClaims(token);
  if (!claims) {
    signOut(t('badToken'));
    return;
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) {
    signOut(t('expiredToken'));
    return;
  }
  state.token = token;
  state.claims = claims;
  sessionStorage.setItem(TOKEN_KEY, token);
  clearMessage();
  try {
    await loadCatalogues();
  } catch (error) {
    if (error.status !== 401) showMessage(problemText(error));
    return;
  }
  const station = claim(claims, 'station');
  const subdistrictId = claim(claims, 'subdistrict') ?? (station ? station.split('-')[1] : null);
  state.subdistrict = state.subdistricts.find((s) => s.id === subdistrictId) ?? null;
  $('sign-in').hidden = true;
  $('workspace').hidden = false;
  $('sign-out').hidden = false;
  renderWho();
  startLive();
}

function signOut(reason) {
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
  state.stream?.abort();
  state.stream = null;
  for (const url of state.photos.values()) if (url) URL.revokeObjectURL(url);
  Object.assign(state, {
    token: null, claims: null, queue: [], details: new Map(), photos: new Map(), stations: [], present: new Map(), myStation: null,
  });
  sessionStorage.removeItem(TOKEN_KEY);
  $('workspace').hidden = true;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('queue').replaceChildren();
  $('alerts').replaceChildren();
  $('my-station').hidden = true;
  $('queue-card').hidden = false;
  if (reason) showMessage(reason);
  else clearMessage();
  offerDevTokens();
}

function renderWho() {
  const c = state.claims;
  const role = claim(c, 'role');
  const roleText = t(`role${String(role).charAt(0).toUpperCase()}${String(role).slice(1)}`);
  const place = state.subdistrict
    ? (state.lang === 'en' ? state.subdistrict.namePinyin : state.subdistrict.nameZh)
    : claim(c, 'subdistrict') ?? '';
  const station = claim(c, 'station');
  $('who').textContent = `${t('signedInAs')}: ${c.sub} · ${roleText}${place ? ` · ${place}` : ''}${station ? ` · ${station}` : ''}`;
  $('who').hidden = false;
}

async function loadCatalogues() {
  const [subdistricts, categories, rewards] = await Promise.all([
    getJson('/api/v1/subdistricts'), getJson('/api/v1/issue-categories'), getJson('/api/v1/rewards'),
  ]);
  state.subdistricts = subdistricts;
  state.categories = new Map(categories.map((c) => [c.id, c]));
  state.rewards = new Map(rewards.map((r) => [r.id, r]));
}

/** Shows the dev-token minting form only when the API offers dev tokens (a local run). */
async function offerDevTokens() {
  try {
    const probe = await fetch('/api/v1/dev/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    if (probe.status === 404 || probe.status === 405) return;
    if (!state.subdistricts.length) state.subdistricts = await (await fetch('/api/v1/subdistricts')).json();
    const select = $('dev-subdistrict');
    select.replaceChildren(...state.subdistricts.map((s) => el('option', { value: s.id }, `${s.nameZh} · ${s.namePinyin}`)));
    $('dev-tokens').hidden = false;
  } catch {
    // No dev tokens, or no server: the paste box is all there is.
  }
}

async function mintDevToken() {
  const subdistrict = $('dev-subdistrict').value;
  const response = await fetch('/api/v1/dev/tokens', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ subject: `console-${subdistrict}`, role: 'operator', subdistrict }),
  });
  if (!response.ok) {
    showMessage(`HTTP ${response.status}`);
    return;
  }
  await signIn((await response.json()).token);
}

// ---------- live refresh ----------

function startLive() {
  refreshQueue();
  refreshStations();
  state.timers.push(setInterval(refreshQueue, QUEUE_POLL_MS));
  state.timers.push(setInterval(refreshStations, STATIONS_POLL_MS));
  state.timers.push(setInterval(tick, 1000));
  if (claim(state.claims, 'role') === 'operator') startAlerts();
  else $('alerts-note').textContent = t('alertsUnavailable');
  if (claim(state.claims, 'role') === 'manager' && claim(state.claims, 'station')) {
    $('queue-card').hidden = true;
    $('my-station').hidden = false;
    refreshMyStation();
    state.timers.push(setInterval(refreshMyStation, STATIONS_POLL_MS));
  }
}

/** Operators work their subdistrict's queue; the admin watches the district-wide overdue queue (read only). */
const QUEUE_SOURCE = { operator: '/api/v1/operator/issues?status=open', admin: '/api/v1/admin/overdue' };

async function refreshQueue() {
  if (!state.token) return;
  const role = claim(state.claims, 'role');
  const note = $('queue-note');
  if (!QUEUE_SOURCE[role]) {
    note.textContent = t('queueOperatorsOnly');
    note.hidden = false;
    return;
  }
  try {
    state.queue = await getJson(QUEUE_SOURCE[role]);
    note.textContent = role === 'admin' ? t('adminOverdue') : '';
    note.hidden = role !== 'admin';
  } catch (error) {
    if (error.status === 401) return;
    note.textContent = role === 'admin' && error.status === 404 ? t('adminOverdueUnavailable') : problemText(error);
    note.hidden = false;
    return;
  }
  await Promise.all(state.queue.filter((issue) => !state.details.has(issue.id)).map(loadDetails));
  renderQueue();
  renderMap();
}

async function loadDetails(issue) {
  try {
    const details = await getJson(`/api/v1/issues/${encodeURIComponent(issue.id)}`);
    state.details.set(issue.id, details);
    if (details.photoUrl && !state.photos.has(issue.id)) {
      const blob = await (await api(details.photoUrl)).blob();
      state.photos.set(issue.id, URL.createObjectURL(blob));
    }
  } catch {
    // The card shows what the queue knows; the next poll tries again.
  }
}

/** Overdue first (by how late), then oldest first; "overdue" is judged live against dueAt, not only the server's flag. */
function sortedQueue() {
  const now = Date.now();
  const late = (issue) => now - Date.parse(issue.dueAt);
  return [...state.queue].sort((a, b) => {
    const la = late(a) > 0 || a.overdue;
    const lb = late(b) > 0 || b.overdue;
    if (la !== lb) return la ? -1 : 1;
    return la ? late(b) - late(a) : Date.parse(a.reportedAt) - Date.parse(b.reportedAt);
  });
}

function duration(ms) {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}${t('seconds')}`;
  if (s < 3600) return `${Math.floor(s / 60)}${t('minutes')} ${String(s % 60).padStart(2, '0')}${t('seconds')}`;
  if (s < 86400) return `${Math.floor(s / 3600)}${t('hours')} ${Math.floor((s % 3600) / 60)}${t('minutes')}`;
  return `${Math.floor(s / 86400)}${t('days')} ${Math.floor((s % 86400) / 3600)}${t('hours')}`;
}

function categoryName(id) {
  return state.categories.get(id)?.name ?? id;
}

function renderQueue() {
  const list = $('queue');
  const issues = sortedQueue();
  const drafts = new Map([...list.querySelectorAll('input.note')].map((input) => [input.dataset.issueId, input.value]));
  list.replaceChildren(...issues.map((issue) => issueCard(issue, drafts.get(issue.id) ?? '')));
  $('queue-count').textContent = `(${issues.length})`;
  $('queue-empty').hidden = issues.length > 0 || !QUEUE_SOURCE[claim(state.claims, 'role')];
  tick();
}

function issueCard(issue, draft) {
  const details = state.details.get(issue.id);
  const photo = state.photos.get(issue.id);
  const thumb = photo
    ? el('img', { class: 'thumb', src: photo, alt: categoryName(issue.category) })
    : el('div', { class: 'thumb none' }, t('noPhoto'));
  const note = el('input', { class: 'note', 'data-issue-id': issue.id, placeholder: t('rejectNote'), maxlength: '500' });
  note.value = draft;
  const next = NEXT[issue.status];
  const buttons = ['dispatched', 'on_site', 'resolved', 'rejected'].map((to) => {
    const button = el('button', { type: 'button', class: to === 'rejected' ? 'secondary' : '', 'data-action': to }, t(ACTION_LABEL[to]));
    button.disabled = to !== 'rejected' && to !== next;
    button.addEventListener('click', () => transition(issue, to, note, button));
    return button;
  });
  return el('li', { class: 'issue', 'data-issue-id': issue.id, 'data-status': issue.status },
    thumb,
    el('div', {},
      el('div', { class: 'head' },
        el('span', { class: 'cat' }, categoryName(issue.category)),
        el('span', { class: 'status' }, t(issue.status)),
        el('span', { class: 'late', 'data-due': issue.dueAt, hidden: '' })),
      el('div', { class: 'meta' },
        el('span', { class: 'age', 'data-since': issue.reportedAt }), ' · ', issue.id),
      el('p', { class: 'desc' }, details?.description ?? ''),
      claim(state.claims, 'role') === 'operator' ? el('div', { class: 'actions' }, ...buttons, note) : ''));
}

/** Once a second: ages and "overdue by" count up without a round trip. */
function tick() {
  const now = Date.now();
  for (const node of document.querySelectorAll('#queue .age')) {
    node.textContent = `${t('age')} ${duration(now - Date.parse(node.dataset.since))}`;
  }
  for (const node of document.querySelectorAll('#queue .late')) {
    const late = now - Date.parse(node.dataset.due);
    const card = node.closest('.issue');
    const overdue = late > 0 || state.queue.find((i) => i.id === card.dataset.issueId)?.overdue;
    card.classList.toggle('overdue', Boolean(overdue));
    node.hidden = !overdue;
    node.textContent = `${t('overdueBy')} ${duration(late)}`;
  }
}

async function transition(issue, to, noteInput, button) {
  const note = noteInput.value.trim();
  if (to === 'rejected' && !note) {
    showMessage(t('noteRequired'));
    noteInput.focus();
    return;
  }
  button.disabled = true;
  try {
    const updated = await (await api(`/api/v1/issues/${encodeURIComponent(issue.id)}/transitions`, {
      method: 'POST', json: note ? { to, note } : { to },
    })).json();
    state.details.set(issue.id, updated);
    showMessage(`${t('moved')}${categoryName(issue.category)} → ${t(updated.status)}`, 'info');
    await refreshQueue();
  } catch (error) {
    if (error.status !== 401) showMessage(problemText(error));
    button.disabled = false;
  }
}

// ---------- alerts (operator notification stream, when the API has it) ----------

async function startAlerts() {
  const note = $('alerts-note');
  let after = 0;
  try {
    const stored = await getJson('/api/v1/operator/notifications');
    for (const alert of stored.slice(-20)) addAlert(alert);
    after = stored.length ? stored[stored.length - 1].id : 0;
  } catch (error) {
    note.textContent = error.status === 404 ? t('alertsUnavailable') : problemText(error);
    return;
  }
  note.textContent = $('alerts').children.length ? t('alertsLive') : `${t('alertsLive')} ${t('alertsNone')}`;
  streamAlerts(after);
}

/** EventSource cannot send a bearer header, so the stream is read with fetch() and parsed here. */
async function streamAlerts(after) {
  const controller = new AbortController();
  state.stream = controller;
  let lastId = after;
  try {
    const response = await api(`/api/v1/operator/notifications/stream?after=${encodeURIComponent(lastId)}`, { signal: controller.signal });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
        if (!data) continue;
        try {
          const alert = JSON.parse(data);
          lastId = alert.id ?? lastId;
          addAlert(alert);
          refreshQueue();
        } catch { /* a keep-alive or an event we do not know */ }
      }
    }
  } catch (error) {
    if (error.name === 'AbortError' || error.status === 401 || error.status === 404) return;
  }
  if (state.stream === controller) setTimeout(() => state.stream === controller && streamAlerts(lastId), STREAM_RETRY_MS);
}

function addAlert(alert) {
  const at = alert.at ? new Date(alert.at) : new Date();
  $('alerts').prepend(el('li', { 'data-kind': alert.kind ?? '' },
    el('time', { datetime: at.toISOString() }, at.toLocaleTimeString(state.lang)), alert.text ?? alert.kind ?? ''));
  $('alerts-note').textContent = t('alertsLive');
}

// ---------- stations board and map ----------

async function refreshStations() {
  if (!state.token || !state.subdistrict) return;
  const { lat, lon, id } = state.subdistrict;
  try {
    const nearby = await getJson(`/api/v1/stations/nearby?lat=${lat}&lon=${lon}&radius=3000&limit=50`);
    const own = nearby.filter((s) => s.subdistrictId === id);
    state.stations = own.length ? own : nearby;
    const views = await Promise.all(state.stations.map((s) => getJson(`/api/v1/stations/${encodeURIComponent(s.id)}`).catch(() => null)));
    state.present = new Map(views.filter(Boolean).map((v) => [v.id, v.present]));
  } catch (error) {
    if (error.status !== 401) showMessage(problemText(error));
    return;
  }
  renderStations();
  renderMap();
}

const freeText = (slot) => (slot && slot.total ? `${slot.free}/${slot.total}` : '–');

function renderStations() {
  $('stations').replaceChildren(...state.stations.map((s) => el('tr', { 'data-station-id': s.id },
    el('td', {}, s.name),
    el('td', { class: s.seats?.free === 0 ? 'zero' : '' }, freeText(s.seats)),
    el('td', {}, freeText(s.charging)),
    el('td', {}, freeText(s.swap)),
    el('td', {}, String(state.present.get(s.id) ?? '–')))));
}

function seatClass(station) {
  const { free = 0, total = 0 } = station.seats ?? {};
  if (free === 0) return 'full';
  return free <= Math.max(1, total / 4) ? 'few' : 'free';
}

const SEAT_COLOUR = { free: '#1b873f', few: '#d98e04', full: '#c62828' };

/** Stations and issues on a local flat projection around the subdistrict centre, scaled to fit; no tiles. */
function renderMap() {
  const map = $('map');
  if (!state.subdistrict) {
    map.replaceChildren();
    return;
  }
  const { lat: lat0, lon: lon0 } = state.subdistrict;
  const metresX = (lon) => (lon - lon0) * 111320 * Math.cos((lat0 * Math.PI) / 180);
  const metresY = (lat) => (lat - lat0) * 110540;
  const points = [...state.stations, ...state.queue].map((p) => [metresX(p.lon), metresY(p.lat)]);
  const reach = Math.max(500, ...points.map(([x, y]) => Math.max(Math.abs(x), Math.abs(y) * 1.4)));
  const scale = 460 / reach;
  const X = (lon) => 500 + metresX(lon) * scale;
  const Y = (lat) => 350 - metresY(lat) * scale;
  const ringMetres = reach > 2000 ? 1000 : 500;

  const nodes = [];
  for (let r = ringMetres; r <= reach; r += ringMetres) {
    nodes.push(svg('circle', { class: 'ring', cx: 500, cy: 350, r: r * scale }));
  }
  nodes.push(svg('circle', { class: 'centre', cx: 500, cy: 350, r: 5 },
    svg('title', {}, state.lang === 'en' ? state.subdistrict.namePinyin : state.subdistrict.nameZh)));
  nodes.push(svg('text', { x: 12, y: 690 }, `${ringMetres} m`));
  for (const s of state.stations) {
    const cls = seatClass(s);
    nodes.push(svg('circle', { class: `station ${cls}`, cx: X(s.lon), cy: Y(s.lat), r: 13, fill: SEAT_COLOUR[cls], 'data-station-id': s.id },
      svg('title', {}, `${s.name}\n${t('seats')} ${freeText(s.seats)} · ${t('charging')} ${freeText(s.charging)} · ` +
        `${t('swap')} ${freeText(s.swap)} · ${t('present')} ${state.present.get(s.id) ?? '–'}`)));
  }
  const now = Date.now();
  for (const issue of state.queue) {
    const x = X(issue.lon);
    const y = Y(issue.lat);
    const overdue = issue.overdue || now > Date.parse(issue.dueAt);
    const description = state.details.get(issue.id)?.description ?? '';
    nodes.push(svg('path', {
      class: `issue-marker${overdue ? ' overdue' : ''}`, d: `M${x} ${y - 15} L${x + 12} ${y} L${x} ${y + 15} L${x - 12} ${y} Z`,
      'data-issue-id': issue.id,
    }, svg('title', {}, `${categoryName(issue.category)} · ${t(issue.status)}\n${description}`)));
  }
  map.replaceChildren(...nodes);
}

// ---------- a station manager's own station ----------

async function refreshMyStation() {
  const station = claim(state.claims ?? {}, 'station');
  if (!state.token || !station) return;
  const id = encodeURIComponent(station);
  try {
    const [view, activities, polls] = await Promise.all([
      getJson(`/api/v1/stations/${id}`), getJson(`/api/v1/activities?stationId=${id}`), getJson(`/api/v1/stations/${id}/polls`),
    ]);
    state.myStation = { view, activities, polls };
  } catch (error) {
    if (error.status !== 401) showMessage(problemText(error));
    return;
  }
  renderMyStation();
}

function renderMyStation() {
  if (!state.myStation) return;
  const { view, activities, polls } = state.myStation;
  const when = (iso) => new Date(iso).toLocaleString(state.lang, { dateStyle: 'short', timeStyle: 'short' });
  $('my-station-name').textContent = view.name;
  $('my-station-seats').textContent = `${t('seatsFree')} ${freeText(view.seats)} · ${t('charging')} ${freeText(view.charging)} · ` +
    `${t('swap')} ${freeText(view.swap)} · ${t('present')} ${view.present ?? '–'}`;
  $('my-activities').replaceChildren(...(activities.length ? activities.map((a) => el('tr', { 'data-activity-id': a.id },
    el('td', {}, a.title),
    el('td', {}, a.kind),
    el('td', {}, `${when(a.startsAt)} – ${when(a.endsAt)}`),
    el('td', {}, String(a.capacity)),
    el('td', { class: 'registered' }, String(a.registered)),
    el('td', { class: 'waitlisted' }, String(a.waitlisted)),
    el('td', {}, String(a.points)))) : [el('tr', {}, el('td', { colspan: '7', class: 'note' }, t('noActivities')))]));
  $('my-polls').replaceChildren(...(polls.length ? polls.map((p) => el('li', { 'data-poll-id': p.id, 'data-closed': String(p.closed) },
    el('div', { class: 'head' },
      el('strong', {}, p.question),
      el('span', { class: 'status' }, p.closed ? t('pollClosed') : `${t('pollOpen')} · ${t('closesAt')} ${when(p.closesAt)}`)),
    el('ol', {}, ...p.options.map((o, index) => el('li', { 'data-option': String(index) },
      el('span', {}, o.text), ' ', el('span', { class: 'votes' }, `${o.votes} ${t('votes')}`)))))) : [el('li', { class: 'note' }, t('noPolls'))]));
}

// ---------- redemptions ----------

async function lookUpVoucher(event) {
  event.preventDefault();
  const code = $('voucher-code').value.trim();
  if (!code) return;
  try {
    renderVoucher(await getJson(`/api/v1/redemptions/${encodeURIComponent(code)}`));
  } catch (error) {
    if (error.status !== 401) showMessage(problemText(error));
  }
}

async function confirmVoucher(code) {
  try {
    await api(`/api/v1/redemptions/${encodeURIComponent(code)}/confirm`, { method: 'POST' });
    renderVoucher(await getJson(`/api/v1/redemptions/${encodeURIComponent(code)}`));
  } catch (error) {
    if (error.status !== 401) showMessage(problemText(error));
  }
}

function renderVoucher(voucher) {
  clearMessage();
  const reward = state.rewards.get(voucher.rewardId);
  const row = (label, value) => [el('dt', {}, t(label)), el('dd', {}, value)];
  const confirmations = (voucher.confirmations ?? [])
    .map((c) => `${c.by} · ${c.subdistrictId} · ${new Date(c.at).toLocaleString(state.lang)}`).join('; ') || t('none');
  const box = $('voucher');
  const confirm = el('button', { type: 'button', id: 'voucher-confirm' }, t('confirm'));
  confirm.disabled = voucher.status !== 'held';
  confirm.addEventListener('click', () => confirmVoucher(voucher.code));
  box.replaceChildren(
    el('dl', {},
      ...row('voucherCode', voucher.code),
      ...row('reward', reward ? reward.name : voucher.rewardId),
      ...row('cost', String(voucher.cost)),
      ...row('status', el('strong', { id: 'voucher-status', 'data-status': voucher.status }, t(voucher.status))),
      ...row('expires', new Date(voucher.expiresAt).toLocaleString(state.lang)),
      ...row('subdistrict', voucher.subdistrictId ?? '–'),
      ...row('confirmedBy', confirmations)),
    el('div', {}, confirm));
  box.hidden = false;
}

// ---------- start ----------

function start() {
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem(LANG_KEY, state.lang);
    applyLanguage();
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('sign-in-button').addEventListener('click', () => signIn($('token-input').value));
  $('dev-mint').addEventListener('click', mintDevToken);
  $('voucher-form').addEventListener('submit', lookUpVoucher);
  applyLanguage();

  window.addEventListener('hashchange', () => {
    const token = takeFragmentToken();
    if (token !== null) {
      signOut();
      signIn(token);
    }
  });
  const token = takeFragmentToken() ?? sessionStorage.getItem(TOKEN_KEY);
  if (token) signIn(token);
  else signOut();
}

/** #token=<JWT> signs in directly; the fragment never reaches a server and is removed from the address bar at once. */
function takeFragmentToken() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token !== null) history.replaceState(null, '', location.pathname + location.search);
  return token;
}

start();
