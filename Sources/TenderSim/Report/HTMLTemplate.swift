/// The report page: layout, styles and the script that turns the embedded data into charts.
enum HTMLTemplate {
    static func page(title: String, summary: String, chartJS: String, data: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1150px; }
        h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
        table { border-collapse: collapse; font-size: 13px; }
        td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
        td:first-child, th:first-child { text-align: left; }
        .note { color: #666; font-size: 12px; }
        .chart { position: relative; height: 320px; }
        select { margin-left: 8px; }
        </style>
        <script>\(chartJS)</script>
        </head><body>
        <h1>\(title)</h1>
        \(summary)
        <h2>Time to resolve (CDF per allocator)</h2><div class="chart"><canvas id="ttr"></canvas></div>
        <h2>Jain's index over time (capability-normalised work)</h2><div class="chart"><canvas id="jain"></canvas></div>
        <h2>Load per specialist over time <select id="loadPick"></select></h2><div class="chart"><canvas id="load"></canvas></div>
        <h2>Allocation matrix: awards per category × specialist <select id="matrixPick"></select></h2><div id="matrix"></div>
        <script id="data" type="application/json">\(data)</script>
        <script>\(script)</script>
        </body></html>
        """
    }

    static let script = """
    const data = JSON.parse(document.getElementById('data').textContent);
    const palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
    const color = i => palette[i % palette.length];
    Chart.defaults.animation = false;
    const common = { responsive: true, maintainAspectRatio: false, elements: { point: { radius: 0 } } };
    new Chart(document.getElementById('ttr'), { type: 'line', data: { datasets: data.allocators.map((a, i) => ({
        label: a.name, borderColor: color(i), backgroundColor: color(i), borderWidth: 2,
        data: a.ttr.filter(p => p[0] > 0).map(p => ({ x: p[0], y: p[1] })) })) },
      options: { ...common, scales: { x: { type: 'logarithmic', title: { display: true, text: 'seconds from arrival to resolution (log)' } },
        y: { min: 0, max: 100, title: { display: true, text: 'percentile' } } } } });
    new Chart(document.getElementById('jain'), { type: 'line', data: { datasets: data.allocators.map((a, i) => ({
        label: a.name, borderColor: color(i), backgroundColor: color(i), borderWidth: 2,
        data: a.time.map((t, k) => ({ x: t, y: a.jain[k] })) })) },
      options: { ...common, scales: { x: { type: 'linear', title: { display: true, text: 'simulated seconds' } },
        y: { min: 0, max: 1, title: { display: true, text: "Jain's index" } } } } });
    for (const id of ['loadPick', 'matrixPick']) {
      const pick = document.getElementById(id);
      data.allocators.forEach((a, i) => { const o = document.createElement('option'); o.value = i; o.textContent = a.name; pick.appendChild(o); });
    }
    let loadChart = null;
    function drawLoad(i) {
      const a = data.allocators[i];
      if (loadChart) loadChart.destroy();
      loadChart = new Chart(document.getElementById('load'), { type: 'line', data: { datasets: a.specialists.map((s, k) => ({
          label: s, borderColor: color(k), backgroundColor: color(k), borderWidth: 1,
          data: a.time.map((t, j) => ({ x: t, y: a.load[k][j] })) })) },
        options: { ...common, scales: { x: { type: 'linear', title: { display: true, text: 'simulated seconds' } },
          y: { min: 0, max: 1, title: { display: true, text: 'busy slots / capacity' } } },
          plugins: { legend: { labels: { boxWidth: 10, font: { size: 10 } } } } } });
    }
    function drawMatrix(i) {
      const a = data.allocators[i];
      const max = Math.max(1, ...a.allocation.flat());
      let html = '<table><tr><th>specialist</th>' + data.categories.map(c => '<th>' + c + '</th>').join('') + '<th>total</th></tr>';
      a.specialists.forEach((s, k) => {
        const row = a.allocation[k];
        html += '<tr><td>' + s + '</td>' + row.map(v => {
          const shade = Math.round(255 - 180 * v / max);
          return '<td style="background: rgb(' + shade + ',' + shade + ',255)">' + v + '</td>'; }).join('')
          + '<td>' + row.reduce((x, y) => x + y, 0) + '</td></tr>';
      });
      document.getElementById('matrix').innerHTML = html + '</table>';
    }
    document.getElementById('loadPick').onchange = e => drawLoad(+e.target.value);
    document.getElementById('matrixPick').onchange = e => drawMatrix(+e.target.value);
    drawLoad(0); drawMatrix(0);
    """
}
