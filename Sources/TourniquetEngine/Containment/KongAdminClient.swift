import Foundation
import TourniquetModel

/// Kong's Admin API over HTTP: JSON in and out, each call's method and path kept for the record.
final class KongAdminClient {
    struct Failure: ResponderFacingError {
        var description: String
        var exitCode: Int32 { 1 }
    }

    let base: String
    /// Every call made, as "METHOD /path → status", for the timeline.
    private(set) var log: [String] = []

    init(base: String) throws {
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw Failure(description: "--admin-url: '\(base)' is not an http(s) URL")
        }
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// Calls the API; an answer outside 2xx (404 allowed when `missingIsFine`) throws with Kong's message.
    @discardableResult
    func call(_ method: String, _ path: String, body: JSONValue? = nil, missingIsFine: Bool = false) throws -> JSONValue? {
        guard let url = URL(string: base + path) else { throw Failure(description: "cannot build a URL for \(path)") }
        let sent = HTTPExchange.send(
            method, url, headers: body == nil ? [:] : ["Content-Type": "application/json"], body: body.map { Data($0.canonicalJSON.utf8) })
        let answer: HTTPExchange.Answer
        switch sent {
        case .success(let received): answer = received
        case .failure(let why):
            log.append("\(method) \(path) → no answer")
            throw Failure(description: "Kong's Admin API did not answer \(method) \(path): \(why)")
        }
        let status = answer.status
        log.append("\(method) \(path) → \(status)")
        if status == 404 && missingIsFine { return nil }
        let text = answer.text
        guard (200..<300).contains(status) else {
            let message = (try? JSONLineReader.parse(text).get())?["message"]?.stringValue ?? String(text.prefix(200))
            throw Failure(description: "Kong answered \(method) \(path) with \(status): \(DisplayText.sanitize(message).text)")
        }
        return text.isEmpty ? nil : try? JSONLineReader.parse(text).get()
    }

    /// Every entity of a listing, following Kong's `next` links.
    func list(_ path: String) throws -> [JSONValue] {
        var out: [JSONValue] = []
        var next: String? = path
        var pages = 0
        while let current = next, pages < 100 {
            let page = try call("GET", current)
            if case .array(let data)? = page?["data"] { out += data }
            next = page?["next"]?.stringValue.map { $0.hasPrefix("http") ? String($0.dropFirst(base.count)) : $0 }
            pages += 1
        }
        return out
    }

}
