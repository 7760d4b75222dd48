import Crypto
import Foundation
import TourniquetModel

/// Incremental SHA-256 with a lower-case hex result.
struct SHA256Stream {
    private var hasher = SHA256()
    mutating func update(_ data: Data) { hasher.update(data: data) }
    func hexDigest() -> String { Hex.encode(hasher.finalize()) }
}
