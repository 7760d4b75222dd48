import Foundation
import TourniquetModel

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request, waited for: the gateway clients run inside a synchronous apply.
enum HTTPExchange {
    struct Answer {
        var status: Int
        var body: Data
        /// Header names in lower case.
        var headers: [String: String]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The answer, or nil with why when none came within `timeout` seconds.
    static func send(
        _ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil, timeout: Double = 15
    ) -> Result<Answer, ExchangeFailure> {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let http = response as? HTTPURLResponse {
                var names: [String: String] = [:]
                for (name, value) in http.allHeaderFields { names["\(name)".lowercased()] = "\(value)" }
                box.answer = Answer(status: http.statusCode, body: data ?? Data(), headers: names)
            }
            box.error = error.map { $0.localizedDescription }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + timeout + 5) == .success, let answer = box.answer else {
            return .failure(ExchangeFailure(description: box.error ?? "timed out"))
        }
        return .success(answer)
    }

    struct ExchangeFailure: Error, CustomStringConvertible {
        var description: String
    }

    private final class Box: @unchecked Sendable {
        var answer: Answer?
        var error: String?
    }
}

/// Secrets the responder keeps in files (a client secret, an API token): the first line, which is
/// read for the call and never recorded.
enum SecretFile {
    static func firstLine(of path: String, what: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }), !line.isEmpty
        else { throw RefusedRequest("cannot read \(what) from \(path)") }
        return line
    }
}
