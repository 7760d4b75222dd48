import TourniquetIngest
import TourniquetModel

/// Why a file could not be ingested; each message names the file and what to do.
public enum IngestError: ResponderFacingError, Equatable {
    case cannotRead(path: String, reason: String)
    case corruptGzip(path: String, reason: String)
    case binary(path: String)
    case unknownFormat(path: String, tried: [String], firstLine: String)
    case unknownFormatName(String)
    case badSpec(path: String, reason: String)
    case badProxy(String)
    case isTheCaseFile(path: String)

    public var exitCode: Int32 { 1 }

    /// Paths and reasons are quoted escaped; `firstLine` arrives escaped already (it is cut from raw bytes).
    public var description: String {
        let e = DisplayText.escaped
        switch self {
        case .cannotRead(let path, let reason): return "\(e(path)): cannot read: \(e(reason))"
        case .corruptGzip(let path, let reason): return "\(e(path)): is not valid gzip: \(e(reason))"
        case .binary(let path): return "\(e(path)): looks like a binary file, not a text log; nothing was imported"
        case .unknownFormat(let path, let tried, let firstLine):
            return "\(e(path)): no known log format fits (tried \(tried.joined(separator: ", "))); first line: \(firstLine)"
        case .unknownFormatName(let name):
            return "unknown format '\(e(name))': use auto, \(LogFormats.names.joined(separator: ", "))"
        case .badSpec(let path, let reason): return "\(e(path)): cannot use this OpenAPI spec: \(e(reason))"
        case .isTheCaseFile(let path):
            return "\(e(path)): is this case's own file (or its WAL); a case cannot be its own evidence, nothing was imported"
        case .badProxy(let text): return "--trusted-proxy '\(e(text))' is not an address or CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)"
        }
    }
}
