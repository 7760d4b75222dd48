import TourniquetModel

/// The hardening review: every item of the checklist, decided by the evidence where it can be and
/// left to a person where it cannot.
public enum Review {
    /// The items in the order they are shown: authentication, authorization, limits, input,
    /// CORS, inventory, logging, then the manual ones.
    public static func run(_ input: ReviewInput) -> [ReviewResult] {
        let automated: [(ReviewInput) -> ReviewResult] = [
            AuthenticationChecks.everyRoute, AuthenticationChecks.apiKeyAlone, AuthenticationChecks.jwtSettings,
            AuthorizationChecks.objects, AuthorizationChecks.functions,
            RateLimitChecks.present, RateLimitChecks.signIn, RateLimitChecks.table, RateLimitChecks.retryAfter,
            SchemaChecks.closedObjects, SchemaChecks.boundedStrings, SchemaChecks.closedEnums,
            CORSChecks.check,
            InventoryChecks.oldVersions, InventoryChecks.retired, InventoryChecks.graphql, InventoryChecks.shadow,
            LoggingChecks.fields, LoggingChecks.secrets,
        ]
        return automated.map { $0(input) } + ManualItems.all.map { $0.result(.manual, []) }
    }

    /// Every item as it stands before any evidence: what an answer may name before the first run.
    public static var unreviewed: [ReviewResult] { run(ReviewInput(kong: nil, openAPI: nil, logs: nil, scope: nil, findings: [])) }
}
