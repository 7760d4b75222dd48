import TourniquetCore

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

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "\(path): cannot read: \(reason)"
        case .corruptGzip(let path, let reason): return "\(path): is not valid gzip: \(reason)"
        case .binary(let path): return "\(path): looks like a binary file, not a text log; nothing was imported"
        case .unknownFormat(let path, let tried, let firstLine):
            return "\(path): no known log format fits (tried \(tried.joined(separator: ", "))); first line: \(firstLine)"
        case .unknownFormatName(let name):
            return "unknown format '\(name)': use auto, \(LogFormats.names.joined(separator: ", "))"
        case .badSpec(let path, let reason): return "\(path): cannot use this OpenAPI spec: \(reason)"
        case .isTheCaseFile(let path):
            return "\(path): is this case's own file (or its WAL); a case cannot be its own evidence, nothing was imported"
        case .badProxy(let text): return "--trusted-proxy '\(text)' is not an address or CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)"
        }
    }
}
