import Foundation

/// Shows an action's details as `key=value` pairs, which read better on a timeline than JSON.
public enum DetailText {
    /// `{"b":1,"a":"x y"}` → `a="x y" b=1`. Falls back to the JSON text if it does not parse.
    public static func keyValues(fromCanonicalJSON json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return json }
        return object.keys.sorted().map { key in "\(key)=\(render(object[key]!))" }.joined(separator: " ")
    }

    private static func render(_ value: Any) -> String {
        switch value {
        case let string as String:
            return string.isEmpty || string.contains(" ") || string.contains("=") ? "\"" + string + "\"" : string
        case let number as NSNumber:
            return String(cString: number.objCType) == "c" ? (number.boolValue ? "true" : "false") : number.stringValue
        case let array as [Any]:
            return "[" + array.map(render).joined(separator: ",") + "]"
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { "\($0)=\(render(object[$0]!))" }.joined(separator: " ") + "}"
        default:
            return "null"
        }
    }
}
