import Foundation
import XCTest

@testable import TourniquetModel

final class JSONLineReaderTests: XCTestCase {
    private func value(
        _ text: String, keeping selection: JSONSelection? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) -> JSONValue? {
        switch JSONLineReader.parse(text, keeping: selection) {
        case .success(let v): return v
        case .failure(let e):
            XCTFail("unexpected error: \(e)", file: file, line: line)
            return nil
        }
    }

    private func error(
        _ bytes: [UInt8], keeping selection: JSONSelection? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) -> JSONParseError? {
        switch withRawBytes(bytes, { JSONLineReader.parse($0, keeping: selection) }) {
        case .success(let v):
            XCTFail("expected an error, parsed \(v)", file: file, line: line)
            return nil
        case .failure(let e): return e
        }
    }

    private func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONParseError? {
        error(Array(text.utf8), file: file, line: line)
    }

    // MARK: Values

    func testScalarsArraysAndObjectsInOrder() {
        let v = value(#" {"a": 1, "b": [true, false, null, "x"], "c": {"d": -2.5e1}, "a": 2} "#)
        XCTAssertEqual(v?["a"], .number(1, raw: "1"), "the first of duplicate keys wins")
        XCTAssertEqual(v?["b"]?[0], .bool(true))
        XCTAssertEqual(v?["b"]?[2], .null)
        XCTAssertEqual(v?["b"]?[3]?.stringValue, "x")
        XCTAssertNil(v?["b"]?[4])
        XCTAssertEqual(v?["c"]?["d"], .number(-25, raw: "-2.5e1"))
        guard case .object(let o)? = v else { return XCTFail("not an object") }
        XCTAssertEqual(o.members.map(\.key), ["a", "b", "c", "a"])
    }

    func testNumbersKeepTheirRawText() {
        XCTAssertEqual(value("0"), .number(0, raw: "0"))
        XCTAssertEqual(value("-0"), .number(-0.0, raw: "-0"))
        XCTAssertEqual(value("1726783839538"), .number(1_726_783_839_538, raw: "1726783839538"))
        XCTAssertEqual(value("12345678901234567890")?.scalarText, "12345678901234567890")
        XCTAssertEqual(value("1.7267838395395e+18")?.doubleValue, 1.7267838395395e+18)
        // Huge values become infinity but the raw text stays exact.
        guard case .number(let d, let raw)? = value("1e999") else { return XCTFail("not a number") }
        XCTAssertEqual(raw, "1e999")
        XCTAssertTrue(d.isInfinite)
    }

    func testRejectsInvalidNumbers() {
        for text in ["01", "1.", ".1", "+1", "1e", "1e+", "-", "--1", "0x10", "NaN", "Infinity", "-Infinity", "1.e3", "1 2"] {
            XCTAssertNotNil(error(text), text)
        }
        XCTAssertEqual(error(String(repeating: "1", count: 600))?.message, "number too long")
        XCTAssertNotNil(value(String(repeating: "9", count: 500)))
    }

    // MARK: Strings

    func testAllEscapes() {
        XCTAssertEqual(value(#""q\"b\\s\/b\bf\fn\nr\rt\tu\u00e9\u20AC""#)?.stringValue, "q\"b\\s/b\u{8}f\u{C}n\nr\rt\tu\u{E9}\u{20AC}")
        XCTAssertEqual(value(#""\u0000x""#)?.stringValue, "\u{0}x")
    }

    func testSurrogatePairsAndLoneSurrogates() {
        XCTAssertEqual(value(#""\ud83d\ude42""#)?.stringValue, "🙂")
        XCTAssertEqual(value(#""\uD83D\uDE42""#)?.stringValue, "🙂")
        XCTAssertEqual(value(#""a\ud83db""#)?.stringValue, "a\u{FFFD}b")
        XCTAssertEqual(value(#""a\ude42b""#)?.stringValue, "a\u{FFFD}b")
        XCTAssertEqual(value(#""\ud83d\ud83d\ude42""#)?.stringValue, "\u{FFFD}🙂")
        XCTAssertEqual(value(#""\ud83d\n""#)?.stringValue, "\u{FFFD}\n")
        XCTAssertEqual(value(#""\ud83d""#)?.stringValue, "\u{FFFD}")
    }

    func testInvalidUTF8IsReplacedNotRejected() {
        let cases: [[UInt8]] = [[0x61, 0x80, 0x62], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xFF, 0xFE, 0x41]]
        for raw in cases {
            let line = [0x22] + raw + [0x22]
            let result = withRawBytes(line) { JSONLineReader.parse($0) }
            guard case .success(.string(let s)) = result else {
                XCTFail("\(raw) not parsed: \(result)")
                continue
            }
            XCTAssertEqual(s, String(decoding: raw, as: UTF8.self))
            XCTAssertTrue(s.unicodeScalars.contains("\u{FFFD}"))
        }
        // Invalid bytes next to escapes and inside keys.
        let mixed: [UInt8] = Array(#"{"k"#.utf8) + [0xFF] + Array(#"":"\u00e9"#.utf8) + [0xE2, 0x82] + Array(#"\n"}"#.utf8)
        guard case .success(let v) = withRawBytes(mixed, { JSONLineReader.parse($0) }) else { return XCTFail("not parsed") }
        XCTAssertEqual(v["k\u{FFFD}"]?.stringValue, "é\u{FFFD}\n")
    }

    func testRejectsControlCharactersAndBadEscapes() {
        XCTAssertEqual(error("\"a\u{1}b\"")?.message, "control character in string")
        XCTAssertEqual(error("\"a\nb\"")?.message, "control character in string")
        XCTAssertEqual(error(#""\q""#)?.message, "invalid escape")
        XCTAssertEqual(error(#""\u12""#)?.message, #"invalid \u escape"#)
        XCTAssertEqual(error(#""\u12g4""#)?.message, #"invalid \u escape"#)
        XCTAssertEqual(error(#""abc"#)?.message, "unterminated string")
        XCTAssertEqual(error(#""abc\"#)?.message, "unterminated string")
    }

    // MARK: Structure

    func testErrorsNameTheByteOffset() {
        XCTAssertEqual(error(#"{"a" 1}"#)?.description, "invalid JSON at byte 5: expected ':'")
        XCTAssertEqual(error(#"{"a":1 "b":2}"#)?.description, "invalid JSON at byte 7: expected ',' or '}'")
        XCTAssertEqual(error("{} x")?.message, "unexpected data after the value")
        XCTAssertEqual(error("")?.message, "unexpected end of line")
        XCTAssertEqual(error("   ")?.message, "unexpected end of line")
        XCTAssertNotNil(error("{,}"))
        XCTAssertNotNil(error("[1,]"))
        XCTAssertNotNil(error(#"{"a":1,}"#))
        XCTAssertNotNil(error("{'a':1}"))
        XCTAssertNotNil(error("tru"))
        XCTAssertNotNil(error("nul"))
        XCTAssertNotNil(error("[1 2]"))
    }

    func testLeadingByteOrderMarkIsAccepted() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8)
        guard case .success(let v) = withRawBytes(bytes, { JSONLineReader.parse($0) }) else { return XCTFail() }
        XCTAssertEqual(v["a"]?.int64Value, 1)
    }

    func testNestingIsCappedWithoutDeepRecursion() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertEqual(error(deep)?.message, "nesting deeper than 64")
        let deepObjects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        XCTAssertEqual(error(deepObjects)?.message, "nesting deeper than 64")
        // The same cap applies to members a selection skips.
        let skipped = #"{"keep":1,"skip":"# + deep + "}"
        XCTAssertEqual(error(Array(skipped.utf8), keeping: JSONSelection(paths: ["keep"]))?.message, "nesting deeper than 64")
        // 64 levels are fine, 65 are not.
        XCTAssertNotNil(value(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)))
        XCTAssertNotNil(error(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)))
        XCTAssertNotNil(error(String(repeating: "[", count: 10_000)))
    }

    func testEveryPrefixOfALineFailsCleanly() {
        let text = #"{"a":[1,2.5e3,{"b":"c\u00e9\ud83d\ude42"}],"d":true,"e":null,"f":"x\"y"}"#
        let bytes = Array(text.utf8)
        for end in 0..<bytes.count {
            let result = withRawBytes(Array(bytes[..<end])) { JSONLineReader.parse($0) }
            guard case .failure(let e) = result else { return XCTFail("prefix \(end) parsed") }
            XCTAssertLessThanOrEqual(e.offset, end)
        }
        XCTAssertNotNil(value(text))
    }

    func testRandomMutationsNeverCrash() {
        let seedLine = Array(#"{"a":[1,-2.5e3,{"b":"c\u00e9\ud83d"}],"d":true,"e":null,"f":"x\"y","g":{"h":{}}}"#.utf8)
        let selection = JSONSelection(paths: ["a", "g.h", "f"])
        var rng = IngestTestRNG(seed: 11)
        for i in 0..<20_000 {
            var bytes = seedLine
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[at] = UInt8.random(in: 0...255, using: &rng)
            }
            if i % 10 == 0 { bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
            withRawBytes(bytes) { b in
                _ = JSONLineReader.parse(b)
                _ = JSONLineReader.parse(b, keeping: selection)
            }
        }
    }

    // MARK: Selection and lookup

    func testSelectionKeepsOnlySelectedMembersInEveryKeyForm() {
        let text = #"{"a":{"b":1,"c":2},"x.y":3,"x":{"z":4},"p.q":{"r":5,"s":6},"skip":[1,{"deep":true}],"t":{"u":7}}"#
        let v = value(text, keeping: JSONSelection(paths: ["a.b", "x.y", "x.z", "p.q.r", "t"]))
        XCTAssertEqual(v?.lookup("a.b")?.int64Value, 1)
        XCTAssertNil(v?.lookup("a.c"))
        XCTAssertEqual(v?.lookup("x.y")?.int64Value, 3)
        XCTAssertEqual(v?.lookup("x.z")?.int64Value, 4)
        XCTAssertEqual(v?.lookup("p.q.r")?.int64Value, 5)
        XCTAssertNil(v?.lookup("p.q.s"))
        XCTAssertNil(v?["skip"])
        XCTAssertEqual(v?["t"], .object(JSONObject([("u", .number(7, raw: "7"))])))
    }

    func testLookupTriesLiteralDottedKeyThenNestedForms() {
        let v = value(
            #"{"http.request.method":"FLAT","http":{"request":{"method":"NESTED","bytes":9}},"url.path":"/p","url":{"query":"q=1"},"http.response":{"status_code":200}}"#
        )
        XCTAssertEqual(v?.lookup("http.request.method")?.stringValue, "FLAT")
        XCTAssertEqual(v?.lookup("http.request.bytes")?.int64Value, 9)
        XCTAssertEqual(v?.lookup("url.path")?.stringValue, "/p")
        XCTAssertEqual(v?.lookup("url.query")?.stringValue, "q=1")
        XCTAssertEqual(v?.lookup("http.response.status_code")?.int64Value, 200)
        XCTAssertEqual(v?["http"]?["request"]?["method"]?.stringValue, "NESTED")
        XCTAssertNil(v?.lookup("http.nothing"))
        XCTAssertNil(v?.lookup(""))
        XCTAssertNil(JSONValue.string("x").lookup("a"))
    }

    func testTypedReadsAndHeaders() {
        XCTAssertEqual(JSONValue.string("200").int64Value, 200)
        XCTAssertEqual(JSONValue.string("-12").int64Value, -12)
        XCTAssertNil(JSONValue.string("-").int64Value)
        XCTAssertNil(JSONValue.string("1.5").int64Value)
        XCTAssertNil(JSONValue.string("nan").doubleValue)
        XCTAssertNil(JSONValue.string("0x1A").doubleValue)
        XCTAssertNil(JSONValue.string(" 1").doubleValue)
        XCTAssertNil(JSONValue.string("1.2.3").doubleValue)
        XCTAssertEqual(JSONValue.string("2.5").doubleValue, 2.5)
        XCTAssertNil(JSONValue.number(1e300, raw: "1e300").int64Value)
        XCTAssertEqual(JSONValue.number(1e3, raw: "1e3").int64Value, 1000)
        XCTAssertEqual(JSONValue.bool(true).scalarText, "true")
        let headers = value(#"{"x-forwarded-for":["203.0.113.1","10.0.0.1"],"ua":"curl","n":5,"o":{}}"#)
        XCTAssertEqual(headers?["x-forwarded-for"]?.headerText, "203.0.113.1, 10.0.0.1")
        XCTAssertEqual(headers?["x-forwarded-for"]?.headerValues, ["203.0.113.1", "10.0.0.1"])
        XCTAssertEqual(headers?["ua"]?.headerText, "curl")
        XCTAssertEqual(headers?["n"]?.headerText, "5")
        XCTAssertNil(headers?["o"]?.headerText)
        XCTAssertEqual(headers?["o"]?.headerValues, [])
    }

    func testHostileCorpusStringsRoundTripExactly() {
        guard let payloads = loadHostilePayloads() else { return }
        for p in payloads {
            let line: [UInt8] = Array(#"{"v":""#.utf8) + p.jsonStringContent + Array(#""}"#.utf8)
            guard case .success(let v) = withRawBytes(line, { JSONLineReader.parse($0) }) else {
                XCTFail("\(p.id) did not parse")
                continue
            }
            XCTAssertEqual(v["v"]?.stringValue, p.expected, p.id)
        }
    }
}
