import XCTest

@testable import TourniquetIngest
@testable import TourniquetSimulation

final class ScanChunkTests: XCTestCase {
    private struct Input {
        var row: ScanRow
        var path: String
        var query: String?
    }

    private func encode(_ inputs: [Input], segments: [Int64: ObjectSegment]) -> ScanChunk {
        var encoder = ScanChunkEncoder(signatures: .defaults)
        for input in inputs {
            var path = input.path
            var query = input.query
            path.withUTF8 { p in
                if query == nil {
                    encoder.append(input.row, objectSegment: segments[input.row.route], path: p, query: nil)
                } else {
                    query!.withUTF8 { q in encoder.append(input.row, objectSegment: segments[input.row.route], path: p, query: q) }
                }
            }
        }
        return encoder.take()!
    }

    private func decode(_ chunk: ScanChunk, from: Int64? = nil, to: Int64? = nil) throws -> [ScanRow] {
        var rows: [ScanRow] = []
        try chunk.forEachRow(fromMs: from, toMs: to) { rows.append($0) }
        return rows
    }

    private let segments: [Int64: ObjectSegment] = [7: ObjectSegment("/v1/orders/{id}")!]

    private func row(_ id: Int64, ms: Int64, route: Int64 = 7, status: Int = 200, bytes: Int64 = 512) -> ScanRow {
        ScanRow(
            id: id, timestampMs: ms, ip: 1_000_003, client: id % 2 == 0 ? 0 : 42, apiKey: 9, method: 3, route: route, status: status,
            bytes: bytes, flags: [.undocumented], userAgent: id % 3 == 0 ? 0 : 77)
    }

    func testEveryFieldSurvivesTheRoundTrip() throws {
        let inputs = [
            Input(row: row(100, ms: 1_764_417_600_123), path: "/v1/orders/5001"),
            // Earlier than the row before it (logs are not always in order), an error, a query and an opaque id.
            Input(row: row(101, ms: 1_764_417_599_000, status: 404, bytes: 0), path: "/v1/orders/ab-7f", query: "q=%27+or+1%3D1"),
            Input(row: row(102, ms: 1_764_417_601_000), path: "/v1/orders/007"),
            Input(row: row(103, ms: 1_764_417_601_000, route: 8, status: 500, bytes: -1), path: "/health"),
        ]
        let chunk = encode(inputs, segments: segments)
        XCTAssertEqual(chunk.firstID, 100)
        XCTAssertEqual(chunk.rows, 4)
        XCTAssertEqual(chunk.firstMs, 1_764_417_599_000)
        XCTAssertEqual(chunk.lastMs, 1_764_417_601_000)
        let rows = try decode(chunk)
        XCTAssertEqual(rows.map(\.id), [100, 101, 102, 103])
        XCTAssertEqual(rows.map(\.timestampMs), inputs.map(\.row.timestampMs))
        XCTAssertEqual(rows.map(\.client), [0, 42, 0, 42])
        XCTAssertEqual(rows.map(\.status), [200, 404, 200, 500])
        XCTAssertEqual(rows.map(\.bytes), [512, 0, 512, -1])
        XCTAssertEqual(rows.map(\.flags.rawValue), Array(repeating: RequestFlags.undocumented.rawValue, count: 4))
        XCTAssertEqual(rows.map(\.objectID), [.number(5001), .text("ab-7f"), .text("007"), nil], "leading zeros keep the id as written")
        let injection = try XCTUnwrap(ProbeSignatures.defaults.names.firstIndex(of: "injection")) + 1
        XCTAssertEqual(rows.map(\.probe), [0, injection, 0, 0], "the query decodes to ' or 1=1")
        XCTAssertEqual(rows.map(\.pathAndQuery), [nil, nil, nil, nil], "no text is packed")
        XCTAssertEqual(rows.map(\.userAgent), [77, 77, 0, 77])
    }

    /// Chunks packed before the user agent was kept still read, with no user agent.
    func testAChunkWithoutUserAgentsStillReads() throws {
        // Version 1, then one row: shape 0, time gap 1000 (zigzag 2000), ip 5, client 6, key 0,
        // method 1, route 7, status 200, bytes 10 (zigzag 20), flags 0.
        let bytes: [UInt8] = [1, 0, 0xD0, 0x0F, 5, 6, 0, 1, 7, 0xC8, 0x01, 20, 0]
        let chunk = ScanChunk(firstID: 1, rows: 1, firstMs: 1000, lastMs: 1000, signatures: "", data: bytes)
        let rows = try decode(chunk)
        XCTAssertEqual(rows.map(\.timestampMs), [1000])
        XCTAssertEqual(rows.map(\.status), [200])
        XCTAssertEqual(rows.map(\.bytes), [10])
        XCTAssertEqual(rows.map(\.userAgent), [0])
        var damaged = bytes
        damaged[0] = 3
        XCTAssertThrowsError(try decode(ScanChunk(firstID: 1, rows: 1, firstMs: 1000, lastMs: 1000, signatures: "", data: damaged)))
    }

    func testAWindowKeepsOnlyItsRows() throws {
        let chunk = encode((0..<10).map { Input(row: row(Int64($0 + 1), ms: Int64(1000 * (10 - $0))), path: "/v1/orders/\($0)") }, segments: segments)
        XCTAssertEqual(try decode(chunk, from: 3000, to: 5000).map(\.timestampMs), [5000, 4000, 3000])
        XCTAssertEqual(try decode(chunk, from: 20_000).count, 0)
    }

    func testCanonicalNumbersOnly() {
        func number(_ s: String) -> Int64? {
            var c = s
            return c.withUTF8 { ObjectID.canonicalNumber($0) }
        }
        XCTAssertEqual(number("0"), 0)
        XCTAssertEqual(number("123456789012345678"), 123_456_789_012_345_678)
        for text in ["", "007", "-5", "+5", "1e3", "12 ", "1234567890123456789", "٣"] { XCTAssertNil(number(text), text) }
        XCTAssertEqual(ObjectID("42").description, "42")
        XCTAssertEqual(ObjectID("0042").description, "0042")
    }

    /// A damaged chunk throws; it never reads past its end or returns made-up rows silently.
    func testEveryTruncationIsRefused() throws {
        var inputs: [Input] = []
        for i in 0..<50 {
            let status = i % 3 == 0 ? 403 : 200
            let query: String? = i % 5 == 0 ? "page=\(i)" : nil
            inputs.append(Input(row: row(Int64(i + 1), ms: Int64(i) * 7, status: status), path: "/v1/orders/\(i * 13)", query: query))
        }
        let chunk = encode(inputs, segments: segments)
        for length in 0..<chunk.data.count {
            var cut = chunk
            cut.data = Array(chunk.data.prefix(length))
            XCTAssertThrowsError(try decode(cut), "truncated to \(length) bytes")
        }
    }

    func testRandomDamageNeverCrashes() {
        var inputs: [Input] = []
        for i in 0..<50 { inputs.append(Input(row: row(Int64(i + 1), ms: Int64(i) * 7, status: 404), path: "/v1/orders/x\(i)", query: "a=\(i)")) }
        let chunk = encode(inputs, segments: segments)
        var random = SimulationRandom(seed: 99)
        for _ in 0..<2000 {
            var damaged = chunk
            for _ in 0..<3 { damaged.data[Int.random(in: 0..<damaged.data.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            _ = try? decode(damaged)
        }
        // An object id whose length claims far more bytes than remain is refused, not trusted.
        var lying = chunk
        lying.rows = 1
        lying.data = [1, 2] + Array(repeating: 0, count: 9) + [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        XCTAssertThrowsError(try decode(lying))
    }
}
