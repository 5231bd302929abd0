// kanal dashboard. Reads and changes connectors through the worker's own REST API (the Kafka
// Connect routes, same origin, so any REST authentication the browser holds applies) and reads
// throughput from GET /metrics. Builds the DOM with textContent only: connector names, configs
// and traces are never parsed as HTML.
'use strict';

const REFRESH_MS = 3000;

// Per-task counters behind "Records/s": sources count records written, sinks records sent.
const THROUGHPUT_METRICS = [
  'kafka_connect_source_task_source_record_write_total',
  'kafka_connect_sink_task_sink_record_send_total',
];

const state = {
  timer: null,
  refreshing: false,
  refreshAgain: false,
  lastCounts: null,     // Map "connector\u0000task" -> count, from the previous scrape
  lastScrapeMs: 0,
  rates: new Map(),     // same key -> records/s, or absent when unknown
  metricsAvailable: true,
  openTraces: new Set(),  // keys of <details> the user opened, kept open across refreshes
  pluginKeys: [],       // ConfigKeyInfo list of the plugin chosen in the form
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c !== null && c !== undefined) node.append(c);
  }
  return node;
}

// ---- REST -------------------------------------------------------------------------------

class RestError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Calls the REST API; resolves to the parsed JSON body (or the text, or null for no body).
// Rejects with a RestError carrying Connect's error message for any non-2xx answer.
async function rest(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    throw new RestError(0, `${method} ${path}: the worker did not answer (${e.message})`);
  }
  const text = await resp.text();
  const isJson = (resp.headers.get('Content-Type') || '').includes('application/json');
  let data = text;
  if (isJson && text) {
    try { data = JSON.parse(text); } catch (e) { data = text; }
  }
  if (!resp.ok) {
    const msg = data && typeof data === 'object' && data.message ? data.message
        : (text || resp.statusText);
    throw new RestError(resp.status, `${method} ${path}: HTTP ${resp.status}: ${msg}`);
  }
  return text ? data : null;
}

const enc = encodeURIComponent;

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

function showMessage(message) {
  const box = $('message');
  box.textContent = message;
  box.hidden = !message;
}

// ---- Metrics ----------------------------------------------------------------------------

// Reads Prometheus text lines like
//   kafka_connect_source_task_source_record_write_total{connector="x",task="0"} 42
// into a Map "connector\u0000task" -> value.
function parseCounts(text) {
  const counts = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    if (brace < 0) continue;
    const name = line.slice(0, brace);
    if (!THROUGHPUT_METRICS.includes(name)) continue;
    const close = line.lastIndexOf('}');
    const labels = {};
    const re = /(\w+)="((?:[^"\\]|\\.)*)"/g;
    let m;
    while ((m = re.exec(line.slice(brace + 1, close))) !== null) {
      labels[m[1]] = m[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    const value = parseFloat(line.slice(close + 1).trim().split(/\s+/)[0]);
    if (labels.connector === undefined || labels.task === undefined || Number.isNaN(value)) continue;
    const key = `${labels.connector}\u0000${labels.task}`;
    counts.set(key, (counts.get(key) || 0) + value);
  }
  return counts;
}

async function scrapeMetrics() {
  let text;
  try {
    const resp = await fetch('/metrics');
    if (!resp.ok) {
      state.metricsAvailable = false;
      state.rates.clear();
      return;
    }
    text = await resp.text();
  } catch (e) {
    state.metricsAvailable = false;
    state.rates.clear();
    return;
  }
  state.metricsAvailable = true;
  const now = performance.now();
  const counts = parseCounts(text);
  state.rates.clear();
  if (state.lastCounts && now > state.lastScrapeMs) {
    const seconds = (now - state.lastScrapeMs) / 1000;
    for (const [key, value] of counts) {
      const before = state.lastCounts.get(key);
      // A restarted task starts counting from zero again: no rate for that interval.
      if (before !== undefined && value >= before) state.rates.set(key, (value - before) / seconds);
    }
  }
  state.lastCounts = counts;
  state.lastScrapeMs = now;
}

function formatRate(rate) {
  if (rate === undefined) return '—';
  if (rate >= 100) return Math.round(rate).toLocaleString('en');
  return rate.toFixed(1);
}

function taskRate(connector, task) {
  return state.metricsAvailable ? state.rates.get(`${connector}\u0000${task}`) : undefined;
}

function connectorRate(connector, tasks) {
  if (!state.metricsAvailable) return undefined;
  let sum;
  for (const t of tasks) {
    const r = taskRate(connector, t.id);
    if (r !== undefined) sum = (sum || 0) + r;
  }
  return sum;
}

// ---- Connectors table -------------------------------------------------------------------

function stateBadge(value, role) {
  return el('span', { class: 'state', dataset: { state: value || 'UNKNOWN', role }, text: value || 'UNKNOWN' });
}

function traceCell(key, trace) {
  if (!trace) return null;
  const firstLine = trace.split('\n')[0];
  const details = el('details', { class: 'trace', dataset: { traceKey: key } },
      el('summary', { text: `Error: ${firstLine.slice(0, 120)}` }),
      el('pre', { text: trace }));
  if (state.openTraces.has(key)) details.open = true;
  details.addEventListener('toggle', () => {
    if (details.open) state.openTraces.add(key); else state.openTraces.delete(key);
  });
  return details;
}

function actionButton(action, label, connector) {
  const b = el('button', {
    type: 'button', dataset: { action, connector }, 'aria-label': `${label} connector ${connector}`,
    text: label,
  });
  if (action === 'delete') b.classList.add('danger');
  return b;
}

// The button with keyboard focus, so a refresh (which rebuilds the rows) does not lose it.
function focusedAction() {
  const b = document.activeElement;
  if (!b || !b.matches || !b.matches('#connectors button[data-action]')) return null;
  return { action: b.dataset.action, connector: b.dataset.connector };
}

function restoreFocus(focus) {
  if (!focus) return;
  const toggled = { pause: 'resume', resume: 'pause' };
  for (const action of [focus.action, toggled[focus.action]]) {
    if (!action) continue;
    const b = [...document.querySelectorAll(`#connectors button[data-action="${action}"]`)]
        .find((x) => x.dataset.connector === focus.connector);
    if (b) {
      b.focus();
      return;
    }
  }
}

function renderConnectors(expanded) {
  const table = $('connectors');
  const focus = focusedAction();
  for (const body of table.querySelectorAll('tbody')) body.remove();
  const names = Object.keys(expanded).sort();
  $('no-connectors').hidden = names.length > 0;
  for (const name of names) {
    const entry = expanded[name] || {};
    const status = entry.status || {};
    const info = entry.info || {};
    const conn = status.connector || {};
    const tasks = (status.tasks || []).slice().sort((a, b) => a.id - b.id);
    const type = status.type || info.type || '';
    const connState = conn.state || 'UNKNOWN';

    const body = el('tbody', { dataset: { connector: name } });
    const actions = el('td', { class: 'actions' },
        connState === 'PAUSED' || connState === 'STOPPED'
          ? actionButton('resume', 'Resume', name) : actionButton('pause', 'Pause', name),
        actionButton('restart', 'Restart', name),
        actionButton('stop', 'Stop', name),
        actionButton('delete', 'Delete', name));
    body.append(el('tr', { class: 'connector-row', dataset: { connector: name } },
        el('th', { scope: 'row' }, el('span', { class: 'connector-name', text: name }),
            traceCell(`${name}`, conn.trace)),
        el('td', { dataset: { role: 'type' }, text: type }),
        el('td', {}, stateBadge(connState, 'connector-state')),
        el('td', { dataset: { role: 'worker' }, text: conn.worker_id || '' }),
        el('td', { dataset: { role: 'throughput' }, text: formatRate(connectorRate(name, tasks)) }),
        actions));
    for (const t of tasks) {
      body.append(el('tr', { class: 'task-row', dataset: { connector: name, task: String(t.id) } },
          el('td', {}, el('span', { text: `task ${t.id}` }), traceCell(`${name}\u0000${t.id}`, t.trace)),
          el('td', { text: type }),
          el('td', {}, stateBadge(t.state, 'task-state')),
          el('td', { dataset: { role: 'worker' }, text: t.worker_id || '' }),
          el('td', { dataset: { role: 'throughput' }, text: formatRate(taskRate(name, t.id)) }),
          el('td', {})));
    }
    table.append(body);
  }
  restoreFocus(focus);
}

// Reloads connectors and metrics. A call made while one runs (a click during an automatic
// refresh) makes that one run again, so the page never shows a state older than the click.
async function refresh() {
  if (state.refreshing) {
    state.refreshAgain = true;
    return;
  }
  state.refreshing = true;
  try {
    const [expanded] = await Promise.all([
      rest('GET', '/connectors?expand=status&expand=info'),
      scrapeMetrics(),
    ]);
    renderConnectors(expanded || {});
    $('last-updated').textContent = `Updated ${new Date().toLocaleTimeString()}` +
        (state.metricsAvailable ? '' : ' · throughput unavailable (no /metrics on this worker)');
    if ($('error').dataset.source === 'refresh') {
      showError('');
      delete $('error').dataset.source;
    }
  } catch (e) {
    showError(e.message);
    $('error').dataset.source = 'refresh';
  } finally {
    state.refreshing = false;
  }
  if (state.refreshAgain) {
    state.refreshAgain = false;
    await refresh();
  }
}

function scheduleRefresh() {
  clearTimeout(state.timer);
  state.timer = null;
  if (!$('auto-refresh').checked) return;
  state.timer = setTimeout(async () => {
    await refresh();
    scheduleRefresh();
  }, REFRESH_MS);
}

async function loadWorkerInfo() {
  try {
    const info = await rest('GET', '/');
    $('worker-info').textContent = `Worker version ${info.version} · Kafka cluster ${info.kafka_cluster_id}`;
  } catch (e) {
    $('worker-info').textContent = '';
    showError(e.message);
  }
}

function confirmDelete(name) {
  const dialog = $('confirm-dialog');
  $('confirm-text').textContent =
      `Delete connector "${name}"? Its configuration and tasks are removed from the cluster.`;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

async function runAction(action, name) {
  const path = `/connectors/${enc(name)}`;
  const calls = {
    pause: () => rest('PUT', `${path}/pause`),
    resume: () => rest('PUT', `${path}/resume`),
    restart: () => rest('POST', `${path}/restart?includeTasks=true`),
    stop: () => rest('PUT', `${path}/stop`),
    delete: () => rest('DELETE', path),
  };
  if (!calls[action]) return;
  if (action === 'delete' && !(await confirmDelete(name))) return;
  try {
    await calls[action]();
    showError('');
    const done = { pause: 'paused', resume: 'resumed', restart: 'restarting (with its tasks)',
      stop: 'stopped', delete: 'deleted' };
    showMessage(`Connector "${name}" ${done[action]}.`);
  } catch (e) {
    showMessage('');
    showError(e.message);
  }
  await refresh();
}

// ---- New connector form -----------------------------------------------------------------

function fieldId(key) {
  return `cfg-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function inputFor(key) {
  const id = fieldId(key.name);
  const type = (key.type || 'STRING').toUpperCase();
  const def = key.default_value;
  const common = { id, dataset: { key: key.name, type }, 'aria-describedby': `${id}-hint ${id}-error` };
  if (key.required) { common.required = true; common['aria-required'] = 'true'; }
  let input;
  switch (type) {
    case 'BOOLEAN':
      input = el('input', { ...common, type: 'checkbox' });
      input.checked = def === 'true';
      return input;
    case 'INT': case 'LONG': case 'SHORT':
      input = el('input', { ...common, type: 'number', step: '1' });
      break;
    case 'DOUBLE':
      input = el('input', { ...common, type: 'number', step: 'any' });
      break;
    case 'PASSWORD':
      input = el('input', { ...common, type: 'password', autocomplete: 'new-password' });
      break;
    default:
      input = el('input', { ...common, type: 'text' });
  }
  if (def !== null && def !== undefined && def !== '[hidden]') input.value = def;
  return input;
}

function renderField(key) {
  const id = fieldId(key.name);
  const type = (key.type || 'STRING').toUpperCase();
  const input = inputFor(key);
  const label = el('label', { for: id, text: key.display_name || key.name },
      key.required ? el('span', { class: 'required', 'aria-hidden': 'true', text: ' *' }) : null);
  let hintText = key.documentation || '';
  if (type === 'LIST') hintText += (hintText ? ' ' : '') + '(comma-separated)';
  if (key.display_name && key.display_name !== key.name) hintText = `${key.name}: ${hintText}`;
  const hint = el('small', { class: 'hint', id: `${id}-hint`, text: hintText });
  const error = el('div', { class: 'field-error', id: `${id}-error`, dataset: { errorFor: key.name } });
  const wrap = el('div', { class: 'field', dataset: { field: key.name } });
  if (type === 'BOOLEAN') {
    wrap.append(el('div', {}, input, ' ', label), hint, error);
  } else {
    wrap.append(label, input, hint, error);
  }
  return wrap;
}

function renderConfigForm(keys) {
  const holder = $('config-fields');
  holder.replaceChildren();
  const groups = new Map();
  for (const k of keys) {
    if (k.name === 'name' || k.name === 'connector.class') continue;
    const g = k.group || 'Settings';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(k);
  }
  for (const [group, list] of groups) {
    list.sort((a, b) => (a.order_in_group ?? 0) - (b.order_in_group ?? 0));
    const fs = el('fieldset', { dataset: { group } }, el('legend', { text: group }));
    for (const k of list) fs.append(renderField(k));
    holder.append(fs);
  }
}

async function choosePlugin(pluginClass) {
  clearFormErrors();
  $('config-fields').replaceChildren();
  $('validate-connector').disabled = true;
  $('create-connector').disabled = true;
  state.pluginKeys = [];
  if (!pluginClass) return;
  try {
    let keys = await rest('GET', `/connector-plugins/${enc(pluginClass)}/config`);
    keys = Array.isArray(keys) ? keys : [];
    // Every connector takes tasks.max; a plugin's own config list may leave it out.
    if (!keys.some((k) => k.name === 'tasks.max')) {
      keys.unshift({ name: 'tasks.max', type: 'INT', required: false, default_value: '1',
        documentation: 'Maximum number of tasks to use for this connector.', group: 'Common',
        order_in_group: 0, display_name: 'Tasks max' });
    }
    state.pluginKeys = keys;
    renderConfigForm(keys);
    $('validate-connector').disabled = false;
    $('create-connector').disabled = false;
  } catch (e) {
    $('form-errors').textContent = e.message;
  }
}

// The config to send: connector.class, name and every field the user set to something other
// than its default.
function collectConfig() {
  const config = { 'connector.class': $('plugin-select').value };
  const name = $('connector-name').value.trim();
  if (name) config.name = name;
  for (const k of state.pluginKeys) {
    const input = document.getElementById(fieldId(k.name));
    if (!input) continue;
    const def = k.default_value;
    let value;
    if (input.type === 'checkbox') {
      value = input.checked ? 'true' : 'false';
      if (value === (def || 'false')) continue;
    } else {
      value = input.value.trim();
      if (value === '' || value === def) continue;
    }
    config[k.name] = value;
  }
  return config;
}

function clearFormErrors() {
  $('form-errors').textContent = '';
  for (const e of document.querySelectorAll('#connector-form [data-error-for]')) e.textContent = '';
  for (const i of document.querySelectorAll('#connector-form [aria-invalid]')) {
    i.removeAttribute('aria-invalid');
  }
}

// PUT …/config/validate and marks each field Connect reports errors for. Resolves to true when
// the config has no errors.
async function validateForm() {
  clearFormErrors();
  const plugin = $('plugin-select').value;
  const config = collectConfig();
  let result;
  try {
    result = await rest('PUT', `/connector-plugins/${enc(plugin)}/config/validate`, config);
  } catch (e) {
    $('form-errors').textContent = e.message;
    return false;
  }
  const unplaced = [];
  for (const c of result.configs || []) {
    const v = c.value || {};
    const errors = v.errors || [];
    if (!errors.length) continue;
    const key = v.name || (c.definition && c.definition.name);
    const box = document.querySelector(`#connector-form [data-error-for="${CSS.escape(key)}"]`);
    if (box) {
      box.textContent = errors.join(' ');
      const input = key === 'name' ? $('connector-name') : document.getElementById(fieldId(key));
      if (input) input.setAttribute('aria-invalid', 'true');
    } else {
      unplaced.push(`${key}: ${errors.join(' ')}`);
    }
  }
  if (!config.name) {
    $('connector-name-error').textContent = 'Give the connector a name.';
    $('connector-name').setAttribute('aria-invalid', 'true');
  }
  if (unplaced.length) $('form-errors').textContent = unplaced.join('\n');
  const ok = (result.error_count || 0) === 0 && !!config.name;
  if (ok) showMessage('The configuration is valid.');
  return ok;
}

async function submitForm(event) {
  event.preventDefault();
  showMessage('');
  if (!(await validateForm())) return;
  const config = collectConfig();
  const name = config.name;
  try {
    await rest('POST', '/connectors', { name, config });
    showError('');
    showMessage(`Connector "${name}" created.`);
    closeForm();
  } catch (e) {
    $('form-errors').textContent = e.message;
    return;
  }
  await refresh();
}

async function openForm() {
  $('new-connector-panel').hidden = false;
  $('new-connector').setAttribute('aria-expanded', 'true');
  const select = $('plugin-select');
  try {
    const plugins = await rest('GET', '/connector-plugins');
    select.replaceChildren(el('option', { value: '', text: 'Choose a connector plugin…' }));
    for (const p of plugins || []) {
      select.append(el('option', { value: p.class, text: `${p.class} (${p.type}, ${p.version})` }));
    }
  } catch (e) {
    $('form-errors').textContent = e.message;
  }
  select.focus();
}

function closeForm() {
  $('new-connector-panel').hidden = true;
  $('new-connector').setAttribute('aria-expanded', 'false');
  $('connector-form').reset();
  $('config-fields').replaceChildren();
  clearFormErrors();
  state.pluginKeys = [];
}

// ---- Wiring -----------------------------------------------------------------------------

function init() {
  $('connectors').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (button) runAction(button.dataset.action, button.dataset.connector);
  });
  $('auto-refresh').addEventListener('change', scheduleRefresh);
  $('refresh-now').addEventListener('click', () => refresh());
  $('new-connector').addEventListener('click', () => {
    if ($('new-connector-panel').hidden) openForm(); else closeForm();
  });
  $('cancel-connector').addEventListener('click', closeForm);
  $('plugin-select').addEventListener('change', (e) => choosePlugin(e.target.value));
  $('validate-connector').addEventListener('click', () => validateForm());
  $('connector-form').addEventListener('submit', submitForm);
  loadWorkerInfo();
  refresh().then(scheduleRefresh);
}

document.addEventListener('DOMContentLoaded', init);
