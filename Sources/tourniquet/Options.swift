import ArgumentParser
import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetStore

/// Options every command that changes a case shares.
struct ActorOptions: ParsableArguments {
    @Option(help: "Who is acting (default: $TOURNIQUET_ACTOR, else the login name).")
    var actor: String?

    var resolvedActor: String {
        ActorResolution.resolve(
            flag: actor, environment: ProcessInfo.processInfo.environment,
            loginName: loginName())
    }

    var context: CommandContext { CommandContext(actor: resolvedActor, clock: .live) }
}

/// Parses an RFC 3339 time given on the command line into epoch milliseconds.
func parseCommandLineTime(_ text: String, option: String) throws -> Int64 {
    guard let parsed = Timestamps.parseRFC3339(text) else {
        throw ValidationError("\(option): '\(text)' is not an RFC 3339 time (for example 2026-11-29T09:30:00Z)")
    }
    return parsed.ms
}

/// The login name, or the name of the user id when there is no controlling terminal (cron, CI, tmux).
func loginName() -> String? {
    if let name = getlogin() { return String(cString: name) }
    guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
    return String(cString: name)
}

/// Runs a command that records one action on the case at `path`, and returns the action.
func recordOne(_ command: CaseCommand, on path: String, _ actor: ActorOptions) throws -> Action {
    guard case .recorded(let action) = try CaseEngine.open(path: path, context: actor.context).execute(command) else {
        throw RefusedRequest("the command recorded nothing")
    }
    return action
}

/// Now on the case at `path`: the wall clock, or a sped-up drill's clock.
func caseNow(_ path: String) throws -> Int64 {
    try CaseEngine.clock(for: CaseFile.openReadOnly(at: path)).nowMs()
}
