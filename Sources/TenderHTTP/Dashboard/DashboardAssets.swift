import Foundation

/// The dashboard's files: the page (built in), the shared chart code (built in) and Chart.js,
/// read once from Debian's `libjs-chart.js` so the dashboard works with no internet access.
public struct DashboardAssets: Sendable {
    /// Where Debian puts the UMD build of Chart.js; `TENDER_CHARTJS` overrides it (as for the
    /// simulator's report).
    public static var defaultChartJSPath: String {
        ProcessInfo.processInfo.environment["TENDER_CHARTJS"] ?? "/usr/share/javascript/chart.js/chart.min.js"
    }

    public let page: [UInt8]
    /// Nil when the file could not be read: the page still works, with tables and no charts.
    public let chartJS: [UInt8]?
    public let chartJSPath: String

    public init(chartJSPath: String = DashboardAssets.defaultChartJSPath) {
        self.chartJSPath = chartJSPath
        chartJS = FileManager.default.contents(atPath: chartJSPath).map { Array($0) }
        page = Array(DashboardPage.html.utf8)
    }

    var chartJSResponse: HTTPResponse {
        guard let chartJS else {
            return HTTPResponse.text(.notFound, "Chart.js not found at \(chartJSPath): install Debian's libjs-chart.js (apt-get install libjs-chart.js) or set TENDER_CHARTJS\n")
        }
        return HTTPResponse(status: .ok, headers: [("Content-Type", "text/javascript; charset=utf-8"), ("Cache-Control", "max-age=86400")], body: chartJS)
    }
}
