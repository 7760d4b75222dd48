import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetModel

final class DisplayTextTests: XCTestCase {
    func testPlainASCIIPassesUntouched() {
        XCTAssertEqual(DisplayText.sanitize("GET /v1/users/7 200"), .init(text: "GET /v1/users/7 200", escaped: false))
    }

    func testControlAndInvisibleCharactersBecomeVisibleEscapes() {
        XCTAssertEqual(DisplayText.sanitize("a\u{1b}[2Jb").text, "a\\x1b[2Jb")
        XCTAssertEqual(DisplayText.sanitize("x\ty\r\nz").text, "x\\ty\\r\\nz")
        XCTAssertEqual(DisplayText.sanitize("GET /admin 403\u{8}\u{8}\u{8}200").text, "GET /admin 403\\x08\\x08\\x08200")
        XCTAssertEqual(DisplayText.sanitize("\u{9B}2J").text, "\\u{9B}2J")
        XCTAssertEqual(DisplayText.sanitize("admin\u{202E}txt.exe").text, "admin\\u{202E}txt.exe")
        XCTAssertEqual(DisplayText.sanitize("a\u{200B}b\u{FEFF}").text, "a\\u{200B}b\\u{FEFF}")
        XCTAssertEqual(DisplayText.sanitize("del\u{7F}").text, "del\\x7f")
        XCTAssertTrue(DisplayText.sanitize("\u{7}").escaped)
    }

    func testBackslashIsEscapedSoEscapesCannotBeForged() {
        // A literal "\x1b" typed by an attacker must not look like an escaped ESC.
        let result = DisplayText.sanitize("\\x1b")
        XCTAssertEqual(result.text, "\\\\x1b")
        XCTAssertFalse(result.escaped)
    }

    func testUnicodeTextIsKept() {
        XCTAssertEqual(DisplayText.sanitize("Zürich → 東京 👋").text, "Zürich → 東京 👋")
    }

    func testInvalidUTF8BytesAreShownAsHex() {
        let result = DisplayText.sanitize(bytes: [0x41, 0xFF, 0xC3, 0xA9, 0xE2, 0x82, 0x1B, 0xED, 0xA0, 0x80])
        XCTAssertEqual(result.text, "A\\xffé\\xe2\\x82\\x1b\\xed\\xa0\\x80")
        XCTAssertTrue(result.escaped)
    }

    func testEveryHostilePayloadBecomesInert() throws {
        let corpus = TestPaths.fixtures.appendingPathComponent("hostile/payloads.jsonl")
        try TestPaths.require(FileManager.default.fileExists(atPath: corpus.path), "Tests/Fixtures/hostile/payloads.jsonl")
        let lines = try String(contentsOf: corpus, encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 60)
        for line in lines {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = object["id"] as? String ?? "?"
            let result: DisplayText.Result
            if let text = object["text"] as? String {
                result = DisplayText.sanitize(text)
            } else {
                let hex = try XCTUnwrap(object["hex"] as? String)
                result = DisplayText.sanitize(bytes: Self.bytes(fromHex: hex))
            }
            for scalar in result.text.unicodeScalars {
                XCTAssertNil(DisplayText.escapeForm(scalar).flatMap { scalar == "\\" ? nil : $0 }, "\(id) left \(scalar.value) raw")
            }
        }
    }

    static func bytes(fromHex hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16) }
    }
}
