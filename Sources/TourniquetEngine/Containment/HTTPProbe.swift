import Foundation

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
        try? HTTPExchange.send(method, url, headers: headers, timeout: 3).get().status
    }
}
