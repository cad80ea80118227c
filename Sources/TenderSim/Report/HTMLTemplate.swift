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
        <h2>Load per specialist over time <select id="loadPick"></select></h2>
        <p class="note">Each row is a specialist, each column a sampling interval; the darker the cell, the larger the share of its capacity in use.</p>
        <canvas id="load" width="1100" height="320"></canvas>
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
    // A heatmap rather than one line per specialist: with a dozen or more specialists the lines
    // overlap into noise, while rows of cells show who was busy when at a glance.
    function drawLoad(i) {
      const a = data.allocators[i];
      const canvas = document.getElementById('load');
      const rows = a.specialists.length, cols = a.time.length;
      const left = 110, top = 8, bottom = 40, right = 70, rowHeight = Math.max(10, Math.min(24, 520 / Math.max(rows, 1)));
      canvas.height = top + rows * rowHeight + bottom;
      const g = canvas.getContext('2d');
      g.clearRect(0, 0, canvas.width, canvas.height);
      const width = canvas.width - left - right, cell = width / Math.max(cols, 1);
      const shade = v => { const x = Math.min(Math.max(v, 0), 1); return 'rgb(' + Math.round(255 - 225 * x) + ',' + Math.round(255 - 190 * x) + ',' + Math.round(255 - 60 * x) + ')'; };
      g.font = '11px system-ui, sans-serif'; g.textBaseline = 'middle'; g.fillStyle = '#222';
      a.specialists.forEach((s, k) => {
        g.fillStyle = '#222'; g.textAlign = 'right'; g.fillText(s, left - 8, top + k * rowHeight + rowHeight / 2);
        for (let j = 0; j < cols; j++) { g.fillStyle = shade(a.load[k][j]); g.fillRect(left + j * cell, top + k * rowHeight, Math.ceil(cell), rowHeight - 1); }
      });
      const end = a.time[cols - 1] || 0, axis = top + rows * rowHeight + 14;
      g.fillStyle = '#222'; g.textAlign = 'center';
      for (let t = 0; t <= 4; t++) g.fillText(Math.round(end * t / 4).toLocaleString(), left + width * t / 4, axis);
      g.fillText('simulated seconds', left + width / 2, axis + 16);
      for (let y = 0; y < rows * rowHeight; y++) { g.fillStyle = shade(1 - y / (rows * rowHeight)); g.fillRect(left + width + 20, top + y, 14, 1); }
      g.fillStyle = '#222'; g.textAlign = 'left';
      g.fillText('100%', left + width + 38, top + 6); g.fillText('0%', left + width + 38, top + rows * rowHeight - 6);
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
