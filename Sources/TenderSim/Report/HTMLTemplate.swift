/// The report page: layout, styles and the script that turns the embedded data into charts.
enum HTMLTemplate {
    static func page(title: String, summary: String, specialists: String, chartJS: String, charts: String, data: String) -> String {
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
        <script>\(charts)</script>
        </head><body>
        <h1>\(title)</h1>
        \(summary)
        <h2>Time to resolve (CDF per allocator)</h2><div class="chart"><canvas id="ttr"></canvas></div>
        <h2>Jain's index over time (capability-normalised work)</h2><div class="chart"><canvas id="jain"></canvas></div>
        <h2>Load per specialist over time <select id="loadPick"></select></h2>
        <p class="note">Each row is a specialist, each column a sampling interval; the darker the cell, the larger the share of its capacity in use.</p>
        <canvas id="load" width="1100" height="320"></canvas>
        <h2>Specialists</h2>
        \(specialists)
        <h2>Allocation matrix: awards per category × specialist <select id="matrixPick"></select></h2><div id="matrix"></div>
        <script id="data" type="application/json">\(data)</script>
        <script>\(script)</script>
        </body></html>
        """
    }

    /// Draws through the shared `TenderCharts` library (inlined before this script), as the
    /// dashboard does.
    static let script = """
    const data = JSON.parse(document.getElementById('data').textContent);
    const T = window.TenderCharts;
    const names = data.allocators.map(a => a.name);
    T.line(document.getElementById('ttr'), data.allocators.map(a => ({ label: a.name,
        points: a.ttr.filter(p => p[0] > 0).map(p => ({ x: p[0], y: p[1] })) })),
      { xType: 'logarithmic', xLabel: 'seconds from arrival to resolution (log)', yLabel: 'percentile', yMin: 0, yMax: 100 });
    T.line(document.getElementById('jain'), data.allocators.map(a => ({ label: a.name,
        points: a.time.map((t, k) => ({ x: t, y: a.jain[k] })) })),
      { xLabel: 'simulated seconds', xTick: v => v.toLocaleString(), yLabel: "Jain's index", yMin: 0, yMax: 1 });
    T.picker(document.getElementById('loadPick'), names, i => {
      const a = data.allocators[i];
      T.heatmap(document.getElementById('load'), a.specialists, a.load, a.time, { xLabel: 'simulated seconds' });
    });
    T.picker(document.getElementById('matrixPick'), names, i => {
      const a = data.allocators[i];
      T.matrix(document.getElementById('matrix'), data.categories, a.specialists.map((s, k) => ({ name: s, values: a.allocation[k] })));
    });
    """
}
