import TourniquetModel

/// JSON text that is inert wherever it lands: keys sorted, and besides what JSON requires, every
/// character a terminal or a browser could act on is written as a `\u` escape: C1 controls, DEL,
/// bidi and invisible characters (as `DisplayText` lists them), line separators, and `<`, `>` and
/// `&`, so the text can sit inside an HTML `<script>` unchanged. A JSON parser reads back exactly
/// the values the case holds.
public enum InertJSON {
    /// One line, no white space: for JSON Lines and for embedding.
    public static func compact(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: nil, depth: 0, to: &out)
        return out
    }

    /// Indented by two spaces, one member per line, ending with a newline.
    public static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: "  ", depth: 0, to: &out)
        return out + "\n"
    }

    private static func write(_ value: JSONValue, indent: String?, depth: Int, to out: inout String) {
        func newline(_ level: Int) {
            guard let indent else { return }
            out += "\n" + String(repeating: indent, count: level)
        }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(_, let raw): out += raw
        case .string(let s): writeString(s, to: &out)
        case .array(let elements):
            guard !elements.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                newline(depth + 1)
                write(element, indent: indent, depth: depth + 1, to: &out)
            }
            newline(depth)
            out += "]"
        case .object(let object):
            let members = object.fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                newline(depth + 1)
                writeString(member.key, to: &out)
                out += indent == nil ? ":" : ": "
                write(member.value, indent: indent, depth: depth + 1, to: &out)
            }
            newline(depth)
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) { JSONValue.writeString(s, to: &out, inert: true) }
}
