import Crypto

/// The SHA-256 hash chain over the action log.
///
/// Canonical encoding (documented in the README, stable forever for version 1):
/// each field is written as a netstring, `<byte length in decimal>:<UTF-8 bytes>,`, in this order:
/// `tourniquet-action-v1`, id (decimal), at, actor, kind, target, details (canonical JSON),
/// rationale, corrects (decimal, or empty), prev_hash (lower-case hex).
/// The row hash is the lower-case hex SHA-256 of that byte string.
/// The first row's prev_hash is the genesis hash: SHA-256 of `tourniquet-case:` + the case id,
/// which binds the chain to its case.
public enum ActionChain {
    public static let encodingTag = "tourniquet-action-v1"

    public static func genesisHash(caseID: String) -> String {
        Hex.encode(SHA256.hash(data: Array("tourniquet-case:\(caseID)".utf8)))
    }

    public static func canonicalBytes(
        id: Int64, at: String, actor: String, kind: String, target: String, details: String,
        rationale: String, corrects: Int64?, prevHash: String
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + details.utf8.count + rationale.utf8.count)
        for field in [encodingTag, String(id), at, actor, kind, target, details, rationale, corrects.map(String.init) ?? "", prevHash] {
            let bytes = Array(field.utf8)
            out += Array(String(bytes.count).utf8)
            out.append(UInt8(ascii: ":"))
            out += bytes
            out.append(UInt8(ascii: ","))
        }
        return out
    }

    /// The hash a row must carry, given its fields and its predecessor's hash.
    public static func hash(of action: Action) -> String {
        let bytes = canonicalBytes(
            id: action.id, at: action.at, actor: action.actor, kind: action.kind, target: action.target,
            details: action.details, rationale: action.rationale, corrects: action.corrects, prevHash: action.prevHash)
        return Hex.encode(SHA256.hash(data: bytes))
    }
}

/// The outcome of walking the chain.
public enum ChainProblem: Equatable, Sendable {
    /// The row's stored hash does not match its contents: edited, or forged.
    case hashMismatch(id: Int64)
    /// The row does not point at its predecessor: a row before it was deleted, inserted or reordered.
    case brokenLink(id: Int64)
    /// Ids are not consecutive: a row was deleted or inserted.
    case gap(expected: Int64, found: Int64)

    public var firstBadRow: Int64 {
        switch self {
        case .hashMismatch(let id), .brokenLink(let id): return id
        case .gap(_, let found): return found
        }
    }

    public var explanation: String {
        switch self {
        case .hashMismatch(let id): return "row \(id): contents do not match its hash (edited or forged)"
        case .brokenLink(let id): return "row \(id): does not chain to the row before it (a row was deleted, inserted or reordered)"
        case .gap(let expected, let found): return "row \(found): expected row \(expected) here (a row was deleted or inserted)"
        }
    }
}

extension ActionChain {
    /// Checks rows in id order; returns the first problem, or nil when the whole chain holds.
    public static func firstProblem<S: Sequence>(in actions: S, caseID: String) -> ChainProblem? where S.Element == Action {
        firstProblem(in: actions, startingAfter: 0, previousHash: genesisHash(caseID: caseID))
    }

    /// Checks a run of rows that should follow row `startingAfter`, whose hash is `previousHash`.
    public static func firstProblem<S: Sequence>(in actions: S, startingAfter lastID: Int64, previousHash: String) -> ChainProblem?
    where S.Element == Action {
        var expectedPrev = previousHash
        var expectedID = lastID + 1
        for action in actions {
            if action.id != expectedID { return .gap(expected: expectedID, found: action.id) }
            if action.prevHash != expectedPrev { return .brokenLink(id: action.id) }
            if hash(of: action) != action.hash { return .hashMismatch(id: action.id) }
            expectedPrev = action.hash
            expectedID += 1
        }
        return nil
    }
}
