/// The chart code shared by the live dashboard (served at `/assets/tender-charts.js`) and the
/// simulator's self-contained HTML report (inlined after Chart.js). It depends only on Chart.js
/// (Debian's `libjs-chart.js`) and the DOM, never on either caller's data shapes, so both draw
/// the same charts the same way. Defines `window.TenderCharts`:
///
/// - `line(canvas, series, options)`: one line per `{label, points: [{x, y}]}`; options `xLabel`,
///   `yLabel`, `yMin`, `yMax`, `xTick`, `xType` (`'linear'` or `'logarithmic'`).
/// - `shareBars(canvas, names, winShare, capabilityShare)`: share of wins against capability.
/// - `heatmap(canvas, rowNames, values, times, options)`: one row of cells per name, one column per
///   sample, `values[row][column]` in 0…1 (canvas only, so it works without Chart.js too).
/// - `matrix(element, categories, rows)`: a shaded table of `{name, values}` with totals.
/// - `picker(select, names, draw)`: fills a `<select>` and redraws on change.
/// - `esc(text)`, `palette`, `color(i)`, `haveChart`.
public enum ChartLibrary {
    public static let script = #"""
    (function () {
      const palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
      const color = i => palette[i % palette.length];
      const haveChart = typeof Chart !== 'undefined';
      if (haveChart) Chart.defaults.animation = false;
      const common = { responsive: true, maintainAspectRatio: false, elements: { point: { radius: 0 } } };
      const charts = new Map();
      // Draw or update a chart on a canvas: reusing the Chart object keeps live updates cheap.
      function draw(canvas, config) {
        if (!haveChart || !canvas) return null;
        const old = charts.get(canvas);
        if (old && old.config.type === config.type) {
          old.data = config.data;
          old.options = config.options;
          old.update('none');
          return old;
        }
        if (old) old.destroy();
        const chart = new Chart(canvas, config);
        charts.set(canvas, chart);
        return chart;
      }
      // series: [{label, points: [{x, y}]}]; x in seconds (Unix or simulated) unless o.xType says log.
      function line(canvas, series, o) {
        o = o || {};
        const x = { type: o.xType || 'linear', title: { display: !!o.xLabel, text: o.xLabel || '' } };
        if (o.xTick) x.ticks = { callback: o.xTick };
        else if (x.type === 'linear') x.ticks = { callback: v => v };
        return draw(canvas, { type: 'line', data: { datasets: series.map((s, i) => ({
            label: s.label, data: s.points, borderColor: s.color || color(i), backgroundColor: s.color || color(i), borderWidth: 2 })) },
          options: { ...common, scales: {
            x,
            y: { min: o.yMin, max: o.yMax, title: { display: !!o.yLabel, text: o.yLabel || '' } } } } });
      }
      // Two bars per name: share of wins against share of capability.
      function shareBars(canvas, names, winShare, capabilityShare) {
        return draw(canvas, { type: 'bar', data: { labels: names, datasets: [
            { label: 'share of wins', data: winShare, backgroundColor: color(0) },
            { label: 'share of capability', data: capabilityShare, backgroundColor: color(1) } ] },
          options: { ...common, scales: { y: { min: 0, title: { display: true, text: 'share' } } } } });
      }
      // Rows of cells rather than one line per row: with a dozen or more specialists lines overlap
      // into noise, while shaded rows show who was busy when at a glance.
      function heatmap(canvas, names, values, times, o) {
        if (!canvas) return;
        o = o || {};
        const rows = names.length, cols = times.length;
        const left = 110, top = 8, bottom = 40, right = 70, rowHeight = Math.max(10, Math.min(24, 520 / Math.max(rows, 1)));
        canvas.height = top + rows * rowHeight + bottom;
        const g = canvas.getContext('2d');
        g.clearRect(0, 0, canvas.width, canvas.height);
        const width = canvas.width - left - right, cell = width / Math.max(cols, 1);
        const shade = v => { const x = Math.min(Math.max(v, 0), 1); return 'rgb(' + Math.round(255 - 225 * x) + ',' + Math.round(255 - 190 * x) + ',' + Math.round(255 - 60 * x) + ')'; };
        g.font = '11px system-ui, sans-serif'; g.textBaseline = 'middle';
        names.forEach((name, k) => {
          g.fillStyle = '#222'; g.textAlign = 'right'; g.fillText(name, left - 8, top + k * rowHeight + rowHeight / 2);
          for (let j = 0; j < cols; j++) { g.fillStyle = shade(values[k][j]); g.fillRect(left + j * cell, top + k * rowHeight, Math.ceil(cell), rowHeight - 1); }
        });
        const start = times[0] || 0, end = times[cols - 1] || 0, axis = top + rows * rowHeight + 14;
        const from = o.xFromZero === false ? start : 0;
        g.fillStyle = '#222'; g.textAlign = 'center';
        for (let t = 0; t <= 4; t++) g.fillText((o.xTick || (v => Math.round(v).toLocaleString()))(from + (end - from) * t / 4), left + width * t / 4, axis);
        if (o.xLabel) g.fillText(o.xLabel, left + width / 2, axis + 16);
        for (let y = 0; y < rows * rowHeight; y++) { g.fillStyle = shade(1 - y / (rows * rowHeight)); g.fillRect(left + width + 20, top + y, 14, 1); }
        g.fillStyle = '#222'; g.textAlign = 'left';
        g.fillText(o.maxLabel || '100%', left + width + 38, top + 6); g.fillText(o.minLabel || '0%', left + width + 38, top + rows * rowHeight - 6);
      }
      // A table heatmap: rows of names, one column per category, cells shaded by count.
      function matrix(element, categories, rows) {
        const max = Math.max(1, ...rows.flatMap(r => r.values));
        const cell = v => { const s = Math.round(255 - 180 * v / max); return '<td style="background: rgb(' + s + ',' + s + ',255)">' + v + '</td>'; };
        let html = '<table class="matrix"><tr><th>specialist</th>' + categories.map(c => '<th>' + esc(c) + '</th>').join('') + '<th>total</th></tr>';
        for (const r of rows) html += '<tr><td>' + esc(r.name) + '</td>' + r.values.map(cell).join('') + '<td>' + r.values.reduce((a, b) => a + b, 0) + '</td></tr>';
        element.innerHTML = html + '</table>';
      }
      // Fill a <select> with names and call draw(index) now and whenever the choice changes.
      function picker(select, names, drawIndex) {
        if (!select) return;
        select.innerHTML = '';
        names.forEach((name, i) => { const o = document.createElement('option'); o.value = i; o.textContent = name; select.appendChild(o); });
        select.onchange = e => drawIndex(+e.target.value);
        if (names.length) drawIndex(0);
      }
      function esc(text) {
        return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
      }
      window.TenderCharts = { palette, color, line, shareBars, heatmap, matrix, picker, esc, haveChart };
    })();
    """#
}
