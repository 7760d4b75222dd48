import Crypto

/// SHA-256 of bytes already in memory, as lower-case hex.
public enum ContentDigest {
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }
}
