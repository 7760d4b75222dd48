import Foundation
import TourniquetIngest
import TourniquetStore

/// The parsing side of an ingest, run on its own thread.
enum IngestParsing {
    /// Parses every line; a request dated outside `plausible` is refused and counted, not imported.
    /// `lineOffset` is how many lines of the file earlier evidence holds, so rows keep the file's line numbers.
    static func run(
        reader: EvidenceReader, head: EvidenceHead, parser: LogLineParser?, normalizer: RequestNormalizer,
        plausible: ClosedRange<Int64>, lineOffset: Int64 = 0, queue: BoundedQueue<IngestMessage>
    ) {
        var summary = ParseSummary()
        var splitter = LineSplitter()
        var failed = false

        func handle(_ line: UnsafeBufferPointer<UInt8>, truncated: Bool) {
            summary.linesRead += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            guard let parser else { return }
            if truncated {
                summary.recordMalformed(
                    line: lineOffset + summary.linesRead, bytes: line, reason: "line longer than 1 MiB",
                    redactor: normalizer.settings.redactor)
                return
            }
            switch parser.parse(line) {
            case .success(let request) where !plausible.contains(request.timestampMs):
                summary.timeRefused += 1
                summary.recordMalformed(
                    line: lineOffset + summary.linesRead, bytes: line, reason: ParseSummary.implausibleTime(request.timestampMs),
                    redactor: normalizer.settings.redactor)
            case .success(let request):
                summary.parsed += 1
                normalizer.add(request, line: lineOffset + summary.linesRead)
                if normalizer.batchCount >= CaseEngine.batchRows { flush() }
            case .failure(let malformed):
                summary.recordMalformed(
                    line: lineOffset + summary.linesRead, bytes: line, reason: malformed.reason,
                    redactor: normalizer.settings.redactor)
            }
        }

        func flush() {
            if !queue.put(.batch(normalizer.takeBatch(), bytesRead: bytesRead, lines: summary.linesRead)) { failed = true }
        }

        // Reading, inflating and hashing run on their own thread, a few chunks ahead of parsing.
        let chunks = BoundedQueue<ChunkMessage>(capacity: 4)
        let readerThread = Thread {
            do {
                while let chunk = try reader.next() {
                    if !chunks.put(.chunk(chunk, bytesRead: reader.rawBytesRead)) { return }
                }
                chunks.put(.end)
            } catch {
                chunks.put(.failed(error))
            }
        }
        readerThread.start()
        defer { chunks.cancel() }
        var bytesRead: Int64 = 0
        do {
            for chunk in head.chunks {
                splitter.feed(chunk, handle)
                if failed || queue.isCancelled { return }
            }
            reading: while true {
                switch chunks.take() {
                case .chunk(let chunk, let read):
                    bytesRead = read
                    splitter.feed(chunk, handle)
                    if failed || queue.isCancelled { return }
                case .end:
                    break reading
                case .failed(let error):
                    throw error
                }
            }
            splitter.finish(handle)
            queue.put(.batch(normalizer.takeBatch(), bytesRead: bytesRead, lines: summary.linesRead))
            queue.put(.finished(summary))
        } catch {
            queue.put(.failed(error))
        }
    }
}

/// A message from the reading thread to the parsing thread.
enum ChunkMessage {
    case chunk([UInt8], bytesRead: Int64)
    case end
    case failed(Error)
}

/// The first chunks of a file, read before parsing starts to detect its format and refuse binaries.
struct EvidenceHead {
    var chunks: [[UInt8]]
    var sampleLines: [[UInt8]]

    static let sampleLineCount = 20
    static let sniffBytes = 8192

    static func read(from reader: EvidenceReader, path: String) throws -> EvidenceHead {
        var chunks: [[UInt8]] = []
        var total = 0
        var lines: [[UInt8]] = []
        while lines.count < sampleLineCount && total < 256 * 1024, let chunk = try reader.next() {
            chunks.append(chunk)
            total += chunk.count
            let joined = chunks.flatMap { $0 }
            lines = joined.split(separator: 0x0A, maxSplits: sampleLineCount, omittingEmptySubsequences: true).prefix(sampleLineCount).map {
                Array($0.last == 0x0D ? $0.dropLast() : $0)
            }
        }
        let sniff = chunks.lazy.flatMap { $0 }.prefix(sniffBytes)
        if looksBinary(Array(sniff)) { throw IngestError.binary(path: path) }
        return EvidenceHead(chunks: chunks, sampleLines: lines)
    }

    /// NUL bytes, or many control bytes other than tab, newline, carriage return and escape.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        if bytes.contains(0) { return true }
        let control = bytes.lazy.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x1B }.count
        return control * 10 > bytes.count
    }
}

/// Hashes a whole file by streaming it; nil when it cannot be read.
public enum FileDigest {
    public static func sha256(path: String) -> String? {
        guard path != "-", let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256Stream()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.hexDigest()
    }

    /// The SHA-256 of a file's first `bytes` bytes: nil when it cannot be read, and an empty
    /// string (which matches no digest) when it is now shorter than that.
    public static func sha256(path: String, bytes: Int64) -> String? {
        guard path != "-", let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256Stream()
        var left = bytes
        while left > 0, let chunk = try? handle.read(upToCount: Int(min(left, 1 << 20))), !chunk.isEmpty {
            hasher.update(chunk)
            left -= Int64(chunk.count)
        }
        return left == 0 ? hasher.hexDigest() : ""
    }
}
