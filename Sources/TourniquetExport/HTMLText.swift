import TourniquetModel

/// Text for HTML: `DisplayText`'s visible form (controls, bidi and invisible characters shown as
/// escapes), then `& < > " '` as character references, safe in element content and in quoted
/// attribute values.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in DisplayText.escaped(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
