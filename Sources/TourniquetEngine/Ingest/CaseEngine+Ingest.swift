import Foundation
import TourniquetIngest
import TourniquetModel
import TourniquetStore

extension CaseEngine {
    /// Rows per batch handed from the parser to the writer, and rows per postings chunk.
    static let batchRows = 8192
    static let postingsChunkRows: Int64 = 1_000_000

    /// Imports one evidence file (`-` for standard input) as one action, atomically.
    ///
    /// Parsing runs on one thread and indexing (postings, statistics, scope chunks) on another
    /// while this one writes, so the two cores share the work. The whole file goes in one
    /// transaction: a kill at any point leaves the case as it was.
    ///
    /// A file whose start is already evidence (a log that grew since) brings in only its new tail,
    /// as evidence of its own whose action names the evidence it continues. The action also records
    /// digests of the rows and strings written, which `verify` recomputes.
    func ingest(
        path: String, options: IngestOptions, progress: ((IngestProgress) -> Void)? = nil,
        phases: ((String, Double) -> Void)? = nil
    ) throws -> IngestOutcome {
        let started = Date()
        func phase(_ name: String) { phases?(name, Date().timeIntervalSince(started)) }
        if path != "-" && caseFile.isOneOfItsFiles(path) { throw IngestError.isTheCaseFile(path: path) }
        let reader: EvidenceReader
        let continued: EvidencePrefixMatch?
        switch try openEvidence(path: path) {
        case .duplicate(let existing): return .duplicate(path: path, existing: existing)
        case .read(let opened, let match): (reader, continued) = (opened, match)
        }
        let head = try EvidenceHead.read(from: reader, path: path)
        // A tail is read as the evidence it continues was: its first lines alone may be too few to tell.
        let parser = try chooseParser(for: head, path: path, options: options, continuing: continued?.prefix.format)

        let session = try caseFile.beginEvidenceImport()
        do {
            let normalizer = RequestNormalizer(
                settings: .init(
                    routes: options.spec?.routeTable ?? RouteTable(),
                    redactor: SecretRedactor(caseKey: session.fingerprintKey, extraNames: options.extraSecretNames),
                    proxies: TrustedProxies(networks: options.trustedProxies)),
                dictionary: StringDictionary(existing: session.existingStrings), firstRequestID: session.firstRequestID)
            let queue = BoundedQueue<IngestMessage>(capacity: 4)
            let plausible = Timestamps.plausibleRange(nowMs: context.clock.nowMs())
            let producer = Thread {
                IngestParsing.run(
                    reader: reader, head: head, parser: parser, normalizer: normalizer, plausible: plausible,
                    lineOffset: continued?.prefix.lines ?? 0, queue: queue)
            }
            producer.stackSize = 8 << 20
            producer.start()
            let routes = session.existingStrings.filter { $0.kind == .route }.map { (id: $0.id, template: $0.value) }
            let indexer = IngestIndexer(postingsChunkRows: CaseEngine.postingsChunkRows, routes: routes)
            let summary: ParseSummary
            do {
                summary = try drain(
                    queue, into: session, indexer: indexer, path: path, totalBytes: reader.expectedSize,
                    started: started, progress: progress)
            } catch {
                indexer.cancel()
                throw error
            }
            try store(indexer.finish(), in: session)
            phase("requests written")
            let postings = indexer.postings

            let digests = EvidenceRowDigests(
                requestsSHA256: indexer.requestDigest.finalizedCopy(), firstRequestID: session.firstRequestID,
                dictSHA256: indexer.dictDigest.finalizedCopy(), firstDictID: (session.existingStrings.map(\.id).max() ?? 0) + 1,
                dictAdded: indexer.dictDigest.count)

            let sha = reader.sha256
            if let existing = try caseFile.evidence(withContent: sha, decompressed: reader.decompressedSHA256) {
                session.abandon()
                return .duplicate(path: path, existing: existing)
            }
            var record = EvidenceRecord(
                id: session.evidenceID, path: path, sha256: sha, sha256Decompressed: reader.decompressedSHA256, size: reader.rawBytesRead,
                format: parser?.formatName ?? "empty", importer: "tourniquet-ingest/1", importedAtMs: context.clock.nowMs(),
                firstMs: postings.firstMs, lastMs: postings.lastMs, linesRead: summary.linesRead, parsed: summary.parsed,
                malformed: summary.malformed, malformedSamples: summary.samples, timeRefused: summary.timeRefused)
            record.rowDigests = digests
            if let continued, let prefixSHA256 = reader.prefixSHA256 {
                record.continuation = EvidenceContinuation(
                    continues: continued.prefix.evidenceID, offset: continued.prefix.end, lineOffset: continued.prefix.lines,
                    prefixSHA256: prefixSHA256)
            }
            try session.merge(postings.stats)
            phase("statistics merged")
            let gateway =
                try options.specDocument.map {
                    [
                        GatewayDocument(
                            kind: "openapi", path: $0.path,
                            content: try OpenAPIRedaction.redact($0.text, path: $0.path, redactor: normalizer.settings.redactor))
                    ]
                } ?? []
            let action = try session.finish(
                record, importer: "tourniquet-ingest/1", actor: context.actor, clock: context.clock,
                rationale: options.rationale, gatewayState: gateway)
            phase("committed")
            return .imported(record, action)
        } catch {
            session.abandon()
            throw error
        }
    }

    /// Writes what the parser sends until it finishes, handing each batch on to the indexer;
    /// on any failure, stops the parser and rethrows.
    private func drain(
        _ queue: BoundedQueue<IngestMessage>, into session: EvidenceImport, indexer: IngestIndexer, path: String,
        totalBytes: Int64?, started: Date,
        progress: ((IngestProgress) -> Void)?
    ) throws -> ParseSummary {
        var lastReport = Date.distantPast
        while true {
            let message = queue.take()
            do {
                switch message {
                case .batch(let batch, let bytesRead, let lines):
                    try session.write(batch)
                    indexer.add(batch)
                    try store(indexer.readyOutput(), in: session)
                    if let progress, Date().timeIntervalSince(lastReport) >= 0.1 {
                        lastReport = Date()
                        progress(
                            IngestProgress(
                                path: path, bytesRead: bytesRead, totalBytes: totalBytes, lines: lines,
                                elapsedSeconds: lastReport.timeIntervalSince(started)))
                    }
                case .finished(let summary):
                    return summary
                case .failed(let error):
                    throw error
                }
            } catch {
                queue.cancel()
                throw error
            }
        }
    }

    private func store(_ output: [IngestIndexer.Output], in session: EvidenceImport) throws {
        for item in output {
            switch item {
            case .postings(let postings): try session.write(postings)
            case .scanChunk(let chunk): try session.write(chunk)
            }
        }
    }

    private enum OpenedEvidence {
        case duplicate(EvidenceRecord)
        case read(EvidenceReader, continuing: EvidencePrefixMatch?)
    }

    /// Opens the file, or names the evidence it already is; a file whose start is earlier evidence
    /// is opened where that evidence ends.
    private func openEvidence(path: String) throws -> OpenedEvidence {
        let reader = try EvidenceReader(path: path)
        if let duplicate = try quickDuplicate(path: path, size: reader.expectedSize) { return .duplicate(duplicate) }
        guard path != "-", let size = reader.expectedSize,
            let match = try EvidencePrefixMatch.longest(path: path, size: size, candidates: caseFile.evidencePrefixes())
        else { return .read(reader, continuing: nil) }
        if match.prefix.end == size, let existing = try caseFile.evidence().first(where: { $0.id == match.prefix.evidenceID }) {
            return .duplicate(existing)
        }
        return .read(try EvidenceReader(path: path, startingAt: match.prefix.end, prefix: match.hasher), continuing: match)
    }

    /// For a regular file the same size as existing evidence, hash it first: re-ingesting a file
    /// that is already in is then a quick no-op rather than a full parse.
    private func quickDuplicate(path: String, size: Int64?) throws -> EvidenceRecord? {
        guard let size, let candidate = try caseFile.evidence().first(where: { $0.size == size }) else { return nil }
        guard let sha = FileDigest.sha256(path: path), sha == candidate.sha256 else { return nil }
        return candidate
    }

    private func chooseParser(for head: EvidenceHead, path: String, options: IngestOptions, continuing: String?) throws -> LogLineParser? {
        if let name = options.format ?? continuing.flatMap({ LogFormats.names.contains($0) ? $0 : nil }) {
            guard let parser = LogFormats.parser(named: name, awsMapping: options.awsMapping) else { throw IngestError.unknownFormatName(name) }
            return parser
        }
        let samples = head.sampleLines
        if samples.allSatisfy({ $0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }) { return nil }  // empty file
        guard let parser = LogFormats.detect(samples, awsMapping: options.awsMapping) else {
            let first = samples.first { !$0.isEmpty } ?? []
            // No case key yet: an ephemeral redactor still keeps secrets out of the message.
            let shown = ParseSummary.shown(first, redactor: .ephemeral(), limit: 200)
            throw IngestError.unknownFormat(path: path, tried: LogFormats.names, firstLine: shown)
        }
        return parser
    }
}
