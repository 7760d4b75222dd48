import Foundation

/// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1 for stand-ins of the services
/// Tourniquet talks to. Each request is read whole (headers, then Content-Length bytes), handed to
/// the handler, and answered with `Connection: close`.
public final class TinyHTTPServer: @unchecked Sendable {
    public struct Request {
        public var method: String
        public var target: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: Data
    }

    /// A request target's path, and its query's decoded name=value pairs.
    public static func split(_ target: String) -> (path: String, query: [String: String]) {
        guard let q = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: q)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if kv.count == 2 { query[kv[0]] = kv[1] }
        }
        return (String(target[..<q]), query)
    }

    public private(set) var port: Int = 0
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private var listener: Int32 = -1

    public convenience init(handler: @escaping @Sendable (Request) -> (status: Int, body: Data)) throws {
        try self.init(responder: { request in
            let (status, body) = handler(request)
            return (status, [:], body)
        })
    }

    /// A handler that also sets response headers (`Retry-After`, say).
    public init(responder handler: @escaping @Sendable (Request) -> (status: Int, headers: [String: String], body: Data)) throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = listener
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok, listen(listener, 16) == 0 else { throw MissingRequirement(what: "a listening socket on 127.0.0.1") }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                if let request = TinyHTTPServer.read(client) { TinyHTTPServer.answer(client, handler(request)) }
                close(client)
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func read(_ fd: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = Foundation.read(fd, &chunk, chunk.count)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
            headerEnd = find([13, 10, 13, 10], in: buffer)
        }
        let lines = String(decoding: buffer[0..<headerEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Array(buffer[(headerEnd! + 4)...])
        while body.count < length {
            let n = Foundation.read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            body += chunk[0..<n]
        }
        return Request(method: String(parts[0]), target: String(parts[1]), headers: headers, body: Data(body))
    }

    private static func answer(_ fd: Int32, _ response: (status: Int, headers: [String: String], body: Data)) {
        let reason =
            [
                200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                429: "Too Many Requests",
            ][response.status] ?? "Status"
        let head =
            "HTTP/1.1 \(response.status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
            + response.headers.map { "\($0.key): \($0.value)\r\n" }.joined() + "\r\n"
        _ = (Array(head.utf8) + Array(response.body)).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<i + needle.count]) == needle { return i }
        return nil
    }
}
