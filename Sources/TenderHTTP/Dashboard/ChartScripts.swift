/// The chart code the dashboard uses, written to be shared: it depends only on Chart.js (Debian's
/// `libjs-chart.js`) and the DOM, not on the dashboard's data shapes, so the simulator's HTML
/// report can embed the same string (see docs/HTTP.md, "Shared chart code").
///
/// Served at `/assets/tender-charts.js`; defines `window.TenderCharts`.
public enum ChartScripts {
    public static let library = #"""
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
      // series: [{label, points: [{x, y}]}]; x in seconds (Unix or simulated).
      function line(canvas, series, o) {
        o = o || {};
        return draw(canvas, { type: 'line', data: { datasets: series.map((s, i) => ({
            label: s.label, data: s.points, borderColor: s.color || color(i), backgroundColor: s.color || color(i), borderWidth: 2 })) },
          options: { ...common, scales: {
            x: { type: 'linear', title: { display: !!o.xLabel, text: o.xLabel || '' }, ticks: { callback: o.xTick || (v => v) } },
            y: { min: o.yMin, max: o.yMax, title: { display: !!o.yLabel, text: o.yLabel || '' } } } } });
      }
      // Two bars per name: share of wins against share of capability.
      function shareBars(canvas, names, winShare, capabilityShare) {
        return draw(canvas, { type: 'bar', data: { labels: names, datasets: [
            { label: 'share of wins', data: winShare, backgroundColor: color(0) },
            { label: 'share of capability', data: capabilityShare, backgroundColor: color(1) } ] },
          options: { ...common, scales: { y: { min: 0, title: { display: true, text: 'share' } } } } });
      }
      // A table heatmap: rows of names, one column per category, cells shaded by count.
      function matrix(element, categories, rows) {
        const max = Math.max(1, ...rows.flatMap(r => r.values));
        const cell = v => { const s = Math.round(255 - 180 * v / max); return '<td style="background: rgb(' + s + ',' + s + ',255)">' + v + '</td>'; };
        let html = '<table class="matrix"><tr><th>specialist</th>' + categories.map(c => '<th>' + esc(c) + '</th>').join('') + '<th>total</th></tr>';
        for (const r of rows) html += '<tr><td>' + esc(r.name) + '</td>' + r.values.map(cell).join('') + '<td>' + r.values.reduce((a, b) => a + b, 0) + '</td></tr>';
        element.innerHTML = html + '</table>';
      }
      function esc(text) {
        return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
      }
      window.TenderCharts = { palette, color, line, shareBars, matrix, esc, haveChart };
    })();
    """#
}
