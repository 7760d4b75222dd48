import ArgumentParser
import Foundation
import TourniquetEngine
import TourniquetModel

extension Tourniquet {
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put every containment measure in force on a gateway, and remove expired and undone ones, in one change.",
            discussion: """
                The apply is recorded before it starts (with the artifact text), then as applied or failed, then as \
                verified. For nginx it writes tourniquet-http.conf and tourniquet-server.conf into --conf-dir; with \
                --reload it runs `nginx -t`, reloads, and checks with `nginx -T` that both files are served. A failed \
                test or reload puts the previous files back. Blocking a key needs its value, which the case never \
                holds: give the values in a file (--key-values); they go only into the managed file.

                For Kong it writes a partial decK file for `deck gateway apply` (--out DIR), and with --admin-url \
                makes the same change through the Admin API and reads it back. Every entity it creates is tagged \
                tourniquet and tq-case-…, which is how later applies find them.

                For Cloudflare it blocks addresses: as items of an IP list of the case's own, matched by one WAF \
                custom rule `ip.src in $list` (--mode list), or as IP Access Rules (--mode access-rules, the legacy \
                path). --out DIR writes a script for curl and jq; --apply makes the calls now with the token in \
                --api-token-file, waiting for each bulk list operation and pacing calls under Cloudflare's limit \
                of 1,200 in five minutes. Entries carry the case's tag, which is how later applies find them.
                """)

        @Argument(help: "The case file.") var casePath: String
        @Option(help: "The gateway: nginx, kong, aws, cloudflare, or oauth (an authorization server's token revocation).") var gateway: String
        @Option(help: "nginx: the directory nginx includes the two managed files from.") var confDir: String?
        @Option(help: "kong, aws, cloudflare: the directory to write the files to.") var out: String?
        @Option(help: "kong: the Admin API's URL (http://127.0.0.1:8001), to apply over HTTP.") var adminURL: String?
        @Option(help: "aws: REGIONAL or CLOUDFRONT.") var scope: String = "REGIONAL"
        @Option(help: "aws: the region of the IP sets and API keys.") var region: String?
        @Option(help: "aws: the WAF IPv4 IP set, NAME:ID.") var ipSet: String?
        @Option(help: "aws: the WAF IPv6 IP set, NAME:ID.") var ipSetV6: String?
        @Option(help: "cloudflare: the zone id.") var zone: String?
        @Option(help: "cloudflare: the account id (list mode: lists belong to the account).") var account: String?
        @Option(help: "cloudflare: list (an IP list and a custom rule) or access-rules (legacy).") var mode = "list"
        @Flag(help: "cloudflare: make the API calls now.") var apply = false
        @Option(help: "cloudflare: a file whose first line is the API token.") var apiTokenFile: String?
        @Option(help: "cloudflare: the API's base URL.") var apiURL = CloudflareTarget.defaultAPIBase
        @Option(help: "cloudflare: API calls allowed per five minutes (Cloudflare's limit is 1,200).") var callsPerFiveMinutes = 1_000
        @Option(help: "oauth: the authorization server's revocation endpoint (RFC 7009).") var revocationEndpoint: String?
        @Option(help: "oauth: the client id to authenticate as.") var clientID: String?
        @Option(help: "oauth: a file whose first line is the client secret.") var clientSecretFile: String?
        @Option(help: "oauth: a file of tokens, one a line; those a revoke-token measure selects are revoked.") var tokens: String?
        @Option(help: "oauth: access_token or refresh_token.") var tokenTypeHint = "access_token"
        @Flag(help: "Test the configuration and reload nginx.") var reload = false
        @Flag(help: "nginx, in a drill: apply to a throw-away nginx started for the purpose and stopped after it.") var drillNginx = false
        @Option(help: "How to run nginx, such as \"nginx -p PREFIX -c CONF\".") var nginx = "nginx"
        @Option(help: "The request header that carries API keys.") var keyHeader = "X-API-Key"
        @Option(help: "A file of the blocked keys' values, one a line.") var keyValues: String?
        @Option(help: "A base URL of the protected server to probe after the reload (http://127.0.0.1:8080).") var probeURL: String?
        @Option(help: "Why.") var reason: String = "apply containment"
        @OptionGroup var actorOptions: ActorOptions

        func run() throws {
            let target: GatewayTarget
            switch gateway {
            case "nginx" where drillNginx:
                target = .nginx(NginxTarget(confDir: "", reload: true, keyHeader: keyHeader, keyValuesPath: keyValues, throwaway: true))
            case "nginx":
                guard let confDir else { throw ValidationError("--conf-dir: the directory nginx includes the managed files from") }
                let words = nginx.split(whereSeparator: \.isWhitespace).map(String.init)
                guard !words.isEmpty else { throw ValidationError("--nginx: give the command that runs nginx") }
                target = .nginx(
                    NginxTarget(
                        confDir: confDir, reload: reload, command: words, keyHeader: keyHeader, keyValuesPath: keyValues, probeURL: probeURL))
            case "kong":
                guard out != nil || adminURL != nil else { throw ValidationError("kong: give --out DIR, --admin-url URL, or both") }
                target = .kong(KongTarget(outDir: out, adminURL: adminURL))
            case "aws":
                guard let out else { throw ValidationError("aws: give --out DIR for the files to run with the aws CLI") }
                target = .aws(AWSTarget(outDir: out, scope: scope, region: region, ipv4Set: ipSet, ipv6Set: ipSetV6))
            case "oauth":
                guard let revocationEndpoint, let clientID, let clientSecretFile, let tokens else {
                    throw ValidationError("oauth: give --revocation-endpoint, --client-id, --client-secret-file and --tokens")
                }
                target = .oauth(
                    OAuthTarget(
                        endpoint: revocationEndpoint, clientID: clientID, clientSecretPath: clientSecretFile, tokensPath: tokens,
                        tokenTypeHint: tokenTypeHint))
            case "cloudflare":
                guard let zone else { throw ValidationError("cloudflare: give --zone ZONE_ID") }
                guard let cloudflareMode = CloudflareTarget.Mode(rawValue: mode) else {
                    throw ValidationError("--mode: '\(mode)' is not list or access-rules")
                }
                guard out != nil || apply else { throw ValidationError("cloudflare: give --out DIR for the script, --apply, or both") }
                guard (1...1_200).contains(callsPerFiveMinutes) else { throw ValidationError("--calls-per-five-minutes: 1 to 1,200") }
                target = .cloudflare(
                    CloudflareTarget(
                        mode: cloudflareMode, accountID: account, zoneID: zone, outDir: out, apply: apply, apiTokenPath: apiTokenFile,
                        apiBase: apiURL, callsPerFiveMinutes: callsPerFiveMinutes))
            default:
                throw ValidationError("--gateway: '\(gateway)' is not a gateway this version applies to: nginx, kong, aws, cloudflare or oauth")
            }
            let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
            guard case .applied(let report) = try engine.execute(.applyContainment(target, reason: reason)) else { return }
            print("apply #\(report.intent.id) to \(report.gateway): \(report.puts.count) measures in force, \(report.removes.count) removed")
            for file in report.files { print("  wrote \(DisplayText.sanitize(file).text)") }
            for check in report.checks { print("  checked: \(DisplayText.sanitize(check).text)") }
            for note in report.notes { print("  note: \(DisplayText.sanitize(note).text)") }
            for (id, why) in report.skipped { print("  left out #\(id): \(DisplayText.sanitize(why).text)") }
            if let problem = report.problem {
                throw RefusedRequest("apply #\(report.intent.id) failed: \(problem)")
            }
            if gateway == "nginx" && !reload && !drillNginx {
                print("  files written; nginx was not reloaded (run `nginx -t` and `nginx -s reload`, or apply with --reload)")
            }
            if gateway == "aws" { print("  run it with the aws CLI: bash \(DisplayText.sanitize(out ?? "").text)/tourniquet-aws.sh") }
            if gateway == "cloudflare" && !apply {
                print("  run it with curl and jq: CLOUDFLARE_API_TOKEN=… bash \(DisplayText.sanitize(out ?? "").text)/tourniquet-cloudflare.sh")
            }
            if gateway == "kong" && adminURL == nil {
                print("  apply it with: deck gateway apply \(DisplayText.sanitize(out ?? "").text)/tourniquet-kong.yaml")
            }
        }
    }

    struct CaseCommandGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "case", abstract: "The case itself.", subcommands: [Status.self])

        struct Status: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Mark the case contained or closed (or open again), with your reason.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "open, contained or closed.") var status: String
            @Option(help: "Why.") var reason: String
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                guard let value = CaseStatus(rawValue: status) else { throw ValidationError("'\(status)' is not open, contained or closed") }
                let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                guard case .recorded(let action) = try engine.execute(.changeCaseStatus(value, reason: reason)) else { return }
                print("the case is \(value.rawValue) (action #\(action.id))")
            }
        }
    }
}
