import Foundation

/// An action's `details` JSON read back as fields, for `verify` and for finding earlier evidence.
///
/// Details are written by `Detail.canonicalJSON`; a row whose details no longer parse reads as
/// having no fields, which the callers then report as disagreeing with the tables.
struct ActionDetailFields {
    private let fields: [String: Any]

    init(_ json: String) {
        fields = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    func string(_ key: String) -> String? { fields[key] as? String }

    func int(_ key: String) -> Int64? {
        (fields[key] as? NSNumber)?.int64Value
    }

    func has(_ key: String) -> Bool { fields[key] != nil }
}
