import TourniquetModel

/// Why a case file could not be used. Each message is one line a responder can act on.
public enum CaseFileError: ResponderFacingError, Equatable {
    case notFound(String)
    case isDirectory(String)
    case emptyFile(String)
    case notSQLite(String)
    case notACase(String)
    case newerSchema(path: String, fileVersion: Int, knownVersion: Int)
    case alreadyExists(String)
    case networkFilesystem(path: String, filesystem: String)
    case corrupt(path: String, detail: String)
    case unreadable(path: String, detail: String)

    public var exitCode: Int32 { 2 }

    /// Paths and SQLite's details are quoted escaped: a path can hold any byte, terminal escapes included.
    public var description: String {
        let e = DisplayText.escaped
        switch self {
        case .notFound(let p): return "\(e(p)): no such case file (create one with `tourniquet new`)"
        case .isDirectory(let p): return "\(e(p)): is a directory, not a case file"
        case .emptyFile(let p): return "\(e(p)): is an empty file, not a case file"
        case .notSQLite(let p): return "\(e(p)): is not a case file (not an SQLite database)"
        case .notACase(let p): return "\(e(p)): is an SQLite database but not a Tourniquet case file"
        case .newerSchema(let p, let file, let known):
            return "\(e(p)): was written by a newer Tourniquet (schema \(file); this build knows up to \(known)); upgrade Tourniquet to open it"
        case .alreadyExists(let p): return "\(e(p)): already exists; choose another path (a case is never overwritten)"
        case .networkFilesystem(let p, let fs):
            return "\(e(p)): is on a network filesystem (\(e(fs))); SQLite's locking is unreliable there, so keep cases on a local disk"
        case .corrupt(let p, let detail): return "\(e(p)): failed its integrity check (\(e(detail))); work on a copy restored from backup"
        case .unreadable(let p, let detail): return "\(e(p)): cannot be opened: \(e(detail))"
        }
    }
}
