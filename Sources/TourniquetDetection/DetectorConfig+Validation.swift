import TourniquetModel

/// Every numeric setting's range, checked when a configuration loads.
///
/// A value outside its range is refused by name rather than left to a detector: a window of 0
/// made the sliding window index past its end, and a huge one overflowed its conversion to
/// milliseconds, both as crashes in the middle of a scope run.
extension DetectorConfig {
    /// Seconds in the longest window a detector slides (one day).
    static let windowRange: ClosedRange<Double> = 1...86_400
    /// Large enough for any real threshold, small enough that no arithmetic on it overflows.
    static let countRange: ClosedRange<Double> = 1...1_000_000_000
    static let fractionRange: ClosedRange<Double> = 0...1
    /// How many times its own baseline or its peers a source must exceed.
    static let multipleRange: ClosedRange<Double> = 1...1_000_000

    /// Each numeric setting by its key in the file, with the range it takes.
    var numericSettings: [(key: String, value: Double, range: ClosedRange<Double>)] {
        let window = DetectorConfig.windowRange
        let count = DetectorConfig.countRange
        let fraction = DetectorConfig.fractionRange
        let multiple = DetectorConfig.multipleRange
        var all: [(key: String, value: Double, range: ClosedRange<Double>)] = [
            ("credential_stuffing.window_seconds", Double(credentialStuffing.windowSeconds), window),
            ("credential_stuffing.min_failures", Double(credentialStuffing.minFailures), count),
            ("credential_stuffing.min_failure_ratio", credentialStuffing.minFailureRatio, fraction),
            ("credential_stuffing.distributed_min_sources", Double(credentialStuffing.distributedMinSources), count),
            ("credential_stuffing.distributed_min_failures", Double(credentialStuffing.distributedMinFailures), count),
            ("credential_stuffing.takeover_window_seconds", Double(credentialStuffing.takeoverWindowSeconds), window),
            ("brute_force.window_seconds", Double(bruteForce.windowSeconds), window),
            ("brute_force.min_failures", Double(bruteForce.minFailures), count),
            ("brute_force.max_identities_per_source", Double(bruteForce.maxIdentitiesPerSource), count),
            ("authz_probing.window_seconds", Double(authzProbing.windowSeconds), window),
            ("authz_probing.min_forbidden", Double(authzProbing.minForbidden), count),
            ("authz_probing.min_privileged_forbidden", Double(authzProbing.minPrivilegedForbidden), count),
            // One object is no walk.
            ("bola_enumeration.min_distinct_objects", Double(bolaEnumeration.minDistinctObjects), 2...count.upperBound),
            ("bola_enumeration.min_sequential_fraction", bolaEnumeration.minSequentialFraction, fraction),
            ("bola_enumeration.min_success_fraction", bolaEnumeration.minSuccessFraction, fraction),
            ("path_probing.window_seconds", Double(pathProbing.windowSeconds), window),
            ("path_probing.min_distinct_error_paths", Double(pathProbing.minDistinctErrorPaths), count),
            ("path_probing.min_error_ratio", pathProbing.minErrorRatio, fraction),
            ("scraping.window_seconds", Double(scraping.windowSeconds), window),
            ("scraping.min_requests_in_window", Double(scraping.minRequestsInWindow), count),
            ("scraping.over_own_baseline", scraping.overOwnBaseline, multiple),
            ("scraping.over_peers", scraping.overPeers, multiple),
            ("scraping.storm429_window", Double(scraping.storm429Window), window),
            ("scraping.storm429_min", Double(scraping.storm429Min), count),
            ("scraping.new_sources_min", Double(scraping.newSourcesMin), count),
            ("shadow_endpoint.min_requests", Double(shadowEndpoint.minRequests), count),
            ("password_reset_abuse.window_seconds", Double(passwordResetAbuse.windowSeconds), window),
            ("password_reset_abuse.max_per_account", Double(passwordResetAbuse.maxPerAccount), count),
            ("password_reset_abuse.max_per_source", Double(passwordResetAbuse.maxPerSource), count),
            ("geo_anomaly.min_baseline_requests", Double(geoAnomaly.minBaselineRequests), count),
        ]
        for (index, status) in routes.loginFailureStatuses.enumerated() {
            all.append(("routes.login_failure_statuses[\(index)]", Double(status), 100...599))
        }
        for (name, set) in signatures.sorted(by: { $0.key < $1.key }) {
            all.append(("signatures.\(name).min_hits", Double(set.minHits), count))
        }
        return all
    }

    /// Throws for the first setting outside its range (or an unknown severity), naming its key.
    func validate() throws {
        let severities = Severity.allCases.map(\.rawValue)
        let named: [(String, String)] = [
            ("credential_stuffing", credentialStuffing.severity), ("brute_force", bruteForce.severity),
            ("authz_probing", authzProbing.severity), ("bola_enumeration", bolaEnumeration.severity),
            ("path_probing", pathProbing.severity), ("scraping", scraping.severity), ("shadow_endpoint", shadowEndpoint.severity),
            ("password_reset_abuse", passwordResetAbuse.severity), ("geo_anomaly", geoAnomaly.severity),
        ]
        for (section, severity) in named where !severities.contains(severity) {
            throw DetectorConfigError(
                "\(section).severity is '\(DisplayText.sanitize(severity).text)'; it must be one of \(severities.joined(separator: ", "))")
        }
        for (key, value, range) in numericSettings where !range.contains(value) {
            throw DetectorConfigError(
                "\(DisplayText.sanitize(key).text) is \(DetectorConfig.format(value)); it must be \(DetectorConfig.format(range.lowerBound)) to \(DetectorConfig.format(range.upperBound))"
            )
        }
    }

    /// Whole numbers without a decimal point, so messages read like the file.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
