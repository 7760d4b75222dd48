import CZlib
import Crypto
import Foundation
import TourniquetModel

/// Reads one evidence source (a file or standard input) as a stream of decompressed chunks.
///
/// gzip is recognised by its magic bytes, not the file name; concatenated gzip members are read in
/// turn. The SHA-256 of the bytes as read (and of the decompressed bytes, for gzip) is computed on
/// the way, so the file is read once. Memory stays at a few buffers whatever the file's size.
///
/// A reader can start part-way into a file, to import only what a grown log gained since it was
/// evidence; `prefix` then carries on hashing from the file's start to its end.
final class EvidenceReader {
    let path: String
    private let fd: Int32
    private let ownsFD: Bool
    private var rawHasher = SHA256()
    private var plainHasher = SHA256()
    private var prefixHasher: SHA256?
    /// Where reading started; gzip is recognised only from a file's first byte.
    let startOffset: Int64
    private(set) var isGzip = false
    private(set) var rawBytesRead: Int64 = 0
    /// The file's size when known (a regular file), for progress.
    let expectedSize: Int64?
    private var stream = z_stream()
    private var inflating = false
    private var rawBuffer = [UInt8](repeating: 0, count: 1 << 20)
    private var pendingRaw: ArraySlice<UInt8> = []
    private var finished = false

    static let chunkSize = 1 << 20

    init(path: String, startingAt offset: Int64 = 0, prefix: SHA256? = nil) throws {
        self.path = path
        startOffset = offset
        prefixHasher = prefix
        if path == "-" {
            fd = STDIN_FILENO
            ownsFD = false
            expectedSize = nil
        } else {
            var info = stat()
            guard stat(path, &info) == 0 else { throw IngestError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            if info.st_mode & S_IFMT == S_IFDIR { throw IngestError.cannotRead(path: path, reason: "is a directory") }
            fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw IngestError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            ownsFD = true
            expectedSize = info.st_mode & S_IFMT == S_IFREG ? Int64(info.st_size) - offset : nil
            if offset > 0 && lseek(fd, off_t(offset), SEEK_SET) != off_t(offset) {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw IngestError.cannotRead(path: path, reason: reason)
            }
        }
    }

    deinit {
        if inflating { inflateEnd(&stream) }
        if ownsFD { close(fd) }
    }

    /// The next decompressed chunk, or nil at the end.
    func next() throws -> [UInt8]? {
        while !finished {
            if pendingRaw.isEmpty {
                guard let raw = try readRaw() else {
                    finished = true
                    if isGzip && inflating {
                        throw IngestError.corruptGzip(path: path, reason: "the file ends inside a gzip member (truncated)")
                    }
                    return nil
                }
                if startOffset == 0, rawBytesRead == Int64(raw.count), raw.count >= 2, raw[0] == 0x1F, raw[1] == 0x8B {
                    isGzip = true
                }
                pendingRaw = raw[...]
            }
            if !isGzip {
                let chunk = Array(pendingRaw)
                pendingRaw = []
                return chunk
            }
            if let out = try inflateSome(), !out.isEmpty {
                plainHasher.update(data: out)
                return out
            }
        }
        return nil
    }

    private var streamEnded = false

    private func readRaw() throws -> [UInt8]? {
        let count = rawBuffer.withUnsafeMutableBytes { buffer -> Int in
            while true {
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n < 0 && errno == EINTR { continue }
                return n
            }
        }
        if count < 0 { throw IngestError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        if count == 0 { return nil }
        let bytes = Array(rawBuffer[0..<count])
        rawHasher.update(data: bytes)
        prefixHasher?.update(data: bytes)
        rawBytesRead += Int64(count)
        return bytes
    }

    /// Inflates what is pending; handles multi-member gzip by resetting at each member's end.
    private func inflateSome() throws -> [UInt8]? {
        if !inflating {
            stream = z_stream()
            guard tq_inflate_init_gzip(&stream) == Z_OK else { throw IngestError.corruptGzip(path: path, reason: "zlib failed to start") }
            inflating = true
            streamEnded = false
        }
        var output = [UInt8](repeating: 0, count: EvidenceReader.chunkSize)
        var produced = 0
        let input = Array(pendingRaw)
        var consumed = 0
        input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
            }
        }
        let status = inflate(&stream, Z_NO_FLUSH)
        consumed = input.count - Int(stream.avail_in)
        produced = EvidenceReader.chunkSize - Int(stream.avail_out)
        pendingRaw = pendingRaw.dropFirst(consumed)
        switch status {
        case Z_OK, Z_BUF_ERROR:
            break
        case Z_STREAM_END:
            streamEnded = true
            inflateEnd(&stream)
            inflating = false
            // Skip the zero padding some tools write after the last member.
            while let first = pendingRaw.first, first == 0 { pendingRaw = pendingRaw.dropFirst() }
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw IngestError.corruptGzip(path: path, reason: message)
        }
        return Array(output[0..<produced])
    }

    var sha256: String { Hex.encode(rawHasher.finalize()) }
    var decompressedSHA256: String? { isGzip ? Hex.encode(plainHasher.finalize()) : nil }
    /// SHA-256 of the file from its first byte to the last byte read, when reading started part-way.
    var prefixSHA256: String? { prefixHasher.map { Hex.encode($0.finalize()) } }
}
