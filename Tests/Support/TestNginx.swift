import Foundation
import XCTest

/// A real nginx on 127.0.0.1, on a free port, with its own prefix directory: the gateway the
/// containment tests change. Its configuration includes Tourniquet's two managed files the way the
/// README tells a responder to, and one more include the tests can break.
public final class TestNginx {
    public let prefix: TemporaryDirectory
    public let port: Int
    public var confDir: String { prefix.file("conf") }
    /// How Tourniquet is told to run this nginx (`--nginx`).
    public var command: String { "\(binary) -p \(prefix.path)/ -c \(confDir)/nginx.conf" }
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// An include of the test's own, to break.
    public var extraInclude: String { confDir + "/extra.conf" }
    private let binary: String

    public init() throws {
        guard let found = TestPaths.which("nginx") ?? ["/usr/sbin/nginx"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            try TestPaths.require(false, "nginx (apt-get install nginx-light)")
            throw MissingRequirement(what: "nginx")
        }
        binary = found
        prefix = TemporaryDirectory("tourniquet-nginx")
        port = try TestNginx.freePort()
        for dir in ["conf", "logs", "tmp"] { try FileManager.default.createDirectory(atPath: prefix.file(dir), withIntermediateDirectories: true) }
        let conf = """
            worker_processes 1;
            pid \(prefix.path)/logs/nginx.pid;
            error_log \(prefix.path)/logs/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(prefix.path)/tmp/body;
                proxy_temp_path \(prefix.path)/tmp/proxy;
                fastcgi_temp_path \(prefix.path)/tmp/fastcgi;
                uwsgi_temp_path \(prefix.path)/tmp/uwsgi;
                scgi_temp_path \(prefix.path)/tmp/scgi;
                include \(confDir)/tourniquet-http.conf;
                include \(confDir)/extra.conf;
                server {
                    listen 127.0.0.1:\(port);
                    include \(confDir)/tourniquet-server.conf;
                    location / { return 200 "served\\n"; }
                }
            }

            """
        try conf.write(toFile: confDir + "/nginx.conf", atomically: true, encoding: .utf8)
        for file in ["tourniquet-http.conf", "tourniquet-server.conf", "extra.conf"] {
            try "".write(toFile: confDir + "/" + file, atomically: true, encoding: .utf8)
        }
        try start()
    }

    private func start() throws {
        let result = try run(["-p", prefix.path + "/", "-c", confDir + "/nginx.conf"])
        guard result == 0 else { throw MissingRequirement(what: "nginx did not start: " + log()) }
        for _ in 0..<50 {
            if status(path: "/", from: "127.0.0.1") != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw MissingRequirement(what: "nginx did not answer on port \(port): " + log())
    }

    /// Runs nginx with no pipes (the daemon it forks would hold a pipe open for ever) and waits for
    /// the launcher itself with waitpid.
    private func run(_ arguments: [String]) throws -> Int32 {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    public func log() -> String { (try? String(contentsOfFile: prefix.path + "/logs/error.log", encoding: .utf8)) ?? "" }

    /// The status a request gets, sent from `source` (an address of 127.0.0.0/8); nil if none came.
    public func status(method: String = "GET", path: String, from source: String, headers: [String: String] = [:]) -> Int? {
        guard let curl = TestPaths.which("curl") else { return nil }
        var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3", "--interface", source, "-X", method]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        arguments.append(baseURL + path)
        guard let result = try? ProcessRunner.run(curl, arguments), let code = Int(result.stdout), code > 0 else { return nil }
        return code
    }

    /// Waits for a reload to take: new workers start while the old ones finish.
    public func waitFor(_ expected: Int, method: String = "GET", path: String, from source: String, headers: [String: String] = [:]) -> Int? {
        var last: Int?
        for _ in 0..<50 {
            last = status(method: method, path: path, from: source, headers: headers)
            if last == expected { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return last
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw MissingRequirement(what: "a free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        if let pid = (try? String(contentsOfFile: prefix.path + "/logs/nginx.pid", encoding: .utf8)).flatMap({
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }) {
            kill(pid, SIGTERM)
            for _ in 0..<30 where kill(pid, 0) == 0 { Thread.sleep(forTimeInterval: 0.1) }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
    }
}
