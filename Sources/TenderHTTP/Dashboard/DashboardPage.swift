/// The dashboard at `/`: one self-contained page (styles and script inline; Chart.js and the
/// shared chart code from this server), polling the /v1 API every two seconds and extending its
/// charts live from `/events`. An operator at 3 a.m. reads it top to bottom: is it fair, who is
/// loaded, what was just decided and why, what waits for me.
enum DashboardPage {
    static let html = #"""
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>Tender: allocation fairness</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>
    body { font-family: system-ui, sans-serif; margin: 16px 24px; color: #222; background: #fafafa; }
    h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 18px 0 6px; }
    .bar { display: flex; gap: 12px; flex-wrap: wrap; align-items: stretch; }
    .figure { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
    .figure .value { font-size: 24px; font-weight: 600; } .figure .label { font-size: 12px; color: #666; }
    .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
    .panel { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; overflow: auto; }
    .chart { position: relative; height: 240px; }
    table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
    td, th { border-bottom: 1px solid #eee; padding: 3px 6px; text-align: left; vertical-align: top; }
    th { color: #555; font-weight: 600; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    .ok { color: #2ca02c; } .bad { color: #d62728; } .muted { color: #888; }
    .chip { display: inline-block; border-radius: 3px; padding: 0 5px; margin: 1px; font-size: 11.5px; background: #eee; }
    .chip.won, .chip.succeeded { background: #d4f0d4; } .chip.failed, .chip.rolled_back { background: #f6d0d0; }
    .chip.running, .chip.pending { background: #fdf0c8; } .chip.refused, .chip.skipped, .chip.late { background: #e4e4e4; color: #777; }
    .util { background: #eee; width: 80px; height: 8px; display: inline-block; border-radius: 4px; overflow: hidden; }
    .util > span { display: block; height: 8px; background: #1f77b4; }
    button { font-size: 12px; margin-right: 4px; cursor: pointer; }
    #note { font-size: 12px; color: #a00; } input, select { font-size: 12.5px; }
    #timeline { margin-top: 8px; }
    @media (max-width: 1000px) { .grid { grid-template-columns: 1fr; } }
    </style>
    <script src="/assets/chart.js"></script>
    <script src="/assets/tender-charts.js"></script>
    </head><body>
    <h1>Tender: allocation fairness</h1>
    <div id="status" class="muted">connecting…</div>
    <div id="note"></div>
    <div class="bar" id="figures">
      <div class="figure"><div class="value" id="fair-jain">–</div><div class="label">Jain's index (capability-normalised, 1 = fair)</div></div>
      <div class="figure"><div class="value" id="fair-gini">–</div><div class="label">Gini (0 = fair)</div></div>
      <div class="figure"><div class="value" id="fair-window-jain">–</div><div class="label" id="fair-window-label">Jain, recent window</div></div>
      <div class="figure"><div class="value" id="fair-window-gini">–</div><div class="label">Gini, recent window</div></div>
      <div class="figure"><div class="value" id="fair-awards">–</div><div class="label">awards</div></div>
      <div class="figure"><div class="value" id="approvals-count">–</div><div class="label">approvals waiting</div></div>
    </div>

    <h2>Specialists</h2>
    <div class="panel"><table id="specialists"><thead><tr><th>specialist</th><th>kind</th><th>connected</th><th class="num">load</th><th>utilisation</th><th class="num">wins</th><th class="num">win share</th><th class="num">capability share</th><th class="num" title="delivered ÷ promised time over its ended awards (1: keeps its word)">calibration</th><th class="num" title="share of its ended awards that succeeded (recent ones weigh most)">success rate</th><th class="num" title="awards ended, counted in its track record">awards ended</th></tr></thead><tbody></tbody></table></div>

    <div class="grid">
      <div class="panel"><h2>Utilisation per specialist over time</h2><div class="chart"><canvas id="chart-util"></canvas></div></div>
      <div class="panel"><h2>Jain's index and Gini over time</h2><div class="chart"><canvas id="chart-fairness"></canvas></div></div>
      <div class="panel"><h2>Share of wins against share of capability</h2><div class="chart"><canvas id="chart-shares"></canvas></div></div>
      <div class="panel"><h2>Allocation matrix (awards, category × specialist)</h2><div id="matrix"></div></div>
    </div>

    <h2>Approvals waiting</h2>
    <div class="panel">
      <label>API token <input id="token" type="password" size="28" placeholder="needed to approve or deny"></label>
      <table id="approvals"><thead><tr><th>id</th><th>incident</th><th>specialist</th><th>step</th><th>why</th><th>waiting</th><th></th></tr></thead><tbody></tbody></table>
    </div>

    <h2>Recent auctions: every bid, and why the winner won</h2>
    <div class="panel"><table id="auctions"><thead><tr><th>incident</th><th>round</th><th>category</th><th>winner</th><th>why</th><th>bids (eta s · score, lower wins)</th></tr></thead><tbody></tbody></table></div>

    <h2>Executions: steps and rollbacks</h2>
    <div class="panel"><table id="executions"><thead><tr><th>incident</th><th>specialist</th><th>state</th><th>steps</th></tr></thead><tbody></tbody></table></div>

    <h2>Incidents</h2>
    <div class="panel">
      <form id="search">
        <input id="search-id" placeholder="INC-123" size="10">
        <select id="search-state"><option value="">any state</option></select>
        <select id="search-category"><option value="">any category</option></select>
        <button type="submit">search</button>
      </form>
      <table id="incidents"><thead><tr><th>incident</th><th>state</th><th>category</th><th>severity</th><th>service</th><th>specialist</th><th>created</th></tr></thead><tbody></tbody></table>
      <div id="timeline"></div>
    </div>

    <script>
    const T = window.TenderCharts || null;
    const esc = t => String(t == null ? '' : t).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
    const fmt = (v, d) => v == null || isNaN(v) ? '–' : Number(v).toFixed(d);
    const pct = v => fmt(100 * v, 1) + '%';
    const ago = t => { const s = Math.max(0, Date.now() / 1000 - t); return s < 90 ? Math.round(s) + ' s' : s < 5400 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h'; };
    const clock = t => new Date(t * 1000).toLocaleTimeString();
    const tokenBox = document.getElementById('token');
    tokenBox.value = localStorage.getItem('tender-token') || '';
    tokenBox.onchange = () => localStorage.setItem('tender-token', tokenBox.value);
    const headers = () => tokenBox.value ? { Authorization: 'Bearer ' + tokenBox.value } : {};
    async function get(path) {
      const r = await fetch(path, { headers: headers() });
      if (!r.ok) throw new Error(path + ': ' + r.status);
      return r.json();
    }
    if (!T || !T.haveChart) document.getElementById('note').textContent = 'Chart.js did not load (is libjs-chart.js installed?): tables only.';
    let history = [];
    let fairness = null;
    let specialists = [];

    function drawFigures() {
      if (!fairness) return;
      document.getElementById('fair-jain').textContent = fmt(fairness.total.jain, 3);
      document.getElementById('fair-gini').textContent = fmt(fairness.total.gini, 3);
      document.getElementById('fair-window-jain').textContent = fmt(fairness.window.jain, 3);
      document.getElementById('fair-window-gini').textContent = fmt(fairness.window.gini, 3);
      document.getElementById('fair-window-label').textContent = "Jain, last " + Math.round(fairness.window_seconds) + ' s';
      document.getElementById('fair-awards').textContent = fairness.total.awards.toLocaleString();
    }
    function drawSpecialists() {
      const shares = new Map((fairness ? fairness.total.specialists : []).map(s => [s.name, s]));
      document.querySelector('#specialists tbody').innerHTML = specialists.map(s => {
        const share = shares.get(s.name) || {};
        return '<tr class="specialist-row" data-name="' + esc(s.name) + '"><td>' + esc(s.name) + '</td><td>' + esc(s.kind) + '</td>'
          + '<td class="' + (s.connected ? 'ok">yes' : 'bad">no') + '</td><td class="num">' + s.load + ' / ' + s.capacity + '</td>'
          + '<td><span class="util"><span style="width:' + Math.min(100, 100 * s.utilisation) + '%"></span></span> ' + pct(s.utilisation) + '</td>'
          + '<td class="num">' + s.wins + '</td><td class="num">' + pct(share.win_share || 0) + '</td><td class="num">' + pct(share.capability_share || 0) + '</td>'
          + '<td class="num calibration">' + (s.calibration == null ? '–' : fmt(s.calibration, 2) + '×') + '</td>'
          + '<td class="num success-rate">' + (s.success_rate == null ? '–' : pct(s.success_rate)) + '</td>'
          + '<td class="num awards-ended">' + (s.awards_concluded == null ? '–' : s.awards_concluded) + '</td></tr>';
      }).join('');
    }
    function drawCharts() {
      if (!T) return;
      const t0 = history.length ? history[0].at : 0;
      const rel = v => Math.round(v - t0) + ' s';
      T.line(document.getElementById('chart-util'), specialists.map(s => ({ label: s.name,
        points: history.map(h => ({ x: h.at - t0, y: h.utilisation[s.name] || 0 })) })), { yMin: 0, yMax: 1, yLabel: 'utilisation', xLabel: 'seconds' });
      T.line(document.getElementById('chart-fairness'), [
        { label: "Jain", points: history.map(h => ({ x: h.at - t0, y: h.jain })) },
        { label: 'Gini', points: history.map(h => ({ x: h.at - t0, y: h.gini })) },
        { label: 'Jain (window)', points: history.map(h => ({ x: h.at - t0, y: h.window_jain })) } ], { yMin: 0, yMax: 1, xLabel: 'seconds' });
      if (fairness) {
        T.shareBars(document.getElementById('chart-shares'), fairness.total.specialists.map(s => s.name),
          fairness.total.specialists.map(s => s.win_share), fairness.total.specialists.map(s => s.capability_share));
        const categories = Object.keys(fairness.per_category).sort();
        T.matrix(document.getElementById('matrix'), categories, fairness.total.specialists.map(s => ({ name: s.name,
          values: categories.map(c => (fairness.per_category[c].specialists.find(x => x.name === s.name) || { wins: 0 }).wins) })));
      }
    }
    function drawAuctions(auctions) {
      document.querySelector('#auctions tbody').innerHTML = auctions.map(a => '<tr><td><a href="#" data-incident="' + a.incident_id + '">INC-' + a.incident_id + '</a></td><td class="num">' + a.round + '</td><td>' + esc(a.category)
        + '</td><td>' + esc(a.winner || 'none') + '</td><td>' + esc(a.reason) + '</td><td>' + a.bids.map(b => '<span class="chip ' + b.outcome + '">' + esc(b.specialist) + ' '
        + (b.outcome === 'refused' ? 'refused' + (b.refusal ? ': ' + esc(b.refusal) : '') : fmt(b.eta_seconds, 1) + ' s' + (b.correction != null && b.correction !== 1 ? ' ×' + fmt(b.correction, 2) : '') + (b.expected_failure_cost ? ' +' + fmt(b.expected_failure_cost, 1) + ' s' : '') + (b.score == null ? '' : ' = ' + fmt(b.score, 2))) + '</span>').join('') + '</td></tr>').join('');
    }
    function drawExecutions(executions) {
      document.querySelector('#executions tbody').innerHTML = executions.map(e => '<tr><td><a href="#" data-incident="' + e.incident_id + '">INC-' + e.incident_id + '</a></td><td>' + esc(e.specialist)
        + '</td><td><span class="chip ' + e.state + '">' + esc(e.state.replace('_', ' ')) + '</span></td><td>'
        + e.steps.map(s => '<span class="chip ' + s.state + '" title="' + esc(s.undo ? 'undo: ' + s.undo : 'no undo') + '">' + esc(s.name) + ' · ' + esc(s.state.replace('_', ' ')) + '</span>').join('') + '</td></tr>').join('');
    }
    function drawApprovals(approvals) {
      const waiting = approvals.filter(a => a.state === 'pending');
      document.getElementById('approvals-count').textContent = waiting.length;
      document.querySelector('#approvals tbody').innerHTML = approvals.map(a => '<tr class="approval-row" data-id="' + esc(a.id) + '"><td>' + esc(a.id) + '</td><td>INC-' + a.incident_id + '</td><td>' + esc(a.specialist)
        + '</td><td>' + esc(a.step) + '</td><td>' + esc(a.reason) + '</td><td>' + ago(a.requested_at) + '</td><td>'
        + (a.state === 'pending' ? '<button data-approve="' + esc(a.id) + '">approve</button><button data-deny="' + esc(a.id) + '">deny</button>' : esc(a.state) + (a.decided_by ? ' by ' + esc(a.decided_by) : '')) + '</td></tr>').join('');
    }
    document.getElementById('approvals').onclick = async e => {
      const id = e.target.dataset.approve || e.target.dataset.deny;
      if (!id) return;
      const verb = e.target.dataset.approve ? 'approve' : 'deny';
      const r = await fetch('/v1/approvals/' + encodeURIComponent(id) + '/' + verb, { method: 'POST', headers: { ...headers(), 'Content-Type': 'application/json' }, body: JSON.stringify({ actor: 'dashboard' }) });
      document.getElementById('note').textContent = r.ok ? '' : verb + ' ' + id + ' failed: ' + r.status + ' ' + ((await r.json().catch(() => ({}))).error || '');
      refresh();
    };
    async function openTimeline(id) {
      try {
        const t = await get('/v1/incidents/' + encodeURIComponent(id));
        const i = t.incident;
        const open = ['queued', 'auctioning', 'awarded', 'awaiting_approval', 'executing'].includes(i.state);
        document.getElementById('timeline').innerHTML = '<h2>INC-' + i.id + ' · ' + esc(i.category) + ' · ' + esc(i.severity) + ' · ' + esc(i.state)
          + (open ? ' <button data-cancel="' + i.id + '">cancel</button>' : '') + '</h2><table><tr><th>time</th><th>event</th><th>specialist</th><th>detail</th></tr>'
          + t.events.map(e => '<tr><td>' + clock(e.at) + '</td><td>' + esc(e.kind) + '</td><td>' + esc(e.specialist || '') + '</td><td>' + esc(e.detail) + '</td></tr>').join('') + '</table>'
          + (t.auctions || []).filter(a => a.winner).map(a => '<h2>Round ' + a.round + ': ' + esc(a.winner) + ' won (' + esc((a.decider || '').replace(/_/g, ' ')) + ')</h2>'
            + '<table class="scores"><tr><th>specialist</th><th class="num">bid s</th><th class="num">× calibration</th><th class="num">+ failure cost s</th><th class="num">= score</th><th>outcome</th></tr>'
            + a.bids.filter(b => b.score != null).sort((x, y) => x.score - y.score).map(b => '<tr><td>' + esc(b.specialist) + '</td><td class="num">' + fmt(b.eta_seconds, 2)
              + '</td><td class="num">' + fmt(b.correction, 2) + '</td><td class="num">' + fmt(b.expected_failure_cost, 2) + '</td><td class="num">' + fmt(b.score, 2)
              + '</td><td>' + esc(b.outcome) + '</td></tr>').join('') + '</table>').join('');
      } catch (err) { document.getElementById('timeline').textContent = 'No incident ' + id + ' (' + err.message + ')'; }
    }
    // Cancel an open incident from its timeline: the API's cancel, recorded as the dashboard's.
    document.getElementById('timeline').onclick = async e => {
      const id = e.target.dataset && e.target.dataset.cancel;
      if (!id) return;
      e.target.disabled = true;
      const r = await fetch('/v1/incidents/' + encodeURIComponent(id) + '/cancel', { method: 'POST', headers: { ...headers(), 'Content-Type': 'application/json' }, body: JSON.stringify({ actor: 'dashboard', reason: 'cancelled from the dashboard' }) });
      document.getElementById('note').textContent = r.ok ? '' : 'cancel INC-' + id + ' failed: ' + r.status + ' ' + ((await r.json().catch(() => ({}))).error || '');
      openTimeline(id);
      refresh();
    };
    document.body.addEventListener('click', e => { const id = e.target.dataset && e.target.dataset.incident; if (id) { e.preventDefault(); openTimeline(id); } });
    for (const s of ['queued','auctioning','awarded','awaiting_approval','executing','resolved','failed','escalated','cancelled']) document.getElementById('search-state').add(new Option(s, s));
    for (const c of ['security','performance','network','database']) document.getElementById('search-category').add(new Option(c, c));
    document.getElementById('search').onsubmit = async e => {
      e.preventDefault();
      const id = document.getElementById('search-id').value.trim();
      if (id) return openTimeline(id.replace(/^INC-/i, ''));
      const q = new URLSearchParams({ limit: '50' });
      const st = document.getElementById('search-state').value, cat = document.getElementById('search-category').value;
      if (st) q.set('state', st); if (cat) q.set('category', cat);
      try {
        const page = await get('/v1/incidents?' + q);
        document.querySelector('#incidents tbody').innerHTML = page.incidents.map(i => '<tr><td><a href="#" data-incident="' + i.id + '">INC-' + i.id + '</a></td><td>' + esc(i.state) + '</td><td>' + esc(i.category)
          + '</td><td>' + esc(i.severity) + '</td><td>' + esc(i.service) + '</td><td>' + esc(i.specialist || '') + '</td><td>' + clock(i.created_at) + '</td></tr>').join('');
      } catch (err) { document.getElementById('note').textContent = err.message; }
    };
    async function refresh() {
      try {
        const [f, s, h, a, x, p, r] = await Promise.all([get('/v1/fairness'), get('/v1/specialists'), get('/v1/history'), get('/v1/auctions?limit=15'), get('/v1/executions?limit=15'), get('/v1/approvals'), fetch('/readyz').then(r => r.json())]);
        fairness = f; specialists = s.specialists; history = h.samples;
        drawFigures(); drawSpecialists(); drawCharts(); drawAuctions(a.auctions); drawExecutions(x.executions); drawApprovals(p.approvals);
        document.getElementById('status').innerHTML = (r.ready ? '<span class="ok">ready</span>' : '<span class="bad">not ready: ' + esc(r.reasons.join('; ')) + '</span>')
          + ' · ' + r.specialists_connected + ' specialists connected · updated ' + new Date().toLocaleTimeString();
      } catch (err) {
        document.getElementById('status').innerHTML = '<span class="bad">' + esc(err.message) + (String(err.message).endsWith('401') ? ' (enter the API token)' : '') + '</span>';
      }
    }
    refresh();
    setInterval(refresh, 2000);
    // ?live=0 leaves out the event stream: a headless browser's virtual clock waits for every
    // open request, and an event stream never ends.
    if (window.EventSource && new URLSearchParams(location.search).get('live') !== '0') {
      const events = new EventSource('/events');
      events.addEventListener('fairness', e => { history.push(JSON.parse(e.data)); if (history.length > 600) history.shift(); drawCharts(); });
    }
    </script>
    </body></html>
    """#
}
