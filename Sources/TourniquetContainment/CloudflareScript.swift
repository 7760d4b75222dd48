import TourniquetModel

/// The plan as a bash script the responder runs with curl and jq, for when Tourniquet itself may
/// not reach Cloudflare. It makes the same change as `apply --gateway cloudflare --apply`.
extension CloudflarePlan {
    public static let scriptFile = "tourniquet-cloudflare.sh"
    public static let itemsFile = "tourniquet-cloudflare-items.json"

    public func script(accountID: String?, zoneID: String) -> String {
        var lines = [
            "#!/usr/bin/env bash",
            "# Written by Tourniquet: puts the case's address blocks on Cloudflare (\(mode.rawValue) mode).",
            "# Needs curl, jq and CLOUDFLARE_API_TOKEN. Every call waits 0.3 s first, which keeps it",
            "# under 1,000 calls in five minutes: past 1,200 Cloudflare refuses every call for five minutes.",
            "set -euo pipefail",
            ": \"${CLOUDFLARE_API_TOKEN:?export CLOUDFLARE_API_TOKEN first}\"",
            "command -v jq >/dev/null || { echo \"this script needs jq\" >&2; exit 1; }",
            "api=${CLOUDFLARE_API:-\(CloudflareTarget.defaultAPIBase)}",
            "here=$(cd \"$(dirname \"$0\")\" && pwd)",
            "account=\(CloudflarePlan.shellQuoted(accountID ?? "")) zone=\(CloudflarePlan.shellQuoted(zoneID))", "",
            "cf() {  # METHOD PATH [JSON or @FILE]",
            "  local args=(-sS -X \"$1\" -H \"Authorization: Bearer $CLOUDFLARE_API_TOKEN\")",
            "  [ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' --data \"$3\")",
            "  sleep 0.3",
            "  curl \"${args[@]}\" \"$api$2\"",
            "}",
            "ok() {  # ANSWER: stops unless Cloudflare says success",
            "  jq -e '.success == true' >/dev/null 2>&1 <<<\"$1\" && return 0",
            "  echo \"Cloudflare refused: $(jq -c '.errors' <<<\"$1\" 2>/dev/null || head -c 300 <<<\"$1\")\" >&2; exit 1",
            "}", "",
        ]
        switch mode {
        case .list: lines += listLines
        case .accessRules: lines += accessRuleLines
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var listLines: [String] {
        let entrypoint = "/zones/$zone/rulesets/phases/\(CloudflarePlan.phase)/entrypoint"
        return [
            "wait_op() {  # OPERATION_ID: item changes are asynchronous",
            "  local pause=0.5 answer status=pending",
            "  for _ in $(seq 1 30); do",
            "    answer=$(cf GET \"/accounts/$account/rules/lists/bulk_operations/$1\"); ok \"$answer\"",
            "    status=$(jq -r '.result.status' <<<\"$answer\")",
            "    case $status in",
            "      completed) return 0 ;;",
            "      failed) echo \"bulk operation $1 failed: $(jq -r '.result.error' <<<\"$answer\")\" >&2; exit 1 ;;",
            "    esac",
            "    sleep \"$pause\"; pause=$(awk \"BEGIN { p = $pause * 2; print (p > 8 ? 8 : p) }\")",
            "  done",
            "  echo \"bulk operation $1 is still $status: run this script again later\" >&2; exit 1",
            "}", "",
            "answer=$(cf GET \"/accounts/$account/rules/lists\"); ok \"$answer\"",
            "list=$(jq -r --arg n \(listName) '.result[] | select(.name == $n) | .id' <<<\"$answer\")",
            "if [ -z \"$list\" ]; then",
            "  answer=$(cf POST \"/accounts/$account/rules/lists\" \(CloudflarePlan.shellQuoted(createList.canonicalJSON))); ok \"$answer\"",
            "  list=$(jq -r '.result.id' <<<\"$answer\")",
            "fi",
            "# The list is the case's own, so replacing its items puts new blocks in and takes expired and undone ones out.",
            "answer=$(cf PUT \"/accounts/$account/rules/lists/$list/items\" \"@$here/\(CloudflarePlan.itemsFile)\"); ok \"$answer\"",
            "wait_op \"$(jq -r '.result.operation_id' <<<\"$answer\")\"", "",
            "answer=$(cf GET \"\(entrypoint)\")",
            "if jq -e '.success == true' >/dev/null 2>&1 <<<\"$answer\"; then",
            "  if ! jq -e --arg r \(listName) 'any(.result.rules[]?; .ref == $r)' >/dev/null <<<\"$answer\"; then",
            "    ruleset=$(jq -r '.result.id' <<<\"$answer\")",
            "    answer=$(cf POST \"/zones/$zone/rulesets/$ruleset/rules\" \(CloudflarePlan.shellQuoted(rule.canonicalJSON))); ok \"$answer\"",
            "  fi",
            "else",
            "  answer=$(cf PUT \"\(entrypoint)\" \(CloudflarePlan.shellQuoted(JSONValue.fields(["rules": [rule]]).canonicalJSON))); ok \"$answer\"",
            "fi",
            "echo \"list \(listName): \(entries.count) addresses, blocked by the rule ip.src in \\$\(listName)\"",
        ]
    }

    private var accessRuleLines: [String] {
        let base = "/zones/$zone/firewall/access_rules/rules"
        var lines = [
            "# The case's rules, found by the tag in their notes.",
            "rules='[]' page=1",
            "while :; do",
            "  answer=$(cf GET \"\(base)?notes=\(caseTag)&per_page=100&page=$page\"); ok \"$answer\"",
            "  rules=$(jq -c --argjson acc \"$rules\" '$acc + [.result[] | select(((.notes // \"\") | split(\" \") | index(\"\(caseTag)\")) != null)]' <<<\"$answer\")",
            "  [ \"$page\" -lt \"$(jq -r '.result_info.total_pages // 1' <<<\"$answer\")\" ] || break",
            "  page=$((page + 1))",
            "done",
            "wanted=\(CloudflarePlan.shellQuoted(JSONValue.array(entries.map { .string($0.value) }).canonicalJSON))",
            "for id in $(jq -r --argjson w \"$wanted\" '.[] | select(.configuration.value as $v | ($w | index($v)) == null) | .id' <<<\"$rules\"); do",
            "  answer=$(cf DELETE \"\(base)/$id\"); ok \"$answer\"",
            "done",
            "add() {  # VALUE RULE",
            "  jq -e --arg v \"$1\" 'any(.[]; .configuration.value == $v)' >/dev/null <<<\"$rules\" && return 0",
            "  answer=$(cf POST \"\(base)\" \"$2\"); ok \"$answer\"",
            "}",
        ]
        for entry in entries {
            lines.append("add \(CloudflarePlan.shellQuoted(entry.value)) \(CloudflarePlan.shellQuoted(accessRule(entry).canonicalJSON))")
        }
        lines.append("echo \"\(entries.count) access rules tagged \(caseTag)\"")
        return lines
    }

    /// A single-quoted shell word.
    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
