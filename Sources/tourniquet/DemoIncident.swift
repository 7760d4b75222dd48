import Foundation

/// The built-in demo incident: a partner API under credential stuffing and BOLA enumeration.
enum DemoIncident {
    static let title = "Demo: credential stuffing and object enumeration on the partner API"
    static let detectedMinutesAgo: Int64 = 40

    /// The first responder's notes, in order, as the demo records them on the timeline.
    static let responderNotes = [
        "Paged by the gateway's 401-rate alert on POST /v1/login (x40 baseline).",
        "Pulled the last six hours of gateway access logs and the decK config from the edge.",
        "Working theory: credential stuffing from a rotating pool, then GET /v1/accounts/{id} walked by one client.",
    ]

    static func defaultCasePath(now: Date) -> String {
        let stamp = Int(now.timeIntervalSince1970)
        return (NSTemporaryDirectory() as NSString).appendingPathComponent("tourniquet-demo-\(stamp)-\(getpid()).case")
    }
}
