/// Per-subject state in an array indexed by dict id.
///
/// Dict ids are small and dense (one id space for every kind), so an array lookup replaces a hash
/// lookup on the hot path of every detector; mutation happens in place through `subscript`'s
/// modify accessor, so stored collections are never copied.
///
/// Inlinable because detectors, in another module, index it once or twice per request: without
/// that, each access would be an unspecialised generic call.
@frozen
public struct DenseTable<Value> {
    @usableFromInline internal var storage: [Value?] = []

    @inlinable public init() {}

    @inlinable
    public subscript(id: Int64, default value: @autoclosure () -> Value) -> Value {
        get { (Int(id) < storage.count ? storage[Int(id)] : nil) ?? value() }
        _modify {
            let index = Int(id)
            if index >= storage.count {
                storage.append(contentsOf: repeatElement(nil, count: max(index + 1 - storage.count, storage.count / 2 + 16)))
            }
            if storage[index] == nil { storage[index] = value() }
            yield &storage[index]!
        }
    }

    @inlinable
    public subscript(id: Int64) -> Value? {
        Int(id) >= 0 && Int(id) < storage.count ? storage[Int(id)] : nil
    }

    /// Every (id, value) present.
    public var entries: [(id: Int64, value: Value)] {
        storage.enumerated().compactMap { index, value in value.map { (Int64(index), $0) } }
    }
}
