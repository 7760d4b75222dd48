import Foundation

/// A blocking FIFO with a fixed capacity: the parser waits when the writer falls behind, which
/// keeps memory bounded whatever the file's size.
final class BoundedQueue<Element> {
    private var items: [Element] = []
    private let capacity: Int
    private let condition = NSCondition()
    private var cancelled = false

    init(capacity: Int) { self.capacity = capacity }

    /// Adds an element; returns false (dropping it) once the queue was cancelled.
    @discardableResult
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    func take() -> Element {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// Tells a waiting producer to stop.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }
}
