import Crypto
import Foundation
import TourniquetModel
import TourniquetStore

/// Finds the longest earlier evidence that a file starts with, so a log that grew since it was
/// imported brings in only its new tail.
///
/// The file is hashed once from its start, and the running digest is compared at each
/// candidate's length; the hasher at the match carries on over the tail, so the tail's evidence
/// can record the digest of everything up to its own end for the next time the log grows.
struct EvidencePrefixMatch {
    var prefix: EvidencePrefix
    /// The file's hash state after `prefix.end` bytes.
    var hasher: SHA256

    /// The longest candidate no longer than `size` whose bytes the file starts with, or nil.
    static func longest(path: String, size: Int64, candidates: [EvidencePrefix]) throws -> EvidencePrefixMatch? {
        let ordered = candidates.filter { $0.end <= size }.sorted { $0.end < $1.end }
        guard !ordered.isEmpty else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IngestError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var hasher = SHA256()
        var position: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var best: EvidencePrefixMatch?
        for candidate in ordered {
            while position < candidate.end {
                let want = Int(min(Int64(buffer.count), candidate.end - position))
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return best }  // the file shrank while being read: no longer prefix can match
                hasher.update(data: buffer[0..<n])
                position += Int64(n)
            }
            if Hex.encode(hasher.finalize()) == candidate.sha256 {
                best = EvidencePrefixMatch(prefix: candidate, hasher: hasher)
            }
        }
        return best
    }
}
