import XCTest

@testable import TourniquetModel

final class DetailTests: XCTestCase {
    func testCanonicalJSONSortsKeysAndEscapesMinimally() {
        let detail: JSONValue = ["b": 2, "a": "x\"y\\z\n\u{1b}", "c": [true, .null], "é": "ü"]
        XCTAssertEqual(detail.canonicalJSON, #"{"a":"x\"y\\z\n\u001b","b":2,"c":[true,null],"é":"ü"}"#)
    }

    func testCanonicalJSONParsesBackAsTheSameObject() throws {
        let detail: JSONValue = ["nested": ["k": "v", "n": -5], "list": ["a", "b"]]
        let parsed = try JSONSerialization.jsonObject(with: Data(detail.canonicalJSON.utf8)) as? [String: Any]
        XCTAssertEqual((parsed?["nested"] as? [String: Any])?["k"] as? String, "v")
        XCTAssertEqual(parsed?["list"] as? [String], ["a", "b"])
    }

    func testKeyValueRenderingForTheTimeline() {
        let json = (["title": "two words", "drill": false, "n": 3] as JSONValue).canonicalJSON
        XCTAssertEqual(DetailText.keyValues(fromCanonicalJSON: json), #"drill=false n=3 title="two words""#)
    }
}
