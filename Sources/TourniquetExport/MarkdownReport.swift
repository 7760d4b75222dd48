import TourniquetModel

/// The incident report as Markdown (CommonMark with GitHub tables). Everything from the case is
/// an inline code span, fenced by a run of backticks longer than any inside it, after
/// `DisplayText` has made controls, line breaks and bidi characters visible; in a table a `|` is
/// escaped as well. Nothing an attacker wrote can open a link, an image, HTML or a new row.
public enum MarkdownReport {
    public static func render(_ report: IncidentReport) -> String {
        var out = "# Incident report: \(code(report.header.title, inTable: false))\n\n"
        if report.header.isDrill { out += "> **Drill.** This case is a simulated incident, scored against its simulation's truth.\n\n" }
        let sections = report.outline
        out += sections.map { "- [\($0.title)](#\($0.id))" }.joined(separator: "\n") + "\n"
        for section in sections {
            out += "\n## \(section.title)\n"
            for block in section.blocks { out += "\n" + render(block) }
        }
        return out
    }

    static func render(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let spans): return inline(spans, inTable: false) + "\n"
        case .subheading(let text): return "### \(escaped(text))\n"
        case .list(let items): return items.map { "- " + inline($0, inTable: false) }.joined(separator: "\n") + "\n"
        case .facts(let facts): return table(["Field", "Value"], facts.map { [[.strong($0.label)], $0.value] })
        case .table(let header, let rows): return rows.isEmpty ? "None.\n" : table(header, rows)
        }
    }

    static func table(_ header: [String], _ rows: [[[Span]]]) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: "---|", count: header.count) + "\n"
        for row in rows { out += "| " + row.map { inline($0, inTable: true) }.joined(separator: " | ") + " |\n" }
        return out
    }

    static func inline(_ spans: [Span], inTable: Bool) -> String {
        spans.map { span in
            switch span {
            case .plain(let text): return escaped(text)
            case .strong(let text): return "**\(escaped(text))**"
            case .value(let text): return code(Span.clipped(text), inTable: inTable)
            }
        }.joined()
    }

    /// Tourniquet's own words, some of which quote files (a regime's deadline names, a step's
    /// option): control characters made visible and Markdown's active punctuation backslashed,
    /// so nothing in them opens a link, HTML, emphasis or a table cell.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in DisplayText.escaped(text) {
            if "\\`*_[]<>|~&!#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// An inline code span that holds `text` exactly as `DisplayText` shows it.
    public static func code(_ text: String, inTable: Bool) -> String {
        var visible = DisplayText.escaped(text)
        guard !visible.isEmpty else { return "" }
        if inTable { visible = visible.replacingOccurrences(of: "|", with: "\\|") }
        var longest = 0
        var run = 0
        for character in visible {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        // The spaces keep a backtick at either end from joining the fence; CommonMark strips one
        // space from each side.
        return fence + " " + visible + " " + fence
    }
}
