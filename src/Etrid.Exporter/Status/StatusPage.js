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


  // Trends: the last hour from /status/history, extended by each status document's `trend` member.
  var SVG = 'http://www.w3.org/2000/svg';
  var WINDOW_MS = 3600 * 1000;
  var hist = null, loading = false, waiting = null, drawnKey = null;
  var trends = withId(el('section', 'card wide'), 'trends');

  function svg(tag, attrs, children) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c))); });
    return e;
  }
  function ms(p) { return Date.parse(p.at); }
  function hhmm(t, seconds) {
    return new Date(t).toLocaleTimeString('en-GB', { hour12: false, hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined });
  }
  function shortSecs(v) { return v < 120 ? num(v) + ' s' : v < 7200 ? num(v / 60, v < 600 ? 1 : 0) + ' min' : num(v / 3600, 1) + ' h'; }
  function shortUsd(v) { return '$' + num(v, v < 10 ? 2 : 0); }
  function nice(v) {
    if (!(v > 0)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  function loadHistory() {
    if (loading) { return; }
    loading = true;
    fetch('/status/history', { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error('/status/history answered ' + r.status); }
      return r.json();
    }).then(function (h) {
      loading = false;
      hist = { points: h.points || [], decisions: h.decisions || [] };
      var t = waiting; waiting = null;
      if (t) { mergeTrend(t); } else { drawTrends(); }
    }).catch(function () { loading = false; hist = hist || { points: [], decisions: [] }; drawTrends(); });
  }

  // Appends the newest point (or replaces the last one, taken within a second); a gap means points were
  // missed (the feed is latest-wins), so the history is fetched again.
  function mergeTrend(t) {
    if (!t || !t.point) { return; }
    if (!hist || loading) { waiting = t; return; }
    var pts = hist.points, last = pts.length ? pts[pts.length - 1] : null, p = t.point, gap = false;
    if (!last || p.seq === last.seq + 1) { pts.push(p); } else if (p.seq === last.seq) { pts[pts.length - 1] = p; } else if (p.seq > last.seq + 1 || ms(p) > ms(last)) { gap = true; }
    // (an older point, sent before the history was read, is already in it)
    var ds = hist.decisions, top = ds.length ? ds[ds.length - 1].seq : 0;
    var fresh = (t.decisions || []).filter(function (d) { return d.seq > top; });
    if (fresh.length && fresh[0].seq > top + 1 && ds.length) { gap = true; } else { fresh.forEach(function (d) { ds.push(d); }); }
    if (gap) { waiting = t; loadHistory(); return; }
    var newest = ms(pts[pts.length - 1]);
    while (pts.length > 1 && ms(pts[0]) < newest - WINDOW_MS) { pts.shift(); }
    while (ds.length && Date.parse(ds[0].at) < newest - WINDOW_MS) { ds.shift(); }
    drawTrends();
  }

  function segments(pts, value) {
    var out = [], cur = [];
    pts.forEach(function (p) {
      var v = value(p);
      if (typeof v === 'number' && isFinite(v)) { cur.push([ms(p), v, p]); } else if (cur.length) { out.push(cur); cur = []; }
    });
    if (cur.length) { out.push(cur); }
    return out;
  }

  // One chart: series on a left (and maybe right) axis, decisions as marks on the time axis.
  function chart(spec, pts, marks, x0, x1, width) {
    var W = Math.max(240, width), H = 170, L = 44, R = spec.right ? 48 : 12, T = 16, B = 22;
    var x = function (t) { return L + (x1 === x0 ? 1 : (t - x0) / (x1 - x0)) * (W - L - R); };
    var axes = { left: 0, right: 0 };
    spec.series.forEach(function (s) {
      pts.forEach(function (p) { var v = s.value(p); if (typeof v === 'number' && v > axes[s.axis || 'left']) { axes[s.axis || 'left'] = v; } });
    });
    var top = { left: nice(axes.left * 1.05), right: nice(axes.right * 1.05) };
    var y = function (v, axis) { return T + (1 - v / top[axis || 'left']) * (H - T - B); };
    var kids = [];
    [0, 0.5, 1].forEach(function (f) {
      var yy = y(top.left * f);
      kids.push(svg('line', { x1: L, x2: W - R, y1: yy, y2: yy, 'class': 'grid' }));
      kids.push(svg('text', { x: L - 4, y: yy + 4, 'text-anchor': 'end' }, [spec.format(top.left * f)]));
      if (spec.right) { kids.push(svg('text', { x: W - R + 4, y: yy + 4, 'class': 'r' }, [spec.right(top.right * f)])); }
    });
    var ticks = W < 420 ? 3 : 5;
    for (var i = 0; i < ticks; i++) {
      var t = x0 + (x1 - x0) * i / (ticks - 1);
      kids.push(svg('text', { x: x(t), y: H - 6, 'text-anchor': i === 0 ? 'start' : i === ticks - 1 ? 'end' : 'middle' }, [hhmm(t)]));
    }
    spec.series.forEach(function (s) {
      segments(pts, s.value).forEach(function (seg) {
        var line = seg.map(function (q, j) { return (j ? 'L' : 'M') + x(q[0]).toFixed(1) + ' ' + y(q[1], s.axis).toFixed(1); }).join('');
        if (s.area) {
          var base = seg.slice().reverse().map(function (q) { var b = s.base ? s.base(q[2]) || 0 : 0; return 'L' + x(q[0]).toFixed(1) + ' ' + y(b, s.axis).toFixed(1); }).join('');
          kids.push(svg('path', { d: line + base + 'Z', 'class': 'area ' + s.cls }));
        }
        kids.push(svg('path', { d: line, 'class': 'line ' + s.cls + (s.dash ? ' dash' : '') }));
      });
    });
    // Decisions closer than a label's width share one mark ("1–4"), its title listing each.
    var groups = [];
    marks.forEach(function (m) {
      var xx = x(Date.parse(m.d.at)), g = groups[groups.length - 1];
      if (g && xx - g.x < 16) { g.items.push(m); } else { groups.push({ x: xx, items: [m] }); }
    });
    groups.forEach(function (g) {
      var first = g.items[0], lastItem = g.items[g.items.length - 1];
      var label = g.items.length > 1 ? first.n + '–' + lastItem.n : String(first.n);
      var tip = g.items.map(function (m) {
        return m.n + '. ' + hhmm(Date.parse(m.d.at), true) + ' ' + m.d.action + (m.d.pool ? ' ' + m.d.pool : '') + ': ' + m.d.reason + ' (' + m.d.reason_code + ')';
      }).join('\n');
      var w = 8 + label.length * 6;
      kids.push(svg('g', { 'class': 'mark ' + first.d.action }, [
        svg('title', null, [tip]),
        svg('line', { x1: g.x, x2: g.x, y1: T - 4, y2: H - B }),
        svg('rect', { x: g.x - w / 2, y: 0, width: w, height: 13, rx: 3 }),
        svg('text', { x: g.x, y: 10, 'text-anchor': 'middle' }, [label])
      ]));
    });
    var e = svg('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': spec.title, 'data-points': pts.length }, kids);
    e.id = spec.id;
    return e;
  }

  function legend(series) {
    return el('div', 'legend', series.map(function (s) { return el('span', null, [el('i', 'sw ' + s.cls + (s.dash ? ' dash' : '')), s.label]); }));
  }

  var specs = [
    { id: 'chart-queue', title: 'Queue and wait', format: function (v) { return num(v); }, right: shortSecs, series: [
      { label: 'pending', cls: 'c-pending', area: true, value: function (p) { return p.pending; } },
      { label: 'processing', cls: 'c-processing', value: function (p) { return p.processing; } },
      { label: 'average wait (right)', cls: 'c-wait', axis: 'right', value: function (p) { return p.average_wait_seconds; } }] },
    { id: 'chart-gpus', title: 'GPUs: local and burst', format: function (v) { return num(v); }, series: [
      { label: 'local', cls: 'c-local', area: true, value: localOf },
      { label: 'burst running', cls: 'c-burst', area: true, base: localOf, value: function (p) { return p.burst_running_gpus === null || p.burst_running_gpus === undefined ? null : localOf(p) + p.burst_running_gpus; } },
      { label: 'local + burst desired', cls: 'c-desired', dash: true, value: function (p) { return p.burst_desired_gpus === null || p.burst_desired_gpus === undefined ? null : localOf(p) + p.burst_desired_gpus; } }] },
    { id: 'chart-spend', title: 'Burst spend, $ per hour', format: shortUsd, series: [
      { label: 'spend rate', cls: 'c-spend', area: true, value: function (p) { return p.spend_usd_per_hour; } },
      { label: 'committed', cls: 'c-committed', value: function (p) { return p.committed_usd_per_hour; } },
      { label: 'budget', cls: 'c-budget', dash: true, value: function (p) { return p.budget_usd_per_hour; } }] }
  ];
  // Local GPUs: the burst controller's local capacity, or the chain's active GPUs while it is off.
  function localOf(p) { return p.local_gpus === null || p.local_gpus === undefined ? p.active_gpus : p.local_gpus; }

  function drawTrends() {
    if (!hist) { trends.replaceChildren(el('h2', null, ['Last hour']), el('p', 'muted', ['Loading the history…'])); return; }
    var pts = hist.points;
    var width = trends.clientWidth;
    var key = [width, pts.length, pts.length ? pts[pts.length - 1].seq + ':' + pts[pts.length - 1].at : '', hist.decisions.length ? hist.decisions[hist.decisions.length - 1].seq : 0].join('|');
    if (key === drawnKey) { return; }
    drawnKey = key;
    if (!pts.length) { trends.replaceChildren(el('h2', null, ['Last hour']), el('p', 'muted', ['No snapshot yet.'])); return; }
    var x1 = ms(pts[pts.length - 1]), x0 = Math.min(ms(pts[0]), x1 - 60000);
    var marks = hist.decisions.filter(function (d) { var t = Date.parse(d.at); return t >= x0 && t <= x1 + 60000; })
      .map(function (d, i) { return { d: d, n: i + 1 }; });
    var grid = el('div', 'charts', specs.map(function (spec) { return el('div', 'chart', [el('h3', null, [spec.title]), legend(spec.series)]); }));
    var caption = marks.length
      ? el('ol', 'marks', marks.slice().reverse().map(function (m) {
        return withNumber(el('li', null, [el('b', 'mono', [String(m.n)]), ' ', time(m.d.at), ' ', pill(m.d.action, m.d.action === 'create' || m.d.action === 'resume' ? 'ok' : 'warn'), ' ', m.d.pool || '', ' ', m.d.reason, ' ', el('span', 'muted', ['(' + m.d.reason_code + ')'])]), m.n);
      }))
      : el('p', 'muted', ['No burst decision in this hour (the controller acts when the queue outgrows the local GPUs).']);
    trends.replaceChildren(el('h2', null, ['Last hour · ' + num(pts.length) + ' points']), grid, el('h3', null, ['Burst decisions (numbered on the charts)']), caption);
    var holders = grid.children;
    specs.forEach(function (spec, i) {
      var burstOff = spec.id === 'chart-spend' && !pts.some(function (p) { return p.spend_usd_per_hour !== null && p.spend_usd_per_hour !== undefined; });
      holders[i].appendChild(burstOff ? el('p', 'muted', ['The burst controller is off.']) : chart(spec, pts, marks, x0, x1, holders[i].clientWidth));
    });
  }
  function withNumber(e, n) { e.value = n; return e; }
  var resizing = null;
  window.addEventListener('resize', function () {
    if (resizing) { return; }
    resizing = requestAnimationFrame(function () { resizing = null; drawTrends(); });
  });

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
    // The trends when this exporter keeps a history (its documents then carry `trend`, null before the first snapshot).
    var hasTrend = Object.prototype.hasOwnProperty.call(s, 'trend');
    app.replaceChildren.apply(app, [tiles(s)].concat(hasTrend ? [trends] : [], [el('div', 'grid', [chainCard(s), figuresCard(s)])], wide));
    if (hasTrend) {
      if (!hist && !loading) { loadHistory(); }
      if (s.trend) { mergeTrend(s.trend); } else { drawTrends(); }
    }
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
  window.etridTrend = function () { return hist; };
}());
