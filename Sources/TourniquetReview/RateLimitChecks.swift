import TourniquetContainment
import TourniquetModel

/// Rate limits: any at all, strict ones on sign-in, each route against the checklist's table, and
/// 429s that say when to retry.
enum RateLimitChecks {
    static let present = ReviewItem(
        id: "rate-limit-present", title: "The gateway rate-limits", reference: "API4:2023",
        fix: "Add a rate-limiting plugin globally, then tighter ones per route (sliding windows, per consumer or token).")

    static let signIn = ReviewItem(
        id: "rate-limit-sign-in", title: "Sign-in routes allow at most 10 attempts a minute per source", reference: "API4:2023, NIST SP 800-63B",
        fix: "Put a rate-limiting plugin on each sign-in and token route: 5–10 a minute, limited by ip, with a lockout after the threshold.")

    static let table = ReviewItem(
        id: "rate-limit-table", title: "Each route's limit fits its kind of endpoint", reference: "API4:2023",
        fix: "Set limits by kind: sign-in 5–10/min per address, password reset 3/hour per account, data 100–1,000/min, "
            + "search 30–60/min, writes 10–50/min per token.")

    static let retryAfter = ReviewItem(
        id: "retry-after", title: "429 answers carry Retry-After", reference: "API4:2023",
        fix: "Answer 429 Too Many Requests with a Retry-After header (Kong's rate-limiting plugins send it; check custom limiters).")

    static func present(_ input: ReviewInput) -> ReviewResult {
        let throttled = input.logs?.routes.reduce(Int64(0)) { $0 + $1.tooMany } ?? 0
        guard let kong = input.kong else {
            return present.result(
                .unknown, ["no Kong state to check"] + (throttled > 0 ? ["the logs show \(throttled) 429 answers, so something limits"] : []))
        }
        let enabled = kong.policies.filter { $0.kind == "rate-limiting" && $0.enabled }
        // A limit on one consumer leaves everyone else, and every anonymous caller, unlimited.
        let limits = enabled.filter { !$0.scope.contains("consumer:") }
        guard !limits.isEmpty else {
            let perConsumer = enabled.map(RateLimit.describe)
            return present.result(
                .fail,
                ["no enabled rate-limiting plugin on a route, a service or globally (\(kong.routes.count) routes)"]
                    + (perConsumer.isEmpty ? [] : ["only per-consumer limits: " + perConsumer.joined(separator: "; ")]))
        }
        return present.result(.pass, listed(limits, RateLimit.describe))
    }

    static func signIn(_ input: ReviewInput) -> ReviewResult {
        guard let kong = input.kong.map(KongView.init) else { return signIn.result(.unknown, ["no Kong state to check"]) }
        let routes = kong.routes.filter { EndpointType.of(path: $0.paths.joined(separator: " "), methods: $0.methods) == .authentication }
        guard !routes.isEmpty else { return signIn.result(.unknown, ["no sign-in or token route in the Kong state"]) }
        var failures: [String] = []
        var passes: [String] = []
        for route in routes {
            let limits = kong.rateLimits(for: route)
            guard !limits.isEmpty else {
                failures.append("\(KongView.describe(route)) has no rate limit")
                continue
            }
            // Sign-in is called anonymously, where Kong's "consumer" falls back to the address; a
            // limit by header, path, service or credential does not hold one source back.
            let perSource = limits.filter { ["ip", "consumer"].contains(RateLimit.countedBy($0)) }
            let perMinute = RateLimit.allowance(perSource, within: 60)
            let described = limits.map(RateLimit.describe).joined(separator: "; ")
            if let perMinute, perMinute <= 10 {
                passes.append("\(KongView.describe(route)): \(described)")
            } else {
                let allowed = perMinute.map { String(Int($0)) } ?? "unlimited"
                failures.append("\(KongView.describe(route)): \(described) lets \(allowed) a minute through from one source")
            }
        }
        return signIn.result(failures.isEmpty ? .pass : .fail, failures.isEmpty ? passes : failures)
    }

    static func table(_ input: ReviewInput) -> ReviewResult {
        guard let kong = input.kong.map(KongView.init), !kong.routes.isEmpty else { return table.result(.unknown, ["no Kong routes to check"]) }
        var failures: [String] = []
        for route in kong.routes {
            let type = EndpointType.of(path: route.paths.joined(separator: " "), methods: route.methods)
            let ceiling = type.ceiling
            let limits = kong.rateLimits(for: route)
            guard !limits.isEmpty else {
                failures.append("\(KongView.describe(route)), a \(type.rawValue) route: no limit (at most \(type.ceilingText))")
                continue
            }
            if let allowed = RateLimit.allowance(limits, within: ceiling.seconds), allowed <= ceiling.requests { continue }
            let described = limits.map(RateLimit.describe).joined(separator: "; ")
            failures.append("\(KongView.describe(route)), a \(type.rawValue) route: \(described); at most \(type.ceilingText)")
        }
        return table.result(
            failures.isEmpty ? .pass : .fail, failures.isEmpty ? ["all \(kong.routes.count) routes are within the table"] : listed(failures) { $0 })
    }

    static func retryAfter(_ input: ReviewInput) -> ReviewResult {
        guard let logs = input.logs else { return retryAfter.result(.unknown, ["no logs"]) }
        let throttled = logs.routes.filter { $0.tooMany > 0 }
        guard !throttled.isEmpty else { return retryAfter.result(.unknown, ["no 429 answers in the logs to check"]) }
        let total = throttled.reduce(Int64(0)) { $0 + $1.tooMany }
        // Kong's file-log keeps response headers; most access logs do not.
        let withHeaders = throttled.filter { $0.tooManyWithHeaders > 0 }
        if !withHeaders.isEmpty {
            let missing = withHeaders.filter { $0.tooManyWithRetryAfter < $0.tooManyWithHeaders }
            guard missing.isEmpty else {
                return retryAfter.result(
                    .fail,
                    listed(missing) {
                        "\($0.method) \($0.route): \($0.tooManyWithHeaders - $0.tooManyWithRetryAfter) of \($0.tooManyWithHeaders) 429s without Retry-After"
                    })
            }
            let checked = withHeaders.reduce(Int64(0)) { $0 + $1.tooManyWithHeaders }
            return retryAfter.result(.pass, ["all \(checked) 429 answers whose headers were logged carried Retry-After"])
        }
        return retryAfter.result(
            .unknown,
            ["\(total) 429 answers on \(throttled.count) routes, but the logs record no response headers (Kong's file-log does)"]
                + listed(throttled.sorted { $0.tooMany > $1.tooMany }) { "\($0.method) \($0.route): \($0.tooMany) × 429" })
    }
}
