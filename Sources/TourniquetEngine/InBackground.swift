import Foundation

/// Work started on its own thread now, whose result is collected later.
final class InBackground<Value>: @unchecked Sendable {
    private var outcome: Result<Value, Error>?
    private let finished = DispatchSemaphore(value: 0)

    init(_ work: @escaping () throws -> Value) {
        let thread = Thread { [self] in
            outcome = Result(catching: work)
            finished.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Waits for the work to end.
    var result: Result<Value, Error> {
        finished.wait()
        defer { finished.signal() }
        return outcome!
    }
}
