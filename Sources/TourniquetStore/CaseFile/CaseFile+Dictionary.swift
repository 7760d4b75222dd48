import CSQLite
import TourniquetIngest

extension CaseFile {
    /// Every dict string by id, and the route strings, for a detection context.
    public func dictionary() throws -> (all: [Int64: String], routes: [Int64: String]) {
        let stmt = try db.prepare("SELECT id, kind, value FROM dict")
        var all: [Int64: String] = [:]
        var routes: [Int64: String] = [:]
        while try stmt.step() {
            let id = stmt.int(0)
            let value = stmt.text(2)
            all[id] = value
            if stmt.text(1) == DictKind.route.rawValue { routes[id] = value }
        }
        return (all, routes)
    }

    /// The dict entries of one kind, by id.
    public func dictionary(kind: DictKind) throws -> [Int64: String] {
        let stmt = try db.prepare("SELECT id, value FROM dict WHERE kind = ?")
        stmt.bind(1, kind.rawValue)
        var out: [Int64: String] = [:]
        while try stmt.step() { out[stmt.int(0)] = stmt.text(1) }
        return out
    }
}
