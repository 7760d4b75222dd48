/// Per-subject state in an array indexed by dict id.
///
/// Dict ids are small and dense (one id space for every kind), so an array lookup replaces a hash
/// lookup on the hot path of every detector; mutation happens in place through `subscript`'s
/// modify accessor, so stored collections are never copied.
struct DenseTable<Value> {
    private(set) var slots: [Value?] = []

    subscript(id: Int64, default value: @autoclosure () -> Value) -> Value {
        get { (Int(id) < slots.count ? slots[Int(id)] : nil) ?? value() }
        _modify {
            let index = Int(id)
            if index >= slots.count { slots.append(contentsOf: repeatElement(nil, count: max(index + 1 - slots.count, slots.count / 2 + 16))) }
            if slots[index] == nil { slots[index] = value() }
            yield &slots[index]!
        }
    }

    subscript(id: Int64) -> Value? {
        Int(id) >= 0 && Int(id) < slots.count ? slots[Int(id)] : nil
    }

    /// Every (id, value) present.
    var entries: [(id: Int64, value: Value)] {
        slots.enumerated().compactMap { index, value in value.map { (Int64(index), $0) } }
    }
}
