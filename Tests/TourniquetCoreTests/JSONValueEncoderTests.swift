import Foundation
import XCTest

@testable import TourniquetModel

/// The direct encoder gives the canonical bytes that `JSONEncoder` followed by a parse gives.
final class JSONValueEncoderTests: XCTestCase {
    struct Sample: Codable, Equatable {
        struct Inner: Codable, Equatable {
            var name: String
            var counts: [String: Int64]
            var ratio: Double
        }
        var id: Int
        var title: String
        var absent: String?
        var present: String?
        var flags: [Bool]
        var inner: [Inner]
        var evidence: JSONValue
        var big: UInt64
    }

    private let sample = Sample(
        id: 7, title: "quote \" slash / tab \t é \u{1B}", absent: nil, present: "yes", flags: [true, false],
        inner: [.init(name: "a", counts: ["200": 5, "404": 2], ratio: 0.25), .init(name: "b", counts: [:], ratio: 3)],
        evidence: ["z": 1, "a": ["nested": .null]], big: UInt64.max)

    func testTheSameCanonicalBytesAsJSONEncoder() throws {
        let direct = try JSONValueEncoder.encode(sample).canonicalJSON
        let viaText = try XCTUnwrap(JSONValue(parsing: String(decoding: try JSONEncoder().encode(sample), as: UTF8.self))).canonicalJSON
        XCTAssertEqual(direct, viaText)
        XCTAssertFalse(direct.contains("absent"), "a nil optional is left out, as JSONEncoder leaves it")
        XCTAssertTrue(direct.contains(#""big":18446744073709551615"#), "large integers are exact")
        XCTAssertEqual(try JSONDecoder().decode(Sample.self, from: Data(direct.utf8)), sample)
    }

    func testNonFiniteNumbersAreRefused() {
        struct Bad: Encodable { var x = Double.nan }
        XCTAssertThrowsError(try JSONValueEncoder.encode(Bad()))
    }

    func testTheDecoderReadsWhatTheEncoderWrote() throws {
        let text = try JSONValueEncoder.encode(sample).canonicalJSON
        XCTAssertEqual(try JSONValueDecoder.decode(Sample.self, fromText: text), sample)
        XCTAssertEqual(try JSONValueDecoder.decode(Sample.self, fromText: text), try JSONDecoder().decode(Sample.self, from: Data(text.utf8)))
    }

    func testDecodingProblemsNameTheMember() {
        let wrongType = #"{"id":"seven","title":"t","flags":[],"inner":[],"evidence":{},"big":1}"#
        XCTAssertThrowsError(try JSONValueDecoder.decode(Sample.self, fromText: wrongType)) { error in
            XCTAssertEqual(DecodingProblem.describe(error), "'id' must be a whole number")
        }
        let missing = #"{"id":1,"flags":[],"inner":[],"evidence":{},"big":1}"#
        XCTAssertThrowsError(try JSONValueDecoder.decode(Sample.self, fromText: missing)) { error in
            XCTAssertEqual(DecodingProblem.describe(error), "missing 'title'")
        }
        XCTAssertThrowsError(try JSONValueDecoder.decode(Sample.self, fromText: #"{"id":1.5}"#))
        XCTAssertThrowsError(try JSONValueDecoder.decode(Sample.self, fromText: "not json"))
    }
}
