import TourniquetModel

/// Whether the logs can carry an investigation: the fields every request needs, and no secrets.
enum LoggingChecks {
    static let fields = ReviewItem(
        id: "log-fields", title: "Every request is logged with client identity, source, method, path, status and latency",
        reference: "API8:2023",
        fix: "Log the authenticated client or key id, the source address (with X-Forwarded-For), method, path, status and "
            + "response time for every request (Kong's file-log does; nginx needs $remote_user or a header, and $request_time).")

    static let secrets = ReviewItem(
        id: "log-secrets", title: "No credentials travel in URLs", reference: "API2:2023, API8:2023",
        fix: "Send keys and tokens in headers, not query strings or paths; rotate every credential listed here, since URLs land "
            + "in logs, proxies and browser history.")

    static func fields(_ input: ReviewInput) -> ReviewResult {
        guard let logs = input.logs, logs.requests > 0 else { return fields.result(.unknown, ["no logs"]) }
        func share(_ n: Int64) -> Int { Int((Double(n) * 100 / Double(logs.requests)).rounded()) }
        let identity = share(logs.identified)
        let latency = share(logs.withLatency)
        let evidence = [
            "client identity or key id on \(identity)% of \(logs.requests) requests",
            "response time on \(latency)%",
            "source address, method, path and status on every request that parsed",
        ]
        // Public routes are called anonymously, so the question is whether the format carries
        // identity at all, not whether every request had one.
        return fields.result(identity >= 10 && latency >= 90 ? .pass : .fail, evidence)
    }

    static func secrets(_ input: ReviewInput) -> ReviewResult {
        guard let logs = input.logs, logs.requests > 0 else { return secrets.result(.unknown, ["no logs"]) }
        guard logs.credentialsInURL > 0 else { return secrets.result(.pass, ["no request carried a credential in its URL"]) }
        return secrets.result(
            .fail,
            [
                "\(logs.credentialsInURL) requests carried a credential in the query or path (redacted at ingest)",
                "\(logs.credentialFingerprints) distinct credentials by fingerprint",
            ])
    }
}
