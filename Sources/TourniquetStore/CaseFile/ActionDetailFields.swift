import TourniquetModel

/// An action's `details` JSON read back as fields, for `verify` and for finding earlier evidence.
///
/// Details are written by `JSONValue.canonicalJSON`; a row whose details no longer parse reads as
/// having no fields, which the callers then report as disagreeing with the tables.
struct ActionDetailFields {
    private let fields: [String: JSONValue]

    init(_ json: String) {
        if case .object(let object)? = JSONValue(parsing: json) { fields = object.fields } else { fields = [:] }
    }

    func string(_ key: String) -> String? { fields[key]?.stringValue }

    /// Only a number written as an integer: details never hold fractions.
    func int(_ key: String) -> Int64? {
        guard case .number(_, let raw)? = fields[key] else { return nil }
        return Int64(raw)
    }

    func has(_ key: String) -> Bool { fields[key] != nil }
}
