import Foundation
import TourniquetModel

/// A throw-away nginx for a drill: started in CASE.incident/nginx on a free loopback port with a
/// configuration that includes Tourniquet's two managed files, applied to and checked as a real one
/// is, then stopped. Rehearsing an apply this way shows the artifacts load in a real nginx without
/// touching the organisation's.
struct ScratchNginx {
    let prefix: String
    let port: Int
    let binary: String

    var confDir: String { prefix + "/conf" }

    func target(like given: NginxTarget) -> NginxTarget {
        NginxTarget(
            confDir: confDir, reload: true, command: [binary, "-p", prefix + "/", "-c", confDir + "/nginx.conf"], keyHeader: given.keyHeader,
            keyValuesPath: given.keyValuesPath, probeURL: "http://127.0.0.1:\(port)", throwaway: true)
    }

    static func start(for casePath: String) throws -> ScratchNginx {
        guard
            let binary = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { throw RefusedRequest("no nginx is installed for the drill's throw-away gateway (apt-get install nginx-light)") }
        // nginx reads relative paths from its prefix, so the prefix is absolute.
        let absolute = casePath.hasPrefix("/") ? casePath : FileManager.default.currentDirectoryPath + "/" + casePath
        let scratch = ScratchNginx(prefix: absolute + ".incident/nginx", port: try freePort(), binary: binary)
        for dir in ["conf", "logs", "tmp"] {
            try FileManager.default.createDirectory(atPath: scratch.prefix + "/" + dir, withIntermediateDirectories: true)
        }
        let p = scratch.prefix
        let conf = """
            # A drill's throw-away nginx, written by Tourniquet: it serves nothing but the managed files' checks.
            worker_processes 1;
            pid \(p)/logs/nginx.pid;
            error_log \(p)/logs/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(p)/tmp/body;
                proxy_temp_path \(p)/tmp/proxy;
                fastcgi_temp_path \(p)/tmp/fastcgi;
                uwsgi_temp_path \(p)/tmp/uwsgi;
                scgi_temp_path \(p)/tmp/scgi;
                include \(scratch.confDir)/tourniquet-http.conf;
                server {
                    listen 127.0.0.1:\(scratch.port);
                    include \(scratch.confDir)/tourniquet-server.conf;
                    location / { return 200 "served\\n"; }
                }
            }

            """
        try conf.write(toFile: scratch.confDir + "/nginx.conf", atomically: true, encoding: .utf8)
        for file in ["tourniquet-http.conf", "tourniquet-server.conf"] where !FileManager.default.fileExists(atPath: scratch.confDir + "/" + file) {
            try "".write(toFile: scratch.confDir + "/" + file, atomically: true, encoding: .utf8)
        }
        guard scratch.spawn(["-p", p + "/", "-c", scratch.confDir + "/nginx.conf"]) == 0 else {
            throw RefusedRequest("the drill's throw-away nginx did not start: see \(p)/logs/error.log")
        }
        // The probe asks again until nginx answers, for up to five seconds.
        _ = HTTPProbe.status(method: "GET", url: "http://127.0.0.1:\(scratch.port)/", expecting: 200, within: 5)
        return scratch
    }

    func stop() {
        _ = spawn(["-p", prefix + "/", "-c", confDir + "/nginx.conf", "-s", "quit"])
    }

    /// Runs nginx with no pipes (the daemon it forks would hold one open for ever) and waits for
    /// the launcher alone.
    private func spawn(_ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw RefusedRequest("no free port on 127.0.0.1 for the drill's nginx") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
