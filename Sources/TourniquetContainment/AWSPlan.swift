import TourniquetModel

/// The measures in force as files a responder runs with the aws CLI:
///
/// - the WAFv2 IP sets (one per address family, as WAF requires) as `update-ip-set` input. That
///   call replaces the whole list, so the script gets the set with its lock token, merges
///   (the addresses already there, less the ones Tourniquet takes back, plus Tourniquet's), puts
///   it, and on `WAFOptimisticLockException` gets again and retries with a growing pause;
/// - the blocked API keys disabled with `update-api-key` patch operations.
///
/// Disabled endpoints have no AWS artifact here: API Gateway has no per-route switch short of
/// redeploying the API.
public struct AWSPlan: Equatable, Sendable {
    public struct IPSet: Equatable, Sendable {
        public var name: String
        public var id: String
        public init(name: String, id: String) {
            self.name = name
            self.id = id
        }
    }

    public var scope: String
    public var region: String?
    public var ipv4: [String] = []
    public var ipv6: [String] = []
    /// Addresses Tourniquet put in a set before and takes back now (undone or expired).
    public var withdrawn: [String] = []
    public var apiKeyIDs: [(measure: Int64, id: String)] = []
    public var v4Set: IPSet?
    public var v6Set: IPSet?
    /// Measures AWS is not told here, and why.
    public var skipped: [(id: Int64, why: String)] = []

    public static func == (a: AWSPlan, b: AWSPlan) -> Bool {
        a.scope == b.scope && a.ipv4 == b.ipv4 && a.ipv6 == b.ipv6 && a.withdrawn == b.withdrawn
            && a.apiKeyIDs.map(\.id) == b.apiKeyIDs.map(\.id) && a.v4Set == b.v4Set && a.v6Set == b.v6Set
    }

    public init(entries: [ContainmentEntry], removing: [ContainmentEntry], scope: String, region: String?, v4Set: IPSet?, v6Set: IPSet?) throws {
        guard ["REGIONAL", "CLOUDFRONT"].contains(scope) else {
            throw NginxArtifacts.Unrenderable(description: "--scope is REGIONAL or CLOUDFRONT, not '\(scope)'")
        }
        guard region.map(AWSPlan.isWord) ?? true, AWSPlan.isWord(v4Set?.name ?? "a"), AWSPlan.isWord(v4Set?.id ?? "a"),
            AWSPlan.isWord(v6Set?.name ?? "a"), AWSPlan.isWord(v6Set?.id ?? "a")
        else { throw NginxArtifacts.Unrenderable(description: "AWS names, ids and regions are letters, digits, '-' and '_'") }
        self.scope = scope
        self.region = scope == "CLOUDFRONT" ? "us-east-1" : region
        self.v4Set = v4Set
        self.v6Set = v6Set
        for entry in entries.sorted(by: { $0.id < $1.id }) {
            switch entry.measure {
            case .blockAddress(let network, _):
                if network.isV4 { ipv4.append(network.description) } else { ipv6.append(network.description) }
            case .blockKey(let key, _):
                guard !key.hasPrefix("fp:"), AWSPlan.isWord(key) else {
                    throw NginxArtifacts.Unrenderable(
                        description: "measure #\(entry.id): API Gateway disables a key by its id (identity.apiKeyId in the access log), "
                            + "and \(key) is not one")
                }
                apiKeyIDs.append((entry.id, key))
            case .disableEndpoint:
                skipped.append((entry.id, "API Gateway has no per-route switch short of redeploying the API"))
            case .revokeTokens:
                skipped.append((entry.id, "revoke it at the authorization server (--gateway oauth)"))
            }
        }
        for entry in removing {
            if case .blockAddress(let network, _) = entry.measure { withdrawn.append(network.description) }
        }
        if (!ipv4.isEmpty || withdrawn.contains(where: { !$0.contains(":") })) && v4Set == nil {
            throw NginxArtifacts.Unrenderable(description: "blocked IPv4 addresses need the WAF IP set: --ip-set NAME:ID")
        }
        if (!ipv6.isEmpty || withdrawn.contains(where: { $0.contains(":") })) && v6Set == nil {
            throw NginxArtifacts.Unrenderable(description: "blocked IPv6 addresses need an IPv6 WAF IP set: --ip-set-v6 NAME:ID")
        }
    }

    static func isWord(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 128 && text.unicodeScalars.allSatisfy { CharacterClass.alnum($0) || $0 == "-" || $0 == "_" }
    }

    /// The `update-ip-set` input for one set, the lock token left for the script to fill in.
    public func updateInput(_ set: IPSet, addresses: [String]) -> String {
        JSONValue.fields([
            "Name": .string(set.name), "Id": .string(set.id), "Scope": .string(scope), "Addresses": .array(addresses.map { .string($0) }),
            "LockToken": "__LOCK_TOKEN__", "Description": "Addresses blocked by Tourniquet during incident response",
        ]).canonicalJSON + "\n"
    }

    /// The script: get, merge and put each set with retries, then disable each key.
    public var script: String {
        let regionFlag = region.map { " --region \($0)" } ?? ""
        var lines = [
            "#!/usr/bin/env bash",
            "# Written by Tourniquet: puts the case's blocks in the WAF IP sets and disables the blocked API keys.",
            "# update-ip-set replaces the whole list, so each set is read, merged and written with its lock token,",
            "# and read again when another writer got there first (WAFOptimisticLockException).",
            "set -euo pipefail", "",
            "put_set() {  # NAME ID 'ADDED ...' 'WITHDRAWN ...'",
            "  local name=$1 id=$2 added=$3 withdrawn=$4 attempt pause=1 token current merged out",
            "  for attempt in 1 2 3 4 5 6; do",
            "    token=$(aws wafv2 get-ip-set --name \"$name\" --id \"$id\" --scope \(scope)\(regionFlag) --query LockToken --output text)",
            "    current=$(aws wafv2 get-ip-set --name \"$name\" --id \"$id\" --scope \(scope)\(regionFlag) --query 'IPSet.Addresses' --output text)",
            "    declare -A keep=()",
            "    for a in $current $added; do keep[$a]=1; done",
            "    for a in $withdrawn; do unset \"keep[$a]\"; done",
            "    merged=\"${!keep[*]}\"",
            "    if [ -n \"$merged\" ]; then set -- $merged; else set -- '[]'; fi",
            "    if out=$(aws wafv2 update-ip-set --name \"$name\" --id \"$id\" --scope \(scope)\(regionFlag) --addresses \"$@\" --lock-token \"$token\" 2>&1); then",
            "      echo \"$name: $(wc -w <<<\"$merged\") addresses\"; return 0",
            "    fi",
            "    grep -q WAFOptimisticLockException <<<\"$out\" || { echo \"$out\" >&2; return 1; }",
            "    sleep \"$pause\"; pause=$((pause * 2))",
            "  done",
            "  echo \"$name: still locked after $attempt attempts\" >&2; return 1",
            "}", "",
        ]
        func words(_ list: [String]) -> String { list.joined(separator: " ") }
        if let set = v4Set {
            lines.append("put_set \(set.name) \(set.id) '\(words(ipv4))' '\(words(withdrawn.filter { !$0.contains(":") }))'")
        }
        if let set = v6Set {
            lines.append("put_set \(set.name) \(set.id) '\(words(ipv6))' '\(words(withdrawn.filter { $0.contains(":") }))'")
        }
        for key in apiKeyIDs {
            lines.append(
                "aws apigateway update-api-key --api-key \(key.id) --patch-operations op=replace,path=/enabled,value=false\(regionFlag)  # tq:\(key.measure)"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
