import TourniquetModel

/// One item of the hardening review: what it asks, its reference and its fix. Automated items are
/// decided by a check over the evidence; manual ones carry guidance for the person who answers.
public struct ReviewItem: Sendable {
    public var id: String
    public var title: String
    /// An OWASP API Security Top 10 2023 id (API1–API10), or NIST SP 800-63B.
    public var reference: String
    public var fix: String
    /// What to look at, for a manual item.
    public var guidance: String

    public init(id: String, title: String, reference: String, fix: String, guidance: String = "") {
        self.id = id
        self.title = title
        self.reference = reference
        self.fix = fix
        self.guidance = guidance
    }

    func result(_ state: ReviewState, _ evidence: [String]) -> ReviewResult {
        ReviewResult(id: id, title: title, reference: reference, state: state, evidence: evidence, fix: fix, guidance: guidance)
    }
}
