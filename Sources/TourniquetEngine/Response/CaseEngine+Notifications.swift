import Foundation
import TourniquetModel
import TourniquetStore

extension CaseEngine {
    static let notificationKinds: [ActionKind] = [.notificationClock, .notificationOpened, .notificationState]

    public static func notifications(of caseFile: CaseFile) throws -> NotificationLedger {
        NotificationLedger(actions: try caseFile.actions(ofKinds: notificationKinds))
    }

    func setNotificationClock(_ name: String, atMs given: Int64?, reason: String) throws -> Action {
        let atMs = given ?? context.clock.nowMs()
        try CaseEngine.requireReason(reason, to: "start a notification clock")
        guard NotificationClocks.names.contains(name) else {
            throw RefusedRequest("'\(DisplayText.escaped(name))' is not a clock: \(NotificationClocks.names.joined(separator: ", "))")
        }
        // A clock in the future would hide a deadline that is already running.
        guard atMs <= context.clock.nowMs() + 60_000 else { throw RefusedRequest("a clock cannot start in the future") }
        let previous = try CaseEngine.notifications(of: caseFile).clocks[name]
        let details: JSONValue = .fields([
            "clock": .string(name), "at_ms": .int(atMs), "at": .string(UTCTime.format(ms: atMs)),
            "previous": previous.map { .string(UTCTime.format(ms: $0)) } ?? .null,
        ])
        return try caseFile.record(
            ActionDraft(kind: .notificationClock, target: "clock:\(name)", details: details, rationale: reason), actor: context.actor,
            clock: context.clock)
    }

    func openObligation(_ regime: String, reason: String) throws -> Action {
        try CaseEngine.requireReason(reason, to: "take on a notification obligation")
        guard !regime.isEmpty, regime.count <= 64, regime.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw RefusedRequest("'\(DisplayText.escaped(regime))' is not a regime id")
        }
        if let open = try CaseEngine.notifications(of: caseFile).obligation(regime) {
            throw RefusedRequest("the obligation \(regime) was taken on by action #\(open.openedBy)")
        }
        return try caseFile.record(
            ActionDraft(
                kind: .notificationOpened, target: "notification:\(regime)", details: .fields(["regime": .string(regime)]), rationale: reason),
            actor: context.actor, clock: context.clock)
    }

    func markObligation(_ regime: String, state: NotificationLedger.State, reason: String) throws -> Action {
        try CaseEngine.requireReason(reason, to: state == .notRequired ? "say why a notification is not required" : "change an obligation")
        guard let obligation = try CaseEngine.notifications(of: caseFile).obligation(regime) else {
            throw RefusedRequest("the case has no obligation \(DisplayText.escaped(regime)): take it on first (tourniquet notify open)")
        }
        guard obligation.state != state else { throw RefusedRequest("\(regime) is already \(state.rawValue)") }
        let details: JSONValue = .fields(["regime": .string(regime), "state": .string(state.rawValue), "was": .string(obligation.state.rawValue)])
        return try caseFile.record(
            ActionDraft(kind: .notificationState, target: "notification:\(regime)", details: details, rationale: reason), actor: context.actor,
            clock: context.clock)
    }
}
