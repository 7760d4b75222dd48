import Foundation
import TourniquetModel

/// Cloudflare's API over HTTP: bearer token, JSON envelopes (`success`, `errors`, `result`), calls
/// paced by a budget, a 429 waited out once as `Retry-After` says, and every call kept for the record.
final class CloudflareClient {
    struct Failure: ResponderFacingError {
        var description: String
        var exitCode: Int32 { 1 }
    }

    let base: String
    private let token: String
    private let budget: RequestBudget
    /// Every call made, as "METHOD /path → status", for the timeline.
    private(set) var log: [String] = []
    /// How long bulk operations may take before the apply says so and stops.
    var operationTimeout: Double = 120

    init(base: String, token: String, budget: RequestBudget) throws {
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw Failure(description: "--api-url: '\(base)' is not an http(s) URL")
        }
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.token = token
        self.budget = budget
    }

    /// The envelope's `result`; a 404 gives nil when `missingIsFine`; anything else unsuccessful throws.
    @discardableResult
    func call(_ method: String, _ path: String, body: JSONValue? = nil, missingIsFine: Bool = false) throws -> JSONValue? {
        try envelope(method, path, body: body, missingIsFine: missingIsFine)?["result"]
    }

    /// The whole answer: a listing's `result_info` says where its next page is.
    func envelope(_ method: String, _ path: String, body: JSONValue? = nil, missingIsFine: Bool = false) throws -> JSONValue? {
        guard let url = URL(string: base + path) else { throw Failure(description: "cannot build a URL for \(path)") }
        var headers = ["Authorization": "Bearer \(token)"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let data = body.map { Data($0.canonicalJSON.utf8) }
        var answer = try send(method, path, url, headers, data)
        if answer.status == 429 {
            // Over the limit: wait as told (bounded), once; a second 429 stops the apply.
            Thread.sleep(forTimeInterval: min(60, max(1, Double(answer.headers["retry-after"] ?? "") ?? 5)))
            answer = try send(method, path, url, headers, data)
        }
        if answer.status == 404 && missingIsFine { return nil }
        let envelope = try? JSONLineReader.parse(answer.text).get()
        guard (200..<300).contains(answer.status), envelope?["success"] == .bool(true) else {
            throw Failure(
                description: "Cloudflare answered \(method) \(path) with \(answer.status): \(CloudflareClient.errors(envelope, answer.text))")
        }
        return envelope
    }

    /// One call within the budget, logged.
    private func send(_ method: String, _ path: String, _ url: URL, _ headers: [String: String], _ body: Data?) throws -> HTTPExchange.Answer {
        budget.take()
        switch HTTPExchange.send(method, url, headers: headers, body: body) {
        case .failure(let why):
            log.append("\(method) \(path) → no answer")
            throw Failure(description: "Cloudflare did not answer \(method) \(path): \(why)")
        case .success(let received):
            log.append("\(method) \(path) → \(received.status)")
            return received
        }
    }

    /// Waits for an asynchronous list operation, pausing longer between polls, and throws when it
    /// failed or outlasted the timeout.
    func waitForOperation(_ id: String, account: String) throws {
        var pause = 0.2
        let deadline = Date().addingTimeInterval(operationTimeout)
        while true {
            let result = try call("GET", "/accounts/\(URLText.percentEncoded(account))/rules/lists/bulk_operations/\(URLText.percentEncoded(id))")
            switch result?["status"]?.stringValue {
            case "completed": return
            case "failed":
                throw Failure(
                    description:
                        "Cloudflare's bulk operation \(id) failed: \(DisplayText.sanitize(result?["error"]?.stringValue ?? "no reason given").text)")
            default:
                guard Date() < deadline else {
                    throw Failure(
                        description: "Cloudflare's bulk operation \(id) was still running after \(Int(operationTimeout)) s: apply again to check it")
                }
                Thread.sleep(forTimeInterval: pause)
                pause = min(5, pause * 2)
            }
        }
    }

    /// Every result of a listing, following `result_info.cursors.after` or `page`/`total_pages`.
    func list(_ path: String) throws -> [JSONValue] {
        var out: [JSONValue] = []
        var cursor: String?
        var page = 1
        for _ in 0..<200 {
            let separator = path.contains("?") ? "&" : "?"
            let suffix = cursor.map { "cursor=\(URLText.percentEncoded($0))" } ?? "page=\(page)"
            let envelope = try self.envelope("GET", path + separator + suffix)
            if case .array(let items)? = envelope?["result"] { out += items }
            if let after = envelope?["result_info"]?["cursors"]?["after"]?.stringValue, !after.isEmpty {
                cursor = after
            } else if let total = envelope?["result_info"]?["total_pages"]?.int64Value, page < total, cursor == nil {
                page += 1
            } else {
                break
            }
        }
        return out
    }

    static func errors(_ envelope: JSONValue?, _ text: String) -> String {
        if case .array(let errors)? = envelope?["errors"], !errors.isEmpty {
            return errors.map { error in
                let code = error["code"]?.int64Value.map { "\($0) " } ?? ""
                return DisplayText.sanitize(code + (error["message"]?.stringValue ?? "")).text
            }.joined(separator: "; ")
        }
        return DisplayText.sanitize(String(text.prefix(200))).text
    }
}
