import TourniquetModel

/// Guesses a log's format from its first lines, for when `--format` is not given.
///
/// Only the structured formats are decided here: which JSON layout (by the keys present) and
/// whether a line has Envoy's shape. CLF-family detection lives with that parser.
public enum FormatSniffer {
    /// `kong`, `aws-apigw` or `ecs` by majority vote over the lines that look like one of them.
    public static func jsonFormat(of firstLines: [UnsafeBufferPointer<UInt8>]) -> String? {
        majority(firstLines.map(jsonFormat(ofLine:)))
    }

    /// Byte-array convenience for ``jsonFormat(of:)-([UnsafeBufferPointer<UInt8>])``.
    public static func jsonFormat(of firstLines: [[UInt8]]) -> String? {
        majority(firstLines.map { $0.withUnsafeBufferPointer(jsonFormat(ofLine:)) })
    }

    private static func majority(_ guesses: [String?]) -> String? {
        let order = ["kong", "aws-apigw", "ecs"]
        let counts = order.map { name in guesses.lazy.filter { $0 == name }.count }
        guard let best = counts.max(), best > 0, let index = counts.firstIndex(of: best) else { return nil }
        // Ties go to the earlier name in `order`, so the answer is deterministic.
        return order[index]
    }

    /// The JSON format one line looks like, from its top-level keys.
    public static func jsonFormat(ofLine line: UnsafeBufferPointer<UInt8>) -> String? {
        guard case .success(.object(let object)) = JSONLineReader.parse(line) else { return nil }
        let keys = Set(object.members.map(\.key))
        // Kong's serializer always writes these two together; nothing else uses both.
        if keys.contains("started_at"), keys.contains("client_ip") { return "kong" }
        if keys.contains("@timestamp"),
            keys.contains(where: { k in ["http", "url", "source", "client", "user_agent"].contains { k == $0 || k.hasPrefix($0 + ".") } })
        {
            return "ecs"
        }
        if keys.contains("requestId") || keys.contains("httpMethod") || keys.contains("routeKey")
            || keys.contains("requestTimeEpoch") || keys.contains("resourcePath")
        {
            return "aws-apigw"
        }
        return nil
    }

    /// Whether a line starts like Envoy's default format: `[RFC 3339 time] "`.
    public static func looksLikeEnvoy(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count > 4, line[0] == 0x5B else { return false }
        var close = 1
        while close < min(line.count, 64), line[close] != 0x5D { close += 1 }
        guard close + 2 < line.count, line[close] == 0x5D, line[close + 1] == 0x20, line[close + 2] == 0x22 else { return false }
        return Timestamps.parseRFC3339(UnsafeBufferPointer(rebasing: line[1..<close])) != nil
    }

    /// Byte-array convenience for ``looksLikeEnvoy(_:)-(UnsafeBufferPointer<UInt8>)``.
    public static func looksLikeEnvoy(_ line: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { looksLikeEnvoy($0) }
    }
}
