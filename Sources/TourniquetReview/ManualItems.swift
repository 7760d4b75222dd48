/// The checklist items no log or configuration can decide: each is answered by a person, with a
/// rationale, as an action.
enum ManualItems {
    static let all: [ReviewItem] = [
        ReviewItem(
            id: "pkce", title: "Public clients use OAuth 2.0 with PKCE", reference: "API2:2023",
            fix: "Require PKCE (RFC 7636) for every public client: single-page and mobile apps.",
            guidance: "Check the authorization server's client list: every public client has PKCE required, and the implicit grant is off."),
        ReviewItem(
            id: "service-credentials", title: "Services use the client credentials grant, with secrets rotated", reference: "API2:2023",
            fix: "Give each calling service its own client id and secret, and rotate secrets on a schedule and after any exposure.",
            guidance: "List service-to-service callers; ask when each secret was last rotated and whether rotation is automated."),
        ReviewItem(
            id: "token-lifetimes", title: "Access tokens live 15–60 minutes; refresh tokens are revoked on logout and password change",
            reference: "NIST SP 800-63B",
            fix: "Shorten access tokens, and revoke refresh tokens on logout, password change and suspicious activity.",
            guidance: "Read the authorization server's token settings and its logout and password-change handlers."),
        ReviewItem(
            id: "jwt-issuer-audience", title: "The API checks each token's signature key, issuer and audience", reference: "API2:2023",
            fix: "Verify the signature with the expected key, iss against the authorization server and aud against this API.",
            guidance: "The gateway's jwt plugin checks the signature and exp/nbf; issuer and audience are usually checked in code. Read it."),
        ReviewItem(
            id: "mfa-aal2", title: "Accounts that reach sensitive data need a second factor (AAL2)", reference: "NIST SP 800-63B",
            fix: "Offer and, for sensitive data, require multi-factor authentication.",
            guidance: "Which accounts can read personal or payment data, and do they all sign in with a second factor?"),
        ReviewItem(
            id: "error-details", title: "Errors reveal no internals", reference: "API8:2023",
            fix: "Return a generic message and a correlation id; keep stack traces, SQL errors and internal paths in the server's log.",
            guidance: "Send a malformed request to a few endpoints and read the 4xx and 5xx bodies."),
        ReviewItem(
            id: "minimal-responses", title: "Responses carry only the fields the client needs", reference: "API3:2023",
            fix: "Serialize through response schemas or views, never whole database records.",
            guidance: "Compare a few responses with what the client screens show; look for password hashes, internal ids, other users' data."),
        ReviewItem(
            id: "server-side-validation", title: "Validation happens on the server, not only in the client", reference: "API3:2023",
            fix: "Validate every parameter, header and body field on the server against the spec.",
            guidance: "Replay a request with an invalid field straight to the API (curl), bypassing the front end."),
        ReviewItem(
            id: "app-rate-limits", title: "The application limits per endpoint as well as the gateway", reference: "API4:2023",
            fix: "Add per-account limits in the application for password reset, sign-in and expensive operations.",
            guidance: "Per-account limits (password reset by account, not address) live in the application; read its middleware."),
        ReviewItem(
            id: "deprecation-policy", title: "A deprecation policy is published", reference: "API9:2023",
            fix: "Publish how long a version is supported after its successor ships, and keep to it.",
            guidance: "Is there a public page with the support window, and were the callers of old versions told?"),
        ReviewItem(
            id: "central-logging", title: "Logs are centralized and alert on the checklist's signals", reference: "API8:2023",
            fix: "Ship API logs to a SIEM and alert on sign-in failures, 429s, 403 bursts, ID walking, undocumented paths and odd geography.",
            guidance: "Open the SIEM: are today's gateway logs there, and does each of these alerts exist and reach someone?"),
    ]
}
