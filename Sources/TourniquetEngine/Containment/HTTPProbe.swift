import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Asks the protected server how it answers now. A reload takes effect as nginx's new workers
/// start, so the probe asks again for a few seconds until it sees the expected status.
enum HTTPProbe {
    static func status(method: String, url: String, headers: [String: String] = [:], expecting: Int, within seconds: Double = 5) -> Int? {
        guard let target = URL(string: url) else { return nil }
        let deadline = Date().addingTimeInterval(seconds)
        var last: Int?
        repeat {
            last = once(method: method, url: target, headers: headers)
            if last == expecting { return last }
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        return last
    }

    private static func once(method: String, url: URL, headers: [String: String]) -> Int? {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 3)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        let box = StatusBox()
        let task = URLSession.shared.dataTask(with: request) { _, response, _ in
            box.status = (response as? HTTPURLResponse)?.statusCode
            done.signal()
        }
        task.resume()
        _ = done.wait(timeout: .now() + 4)
        return box.status
    }

    private final class StatusBox: @unchecked Sendable {
        var status: Int?
    }
}
