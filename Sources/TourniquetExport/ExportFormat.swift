/// The formats `tourniquet export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case md, html, json, csv, timesketch, iris

    /// The file's text. `path` picks Timesketch's CSV form when it ends in `.csv`.
    public func render(_ report: IncidentReport, path: String?) -> String {
        switch self {
        case .md: return MarkdownReport.render(report)
        case .html: return HTMLReport.render(report)
        case .json: return InertJSON.pretty(ExportDocument.json(report))
        case .csv: return TimelineFormats.csv(report)
        case .timesketch:
            return path?.lowercased().hasSuffix(".csv") == true ? TimelineFormats.timesketchCSV(report) : TimelineFormats.timesketchJSONL(report)
        case .iris: return TimelineFormats.iris(report)
        }
    }
}
