import Foundation
import TourniquetModel

/// The probe signature sets of a detector configuration (sensitive files, admin panels, CVE
/// probes, injection payloads), compiled once for matching a request's path and query.
///
/// Ingest matches each request rules read with the default sets and packs the result for scope
/// (see `ScanChunk`), so scope never handles path text; a scope run with other sets re-matches
/// from the stored paths instead.
public struct ProbeSignatures: Sendable {
    /// Set names, sorted: a match is reported as 1 + the set's index here.
    public let names: [String]
    private let sets: [(errorsOnly: Bool, pathSuffixes: [[UInt8]])]
    private let matcher: PatternMatcher
    /// Identifies the sets, so a packed match is only read with the sets that produced it.
    public let digest: String

    public init(_ signatures: [String: ProbeSignatureSet]) {
        let sorted = signatures.sorted { $0.key < $1.key }
        names = sorted.map(\.key)
        sets = sorted.map { ($0.value.errorsOnly, $0.value.pathSuffixes.map { Array($0.utf8) }) }
        matcher = PatternMatcher(
            patterns: sorted.enumerated().flatMap { index, entry in
                entry.value.contains.map { (Array($0.lowercased().utf8), index) }
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let canonical = (try? encoder.encode(signatures)).map { Array($0) } ?? []
        digest = String(ContentDigest.sha256Hex(canonical).prefix(16))
    }

    /// Rules read the text of errors and of requests that carried a query; nothing else.
    public static func applies(status: Int, hasQuery: Bool) -> Bool { status >= 400 || hasQuery }

    /// Reusable memory for matching many requests on one thread.
    public struct Buffers {
        var text: [UInt8] = []
        var normalised: [UInt8] = []
        public init() {}
    }

    /// The first set (by name) that the request matches, as 1 + its index in `names`; 0 for none.
    public func match(path: UnsafeBufferPointer<UInt8>, query: UnsafeBufferPointer<UInt8>?, status: Int, buffers: inout Buffers) -> Int {
        buffers.text.removeAll(keepingCapacity: true)
        buffers.text.append(contentsOf: path)
        if let query {
            buffers.text.append(UInt8(ascii: "?"))
            buffers.text.append(contentsOf: query)
        }
        ProbeText.normalise(buffers.text, into: &buffers.normalised)
        return match(normalised: buffers.normalised, status: status)
    }

    public func match(pathAndQuery: String, status: Int) -> Int {
        match(normalised: ProbeText.normalise(Array(pathAndQuery.utf8)), status: status)
    }

    private func match(normalised: [UInt8], status: Int) -> Int {
        normalised.withUnsafeBufferPointer { text in
            let found = matcher.groups(in: text)
            let path = UnsafeBufferPointer(rebasing: text[0..<(text.firstIndex(of: UInt8(ascii: "?")) ?? text.count)])
            for (index, set) in sets.enumerated() where !set.errorsOnly || status >= 400 {
                if found & (1 << UInt64(index)) != 0 { return index + 1 }
                for suffix in set.pathSuffixes where ProbeSignatures.hasSuffix(path, suffix) { return index + 1 }
            }
            return 0
        }
    }

    private static func hasSuffix(_ text: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        guard text.count >= suffix.count else { return false }
        let start = text.count - suffix.count
        for i in suffix.indices where text[start + i] != suffix[i] { return false }
        return true
    }
}

/// A family of request signatures; `minHits` of them from one source make a finding.
public struct ProbeSignatureSet: Codable, Equatable, Sendable {
    public var minHits: Int
    /// Count hits only when the response was an error (4xx/5xx); legitimate admins get 200s.
    public var errorsOnly: Bool
    /// Lower-case substrings matched against the percent-decoded, lower-cased path and query.
    public var contains: [String]
    /// Path suffixes (file extensions), matched against the path only.
    public var pathSuffixes: [String]
}
