import TenderCharts

/// The chart code the dashboard uses: the shared `TenderCharts` library (the simulator's HTML
/// report inlines the same script; see docs/HTTP.md, "Shared chart code").
///
/// Served at `/assets/tender-charts.js`; defines `window.TenderCharts`.
public enum ChartScripts {
    public static var library: String { ChartLibrary.script }
}
