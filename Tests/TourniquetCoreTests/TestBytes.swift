import Foundation
import TourniquetModel
import XCTest

@testable import TourniquetIngest

/// Runs `body` over the UTF-8 bytes of `s`, the way parsers receive a line.
func withBytes<T>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    var s = s
    return s.withUTF8(body)
}

/// Runs `body` over raw bytes (for invalid UTF-8 that a `String` cannot hold).
func withRawBytes<T>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    bytes.withUnsafeBufferPointer(body)
}

/// Parses a line given as text.
func parseLine(_ parser: some LogLineParser, _ line: String) -> Result<ParsedRequest, MalformedLine> {
    withBytes(line) { parser.parse($0) }
}

/// Parses a line given as raw bytes.
func parseLine(_ parser: some LogLineParser, bytes: [UInt8]) -> Result<ParsedRequest, MalformedLine> {
    withRawBytes(bytes) { parser.parse($0) }
}

/// The parsed request, or a test failure naming the reason.
func expectParsed(_ result: Result<ParsedRequest, MalformedLine>, file: StaticString = #filePath, line: UInt = #line) -> ParsedRequest? {
    switch result {
    case .success(let request): return request
    case .failure(let error):
        XCTFail("unexpected MalformedLine: \(error.reason)", file: file, line: line)
        return nil
    }
}

/// The MalformedLine reason, or a test failure when the line parsed.
func expectMalformed(_ result: Result<ParsedRequest, MalformedLine>, file: StaticString = #filePath, line: UInt = #line) -> String? {
    switch result {
    case .success(let request):
        XCTFail("expected MalformedLine, parsed \(request)", file: file, line: line)
        return nil
    case .failure(let error): return error.reason
    }
}

/// `s` as a JSON string literal's content: the canonical writer's escapes, without the quotes.
func jsonEscaped(_ s: String) -> String {
    String(JSONValue.string(s).canonicalJSON.dropFirst().dropLast())
}

/// One entry of the hostile-text corpus.
struct HostilePayload {
    var id: String
    /// The payload's bytes: the UTF-8 of `text`, or the raw `hex` bytes.
    var bytes: [UInt8]
    /// What a parser must hand back: the text exactly, or the raw bytes with invalid UTF-8 as U+FFFD.
    var expected: String
    /// Whether the bytes are raw (possibly invalid UTF-8) rather than JSON-escapable text.
    var isRaw: Bool

    /// The bytes ready to sit between quotes in a JSON line: escaped text, or raw bytes as they are.
    var jsonStringContent: [UInt8] { isRaw ? bytes : Array(jsonEscaped(expected).utf8) }
}

/// Loads `Tests/Fixtures/hostile/payloads.jsonl`, found from this file's location. A missing file
/// is a test failure (and nil), never a quiet pass.
func loadHostilePayloads(file: StaticString = #filePath, line: UInt = #line) -> [HostilePayload]? {
    let repoRoot = URL(fileURLWithPath: "\(#filePath)")
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let url = repoRoot.appendingPathComponent("Tests/Fixtures/hostile/payloads.jsonl")
    guard let data = try? Data(contentsOf: url) else {
        XCTFail("hostile corpus missing at \(url.path)", file: file, line: line)
        return nil
    }
    var payloads: [HostilePayload] = []
    for rawLine in data.split(separator: UInt8(ascii: "\n")) where !rawLine.isEmpty {
        guard let object = try? JSONSerialization.jsonObject(with: Data(rawLine)) as? [String: Any],
            let id = object["id"] as? String
        else {
            XCTFail("unreadable corpus line", file: file, line: line)
            continue
        }
        if let text = object["text"] as? String {
            payloads.append(HostilePayload(id: id, bytes: Array(text.utf8), expected: text, isRaw: false))
        } else if let hex = object["hex"] as? String, let bytes = hexBytes(hex) {
            payloads.append(HostilePayload(id: id, bytes: bytes, expected: String(decoding: bytes, as: UTF8.self), isRaw: true))
        } else {
            XCTFail("corpus entry \(id) has neither text nor hex", file: file, line: line)
        }
    }
    XCTAssertFalse(payloads.isEmpty, "empty hostile corpus", file: file, line: line)
    return payloads
}

func hexBytes(_ hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    for i in stride(from: 0, to: digits.count, by: 2) {
        guard let byte = UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
        out.append(byte)
    }
    return out
}

/// A small deterministic generator so fuzz-style tests are repeatable.
struct IngestTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Feeds every prefix and many random corruptions of `line` to `parser`; none may crash, and every
/// failure must carry a reason.
func assertSurvivesCorruption(
    _ parser: some LogLineParser, _ line: String, seed: UInt64 = 7,
    file: StaticString = #filePath, sourceLine: UInt = #line
) {
    let bytes = Array(line.utf8)
    for end in 0...bytes.count {
        if case .failure(let e) = parseLine(parser, bytes: Array(bytes[..<end])) {
            XCTAssertFalse(e.reason.isEmpty, file: file, line: sourceLine)
        }
    }
    var rng = IngestTestRNG(seed: seed)
    let interesting: [UInt8] = [0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2C, 0x20, 0x00, 0x0A, 0xFF, 0xC3, 0xED, 0x2D, 0x30]
    for _ in 0..<2000 {
        var mutated = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !mutated.isEmpty {
            let at = Int.random(in: 0..<mutated.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: mutated[at] = interesting.randomElement(using: &rng) ?? 0
            case 1: mutated[at] = UInt8.random(in: 0...255, using: &rng)
            case 2: mutated.remove(at: at)
            default: mutated.insert(interesting.randomElement(using: &rng) ?? 0, at: at)
            }
        }
        if case .failure(let e) = parseLine(parser, bytes: mutated) {
            XCTAssertFalse(e.reason.isEmpty, file: file, line: sourceLine)
        }
    }
}
