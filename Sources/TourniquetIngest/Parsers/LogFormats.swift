#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The log formats Tourniquet reads, by their `--format` names, and detection from a file's first lines.
public enum LogFormats {
    public static let names = ["combined", "common", "kong", "aws-apigw", "ecs", "envoy"]

    public static func parser(named name: String, awsMapping: AWSFieldMapping = .standard) -> LogLineParser? {
        switch name {
        case "combined": return CLFParser(variant: .combined)
        case "common": return CLFParser(variant: .common)
        case "kong": return KongLogParser()
        case "aws-apigw": return AWSAPIGatewayParser(mapping: awsMapping)
        case "ecs": return ECSParser()
        case "envoy": return EnvoyParser()
        default: return nil
        }
    }

    /// The format that fits most of the sample lines, or nil when none fits any.
    public static func detect(_ lines: [[UInt8]], awsMapping: AWSFieldMapping = .standard) -> LogLineParser? {
        let samples = lines.filter { !$0.isEmpty && !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
        guard !samples.isEmpty else { return nil }
        let needed = (samples.count + 1) / 2
        if samples.contains(where: { $0.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{") }) {
            guard let name = FormatSniffer.jsonFormat(of: samples), let parser = parser(named: name, awsMapping: awsMapping) else { return nil }
            return fits(parser, samples, needed) ? parser : nil
        }
        if samples.filter({ FormatSniffer.looksLikeEnvoy($0) }).count >= needed {
            return EnvoyParser()
        }
        let clf = CLFParser(variant: .combined)
        guard fits(clf, samples, needed) else { return nil }
        // Combined lines carry at least three quoted fields: request, referer and user agent.
        let combined = samples.filter { line in line.lazy.filter { $0 == UInt8(ascii: "\"") }.count >= 6 }.count
        return combined >= needed ? clf : CLFParser(variant: .common)
    }

    static func fits(_ parser: LogLineParser, _ samples: [[UInt8]], _ needed: Int) -> Bool {
        var parsed = 0
        for line in samples {
            if case .success = line.withUnsafeBufferPointer(parser.parse) { parsed += 1 }
        }
        return parsed >= needed
    }
}
