(function () {
  'use strict';
  // Every value is placed with textContent: providers, reasons and identities come from remote parties.
  var app = document.getElementById('app');
  var live = document.getElementById('live');
  var last = null;

  function el(tag, cls, children) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
    return e;
  }
  function withId(e, id) { e.id = id; return e; }
  function num(v, digits) {
    if (v === null || v === undefined || typeof v !== 'number') { return '—'; }
    return v.toLocaleString('en', { maximumFractionDigits: digits === undefined ? 0 : digits, minimumFractionDigits: digits || 0 });
  }
  function secs(v) {
    if (v === null || v === undefined) { return '—'; }
    if (v < 1) { return num(v * 1000, 1) + ' ms'; }
    if (v < 120) { return num(v, 1) + ' s'; }
    if (v < 7200) { return num(Math.floor(v / 60)) + ' min ' + num(Math.round(v % 60)) + ' s'; }
    return num(v / 3600, 1) + ' h';
  }
  function age(v) { return v === null || v === undefined ? '—' : v < 1 ? 'under 1 s' : secs(v); }
  function usd(v) { return v === null || v === undefined ? '—' : '$' + num(v, 2); }
  function time(t) {
    if (!t) { return '—'; }
    var d = new Date(t);
    return isNaN(d.getTime()) ? String(t) : d.toLocaleTimeString('en-GB', { hour12: false });
  }
  function pill(text, kind) { return el('span', 'pill' + (kind ? ' ' + kind : ''), [text]); }
  function card(title, children, wide) { return el('section', 'card' + (wide ? ' wide' : ''), [el('h2', null, [title])].concat(children)); }
  function kv(rows) {
    return el('div', 'scroll', [el('table', null, [el('tbody', null, rows.filter(Boolean).map(function (r) {
      return el('tr', null, [el('th', null, [r[0]]), el('td', r[2] || null, [r[1]])]);
    }))])]);
  }
  function table(headers, rows, numeric) {
    numeric = numeric || [];
    return el('div', 'scroll', [el('table', null, [
      el('thead', null, [el('tr', null, headers.map(function (h) { return el('th', null, [h]); }))]),
      el('tbody', null, rows.map(function (r) {
        return el('tr', null, r.map(function (c, i) { return el('td', numeric.indexOf(i) >= 0 ? 'n' : null, [c]); }));
      }))])]);
  }
  function counts(map) {
    return Object.keys(map || {}).map(function (k) { return [k.replace(/_/g, ' '), num(map[k]), 'n']; });
  }
  function tile(label, value, id, sub) {
    var v = el('div', 'v', [value]);
    if (id) { v.id = id; }
    return el('div', 'tile', [v, el('div', 'k', [label]), sub ? el('div', 'k', [sub]) : null]);
  }

  function tiles(s) {
    var f = s.figures || {}, jobs = f.jobs_by_status || {}, gpus = f.gpus_by_status || {}, snap = s.chain.snapshot;
    return el('div', 'tiles', [
      tile('block of the figures', snap ? num(snap.block) : '—', 'block', snap ? age(snap.age_seconds) + ' old' : 'no snapshot yet'),
      tile('pending jobs', num(jobs.pending), 'pending'),
      tile('processing jobs', num(jobs.processing)),
      tile('jobs per active GPU', num(f.jobs_per_active_gpu, 2)),
      tile('average wait', secs(f.average_wait_seconds)),
      tile('average duration', s.figures && f.average_duration_seconds === null ? 'no completions' : secs(f.average_duration_seconds)),
      tile('active GPUs', num(gpus.active)),
      tile('providers', num(s.providers.count))
    ]);
  }

  function chainCard(s) {
    var c = s.chain, snap = c.snapshot;
    return card('Chain', [kv([
      ['Connection', c.connected ? pill('connected', 'ok') : pill('not connected', 'bad')],
      ['Node', el('span', 'mono', [c.endpoint || '—'])],
      ['Chain', c.name || 'unknown'],
      ['Genesis', el('span', 'mono', [c.genesis_hash || '—'])],
      ['Node lag', c.endpoint_lag_blocks > 0 ? el('span', 'error', [num(c.endpoint_lag_blocks) + ' blocks behind the kept state']) : 'current'],
      ['Node believed', c.endpoint_problem ? el('span', 'error', [c.endpoint_problem]) : 'yes'],
      ['Best block', num(c.best_block)],
      ['Finalized block', num(c.finalized_block)],
      ['Last finalized head', c.finalized_age_seconds === null ? 'never' : age(c.finalized_age_seconds) + ' ago'],
      ['Figures taken at', snap ? el('span', null, [num(snap.block) + ' · ', el('span', 'mono', [snap.hash])]) : 'none yet'],
      ['Figures age', snap ? age(snap.age_seconds) + ' (stale after ' + secs(c.staleness_limit_seconds) + ')' : '—'],
      ['Runtime spec version', num(c.spec_version)],
      ['Reconnects', num(c.reconnects)],
      ['Last error', c.last_error ? el('span', 'error', [c.last_error]) : 'none']
    ])]);
  }

  function figuresCard(s) {
    var f = s.figures;
    if (!f) { return card('Figures', [el('p', 'muted', ['No snapshot yet: ' + s.reason])]); }
    return card('Figures', [
      el('h3', null, ['Jobs by status']), kv(counts(f.jobs_by_status)),
      el('h3', null, ['GPUs by status']), kv(counts(f.gpus_by_status)),
      el('h3', null, ['Pending queue']), kv([
        ['Pending list length', num(f.pending_list_length), 'n'],
        ['Oldest pending wait', secs(f.oldest_pending_wait_seconds), 'n'],
        ['Jobs without a provider', num(f.unattributed_jobs), 'n']
      ].concat(counts(f.pending_by_priority).map(function (r) { return ['priority ' + r[0], r[1], 'n']; }))
        .concat(counts(f.pending_by_model_type).map(function (r) { return ['model ' + r[0], r[1], 'n']; })))
    ]);
  }

  function providersCard(s) {
    var p = s.providers;
    var rows = (p.top || []).map(function (r) {
      return [el('span', 'mono addr', [r.address]), num(r.registered_gpus), num(r.active_gpus), num(r.busy_gpus),
        el('span', null, [num(r.utilization_percent, 1) + ' %', el('div', 'bar', [barOf(r.utilization_percent)])]),
        num(r.jobs_completed), num(r.earnings_edsc, 4)];
    });
    var note = p.count > rows.length ? el('p', 'muted', ['The ' + rows.length + ' largest of ' + num(p.count) + ' providers (by registered GPUs); all are in /metrics.']) : null;
    return card('Providers (' + num(p.count) + ')', [rows.length ? table(['Provider', 'GPUs', 'Active', 'Busy', 'Utilisation', 'Jobs done', 'Earnings (EDSC)'], rows, [1, 2, 3, 5, 6]) : el('p', 'muted', ['No providers yet.']), note], true);
  }
  function barOf(percent) {
    var span = document.createElement('span');
    span.style.width = Math.max(0, Math.min(100, Number(percent) || 0)) + '%';
    return span;
  }

  function requestsTable(part, label) {
    if (!part) { return [el('h3', null, [label]), el('p', 'muted', ['Off.'])]; }
    var rows = (part.recent || []).map(function (r) {
      var ok = r.code === '200' || r.code === 'OK';
      return [time(r.at), r.operation, r.metric || '—', pill(r.code, ok ? 'ok' : 'bad'), el('span', 'mono', [r.identity || '—']), secs(r.duration_seconds)];
    });
    return [el('h3', null, [label + ' · ' + num(part.total) + ' since start']),
      rows.length ? table(['Time', label.indexOf('KEDA') === 0 ? 'RPC' : 'Route', 'Metric', 'Code', label.indexOf('KEDA') === 0 ? 'ScaledObject' : 'Caller', 'Took'], rows, [5]) : el('p', 'muted', ['No requests yet.'])];
  }
  function scalingCard(s) {
    var sc = s.scaling || {};
    return withId(card('Autoscaling requests', requestsTable(sc.external_metrics, 'External metrics API (HPA)').concat(requestsTable(sc.keda_scaler, 'KEDA scaler')), true), 'scaling');
  }

  function burstCard(b) {
    if (b.error) { return card('Burst capacity', [el('p', 'error', [b.error])], true); }
    var status = b.enabled ? (b.leading ? pill(b.dry_run ? 'dry run' : 'active', b.dry_run ? 'warn' : 'ok') : pill('standby (another replica leads)', 'warn')) : pill('off', null);
    var budget = b.budget_usd_per_hour;
    var parts = [kv([
      ['State', status],
      ['Leader', b.leader_identity || '—'],
      ['Gate', b.gate || '—'],
      ['GPUs: desired / running burst', num(b.desired_gpus) + ' / ' + num(b.current_gpus)],
      ['Local GPUs', num(b.local_gpus) + (b.local_capacity_source ? ' (' + b.local_capacity_source + ')' : '')],
      ['Committed / budget', usd(b.committed_usd_per_hour) + ' / ' + (budget === null || budget === undefined ? 'no budget' : usd(budget)) + ' per hour'],
      ['Spend rate (estimate)', usd(b.spend_rate_usd_per_hour) + ' per hour'],
      ['Spent so far (estimate)', usd(b.cost_usd_total)],
      ['Last tick', time(b.last_tick)]
    ])];
    var pools = b.pools || [];
    parts.push(el('h3', null, ['Pools']));
    parts.push(pools.length ? table(['Pool', 'Instance type', 'GPUs/node', 'Spot $/GPU·h', 'Limit $/GPU·h', 'Bids', 'Note'], pools.map(function (p) {
      var over = typeof p.spot_usd_per_gpu_hour === 'number' && typeof p.limit_usd_per_gpu_hour === 'number' && p.spot_usd_per_gpu_hour > p.limit_usd_per_gpu_hour;
      return [p.name, el('span', 'mono', [p.instance_type || '—']), num(p.gpus_per_node), el('span', over ? 'error' : null, [num(p.spot_usd_per_gpu_hour, 2)]), num(p.limit_usd_per_gpu_hour, 2), num((p.bids || []).length), p.skipped ? pill(p.skipped, 'warn') : '—'];
    }), [2, 3, 4, 5]) : el('p', 'muted', ['No pools configured.']));
    var bids = [];
    pools.forEach(function (p) { (p.bids || []).forEach(function (bid) { bids.push([p.name, bid]); }); });
    parts.push(el('h3', null, ['Bids']));
    parts.push(bids.length ? table(['Pool', 'Bid', 'Name', 'Status', 'Instance', 'Created'], bids.map(function (x) {
      var bid = x[1], st = bid.paused ? 'Paused' : bid.status;
      return [x[0], el('span', 'mono', [bid.fid]), bid.name || '—', pill(st || '—', st === 'Allocated' ? 'ok' : st === 'Preempting' ? 'bad' : 'warn'), bid.instance_status || '—', time(bid.created_at)];
    })) : el('p', 'muted', ['No bids.']));
    var decisions = b.decisions || [];
    parts.push(el('h3', null, ['Last decisions']));
    parts.push(decisions.length ? table(['Time', 'Pool', 'Action', 'Bid', 'Why'], decisions.map(function (d) {
      return [time(d.at), d.pool || '—', pill(d.action, d.action === 'hold' ? null : 'ok'), d.bid ? el('span', 'mono', [d.bid]) : '—', el('span', null, [d.reason || '', ' ', el('span', 'muted', ['(' + (d.reason_code || '') + ')'])])];
    })) : el('p', 'muted', ['No decisions yet.']));
    if ((b.failures || []).length) {
      parts.push(el('h3', null, ['Failures']));
      parts.push(el('ul', null, b.failures.map(function (f) { return el('li', 'error', [f]); })));
    }
    return withId(card('Burst capacity', parts, true), 'burst');
  }

  function render(s) {
    last = s;
    var verdict = document.getElementById('verdict');
    verdict.className = 'verdict ' + (s.ready ? 'ok' : 'bad');
    verdict.replaceChildren(el('b', null, [s.ready ? 'Ready' : 'Not ready']), el('span', 'why', [s.ready ? 'figures are fresh and served' : s.reason]));
    document.getElementById('pbc').textContent = s.pbc;
    document.getElementById('chain-name').textContent = s.chain.name ? 'chain ' + s.chain.name : '';
    document.getElementById('updated').textContent = 'updated ' + time(s.generated_at);
    // What acts on the figures (burst, autoscaling) comes before the long provider list.
    var wide = [];
    if (s.burst) { wide.push(burstCard(s.burst)); }
    wide.push(scalingCard(s), providersCard(s));
    app.replaceChildren.apply(app, [tiles(s), el('div', 'grid', [chainCard(s), figuresCard(s)])].concat(wide));
  }

  function setLive(text, cls) { live.textContent = text; live.className = 'live ' + cls; }
  function parse(text) {
    try { render(JSON.parse(text)); } catch (e) { setLive('bad update: ' + e.message, 'off'); }
  }

  // Server-sent events when the browser has them; a poll of /status otherwise or while they fail.
  var polling = null;
  function poll() {
    fetch('/status', { cache: 'no-store' }).then(function (r) { return r.text(); }).then(parse)
      .catch(function () { setLive('disconnected, retrying', 'off'); });
  }
  function startPolling() { if (!polling) { polling = setInterval(poll, 5000); } }
  function stopPolling() { if (polling) { clearInterval(polling); polling = null; } }

  parse(document.getElementById('initial').textContent);
  if (typeof EventSource === 'function') {
    var source = new EventSource('/status/events');
    source.addEventListener('open', function () { stopPolling(); setLive('live', 'on'); });
    source.addEventListener('status', function (e) { setLive('live', 'on'); parse(e.data); });
    source.addEventListener('error', function () { setLive('reconnecting…', 'off'); startPolling(); });
  } else {
    setLive('polling every 5 s', 'on');
    startPolling();
  }
  window.etridStatus = function () { return last; };
}());
