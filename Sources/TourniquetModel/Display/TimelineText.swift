/// Renders the action log as aligned, sanitised plain text, one line per action.
///
/// Every field is escaped with `DisplayText`, so a note or an evidence-derived target can never
/// break a line or reach the terminal raw. A line that needed escaping starts with `!`.
public enum TimelineText {
    public static let header = ["", "#", "time (UTC)", "actor", "kind", "target", "text"]

    public static func render(_ actions: [Action], newestFirst: Bool = false) -> String {
        let ordered = newestFirst ? actions.reversed() : actions
        var rows: [[String]] = [header]
        for action in ordered {
            let fields = [action.actor, action.kind, action.target, text(of: action)].map(DisplayText.sanitize)
            let mark = fields.contains(where: \.escaped) ? "!" : " "
            rows.append([mark, String(action.id), action.at] + fields.map(\.text))
        }
        return align(rows)
    }

    /// The free text of an action: its rationale, then its details when there are any.
    static func text(of action: Action) -> String {
        var parts: [String] = []
        if let corrected = action.corrects { parts.append("(corrects #\(corrected))") }
        if !action.rationale.isEmpty { parts.append(action.rationale) }
        if action.details != "{}" { parts.append(DetailText.keyValues(fromCanonicalJSON: action.details)) }
        return parts.joined(separator: " ")
    }

    /// Pads every column but the last to its widest cell, capped so one long value cannot push the text off screen.
    static func align(_ rows: [[String]]) -> String {
        let cap = 28
        var widths = [Int](repeating: 0, count: rows.first?.count ?? 0)
        for row in rows {
            for (i, cell) in row.enumerated().dropLast() { widths[i] = min(cap, max(widths[i], cell.count)) }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                if i == row.count - 1 {
                    line += cell
                } else {
                    let pad = max(0, widths[i] - cell.count)
                    line += i == 1 ? String(repeating: " ", count: pad) + cell : cell + String(repeating: " ", count: pad)
                    line += i == 0 ? "" : "  "
                }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
