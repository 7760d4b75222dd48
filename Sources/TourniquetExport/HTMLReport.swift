import TourniquetModel

/// The incident report as one HTML file that needs nothing else: styles inline, the timeline chart
/// as inline SVG, no script that runs (a Content-Security-Policy forbids any), no external
/// resource. The case's JSON export rides along in a `<script type="application/json">` block,
/// written by `InertJSON`, which leaves no `<` in it to close the element.
public enum HTMLReport {
    public static func render(_ report: IncidentReport) -> String {
        let sections = report.outline
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="Tourniquet">
            <title>Incident report: \(HTMLText.escape(report.header.title))</title>
            <style>\(style)</style>
            </head>
            <body>

            """
        out += "<header><h1>Incident report: <code>\(HTMLText.escape(report.header.title))</code></h1>"
        if report.header.isDrill {
            out += "<p class=\"drill\"><strong>Drill.</strong> A simulated incident, scored against its simulation's truth.</p>"
        }
        out += "</header>\n<nav><ul>"
        out += sections.map { "<li><a href=\"#\($0.id)\">\(HTMLText.escape($0.title))</a></li>" }.joined()
        out += "</ul></nav>\n<main>\n"
        for section in sections {
            out += "<section id=\"\(section.id)\">\n<h2>\(HTMLText.escape(section.title))</h2>\n"
            if section.id == "summary" { out += TimelineChart.svg(report) + "\n" }
            for block in section.blocks { out += render(block) + "\n" }
            out += "</section>\n"
        }
        out += "</main>\n"
        out += "<script type=\"application/json\" id=\"tourniquet-case\">\(InertJSON.compact(ExportDocument.json(report)))</script>\n"
        out += "</body>\n</html>\n"
        return out
    }

    static func render(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let spans): return "<p>\(inline(spans))</p>"
        case .subheading(let text): return "<h3>\(HTMLText.escape(text))</h3>"
        case .list(let items): return "<ul>" + items.map { "<li>\(inline($0))</li>" }.joined() + "</ul>"
        case .facts(let facts):
            return "<table class=\"facts\"><tbody>"
                + facts.map { "<tr><th>\(HTMLText.escape($0.label))</th><td>\(inline($0.value))</td></tr>" }.joined()
                + "</tbody></table>"
        case .table(let header, let rows):
            guard !rows.isEmpty else { return "<p>None.</p>" }
            return "<table><thead><tr>" + header.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
                + rows.map { "<tr>" + $0.map { "<td>\(inline($0))</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
        }
    }

    static func inline(_ spans: [Span]) -> String {
        spans.map { span in
            switch span {
            case .plain(let text): return HTMLText.escape(text)
            case .strong(let text): return "<strong>\(HTMLText.escape(text))</strong>"
            case .value(let text): return "<code>\(HTMLText.escape(Span.clipped(text)))</code>"
            }
        }.joined()
    }

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}\
        header,nav,main{max-width:1200px;margin:0 auto;padding:0 16px}\
        h1{font-size:22px;margin:16px 0 4px}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}\
        h3{font-size:15px;margin:18px 0 6px}nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px}\
        table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 6px;\
        text-align:left;vertical-align:top}th{background:#f6f8fa}code{font:12px ui-monospace,monospace;\
        background:#f6f8fa;padding:0 3px;overflow-wrap:anywhere;white-space:pre-wrap}.drill{background:#fff8c5;padding:6px}\
        svg{max-width:100%;height:auto;border:1px solid #d0d7de}\
        @media print{nav{display:none}}
        """
}
