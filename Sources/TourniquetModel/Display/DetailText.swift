/// Shows an action's details as `key=value` pairs, which read better on a timeline than JSON.
public enum DetailText {
    /// Strings longer than this are shortened.
    static let longValue = 160

    /// `{"b":1,"a":"x y"}` → `a="x y" b=1`. Falls back to the JSON text if it does not parse.
    public static func keyValues(fromCanonicalJSON json: String) -> String {
        guard case .object(let object)? = JSONValue(parsing: json) else { return json }
        return keyValues(object)
    }

    private static func keyValues(_ object: JSONObject) -> String {
        let fields = object.fields
        return fields.keys.sorted().map { key in "\(key)=\(render(fields[key]!))" }.joined(separator: " ")
    }

    private static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(var string):
            // A long value (a detector configuration kept in the settings) is cut on a timeline
            // line; `timeline --json` gives it whole.
            if string.count > longValue { string = String(string.prefix(48)) + "… (\(string.count) characters)" }
            return string.isEmpty || string.contains(" ") || string.contains("=") ? "\"" + string + "\"" : string
        case .number(_, let raw): return raw
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let items): return "[" + items.map(render).joined(separator: ",") + "]"
        case .object(let object): return "{" + keyValues(object) + "}"
        case .null: return "null"
        }
    }
}
