import TourniquetModel

/// A finding as a detector produces it: with the dict ids of the sources and identities it implicates.
public struct FindingDraft: Sendable {
    public var finding: Finding
    public var attackerIPs: Set<Int64> = []
    public var attackerClients: Set<Int64> = []
    public var keys: Set<Int64> = []
    /// Identities whose credential others used: victims, reported as compromised credentials.
    public var stolenIdentities: Set<Int64> = []
    /// Object ids on templated routes that the attackers received 2xx for, by route id.
    public var objects: [Int64: Set<String>] = [:]

    public init(_ finding: Finding) { self.finding = finding }
}
