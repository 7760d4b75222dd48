import Foundation

/// One plain line for why a JSON file did not decode, in the file's own terms.
///
/// Foundation's errors read `DecodingError.typeMismatch(Swift.Int, Swift.DecodingError.Context(…))`
/// or `The operation could not be completed. (NSCocoaErrorDomain error 3840.)`: internals, not what
/// a responder should change. Keys are shown snake_cased, as they are written in the file.
public enum DecodingProblem {
    public static func describe(_ error: Error) -> String {
        if let decoding = error as? DecodingError { return describe(decoding) }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == 3840 {
            // Foundation's debug text says where the JSON broke ("around line 2, column 7").
            let detail = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String).map { ": " + DisplayText.sanitize($0).text } ?? ""
            return "not valid JSON" + detail
        }
        return "not valid JSON"
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            return "\(location(context.codingPath)) must be \(kind(type))"
        case .valueNotFound(let type, let context):
            return "\(location(context.codingPath)) must be \(kind(type)), not null"
        case .keyNotFound(let key, let context):
            return "missing \(location(context.codingPath + [key]))"
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError { return describe(underlying) }
            return context.codingPath.isEmpty ? "not valid JSON" : "\(location(context.codingPath)) has an unusable value"
        @unknown default:
            return "not valid JSON"
        }
    }

    /// `credential_stuffing.min_failures`, `routes.login_failure_statuses[2]`, or "the top level".
    static func location(_ path: [CodingKey]) -> String {
        guard !path.isEmpty else { return "the top level" }
        var out = ""
        for key in path {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + snakeCased(key.stringValue)
            }
        }
        return "'" + DisplayText.sanitize(out).text + "'"
    }

    static func snakeCased(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase {
                if !out.isEmpty { out += "_" }
                out += character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        default:
            return String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
