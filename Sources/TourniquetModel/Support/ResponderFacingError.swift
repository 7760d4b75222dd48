/// An error whose message is written for the responder, printed as one line without a trace.
public protocol ResponderFacingError: Error, CustomStringConvertible {
    /// The process exit code: 2 when the case file itself is unusable, 1 for a refused request.
    var exitCode: Int32 { get }
}

/// A request the action log refuses, such as correcting an action that does not exist.
public struct RefusedRequest: ResponderFacingError, Equatable {
    public var description: String
    public var exitCode: Int32 { 1 }
    public init(_ description: String) { self.description = description }
}
