import TourniquetIngest

extension ProbeSignatures {
    /// The default detector configuration's sets: what ingest matches and packs for scope.
    public static let defaults = ProbeSignatures(DetectorConfig.defaults.signatures)
}
