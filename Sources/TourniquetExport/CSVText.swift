import TourniquetModel

/// RFC 4180 CSV with formula injection disarmed: fields quoted when they hold a comma or a quote,
/// quotes doubled, records ended by CRLF. Text is written in `DisplayText`'s visible form (a line
/// break is `\n`, ESC is `\x1b`, a bidi override `\u{202E}`), so a file printed on a terminal
/// cannot act on it and a record is always one line. A text cell that a spreadsheet would read as
/// a formula (it starts with `=`, `+`, `-`, `@`, TAB or CR) gets a leading `'`.
public enum CSVText {
    public enum Cell {
        case text(String)
        /// Tourniquet's own fixed text (a time zone, a format's constant): quoted if needed, never disarmed.
        case literal(String)
        case number(Int64)
        /// A JSON value, written as `InertJSON` text (already free of raw controls).
        case json(JSONValue)
    }

    public static func record(_ cells: [Cell]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    public static func record(_ texts: [String]) -> String { record(texts.map { .text($0) }) }

    static func field(_ cell: Cell) -> String {
        switch cell {
        case .number(let n): return String(n)
        case .literal(let text): return quoted(text)
        case .text(let raw): return quoted(disarmed(DisplayText.escaped(raw)))
        case .json(let value): return quoted(disarmed(InertJSON.compact(value)))
        }
    }

    static func disarmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
