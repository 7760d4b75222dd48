import Foundation
import TourniquetTestSupport
import XCTest

/// Containment on AWS is files for the aws CLI. The script runs here against a stand-in `aws` on
/// PATH that keeps an IP set with a lock token, as WAFv2 does: another writer's change makes the
/// first update fail with WAFOptimisticLockException, and the script must read again and merge.
final class ContainmentAWSTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-aws")
    private var casePath: String { dir.file("case.tq") }

    private let fakeAWS = #"""
        #!/usr/bin/env bash
        # A stand-in for the aws CLI's wafv2 get-ip-set/update-ip-set and apigateway update-api-key.
        state=$FAKE_AWS_STATE
        echo "$*" >> "$state/calls"
        name=""; args=("$@")
        for i in "${!args[@]}"; do [ "${args[$i]}" = "--name" ] && name=${args[$((i + 1))]}; done
        touch "$state/$name.addresses"; [ -f "$state/$name.token" ] || echo t0 > "$state/$name.token"
        case "$1 $2" in
          "wafv2 get-ip-set")
            if [[ "$*" == *"--query LockToken"* ]]; then cat "$state/$name.token"; else cat "$state/$name.addresses"; fi ;;
          "wafv2 update-ip-set")
            shift 2; addresses=(); token=""
            while [ $# -gt 0 ]; do
              case "$1" in
                --addresses) shift; while [ $# -gt 0 ] && [[ "$1" != --* ]]; do addresses+=("$1"); shift; done; continue ;;
                --lock-token) token=$2; shift ;;
              esac
              shift
            done
            if [ -f "$state/$name.other-writer" ]; then
              rm "$state/$name.other-writer"; echo "203.0.113.200/32 $(cat "$state/$name.addresses")" > "$state/$name.addresses"
              echo "t$RANDOM" > "$state/$name.token"
            fi
            if [ "$token" != "$(cat "$state/$name.token")" ]; then
              echo "An error occurred (WAFOptimisticLockException) when calling the UpdateIPSet operation" >&2; exit 254
            fi
            if [ "${addresses[0]}" = "[]" ]; then addresses=(); fi
            echo "${addresses[*]}" > "$state/$name.addresses"; echo "t$RANDOM" > "$state/$name.token" ;;
          "apigateway update-api-key")
            echo "$*" >> "$state/keys" ;;
          *) echo "unexpected: $*" >&2; exit 2 ;;
        esac
        """#

    func testTheScriptMergesWithWhatIsThereAndRetriesOnALockConflict() throws {
        XCTAssertEqual(try ProcessRunner.tourniquet("new", casePath, "--title", "aws").status, 0)
        let log = dir.file("aws.log")
        try
            #"{"requestTimeEpoch":1764579600000,"httpMethod":"GET","resourcePath":"/v1/x","status":"200","identity":{"sourceIp":"198.51.100.9","apiKeyId":"k9x8y7"}}"#
            .appending("\n").write(toFile: log, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ProcessRunner.tourniquet("ingest", casePath, log).status, 0)
        for arguments in [
            ["block-ip", "203.0.113.7", "--reason", "stuffing"], ["block-ip", "2001:db8::/48", "--reason", "stuffing"],
            ["block-key", "k9x8y7", "--reason", "leaked key"],
        ] {
            let planned = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["contain", casePath] + arguments)
            XCTAssertEqual(planned.status, 0, planned.stderr)
        }
        let missingSet = try ProcessRunner.tourniquet("apply", casePath, "--gateway", "aws", "--out", dir.path, "--ip-set", "blocklist:1111")
        XCTAssertEqual(missingSet.status, 1)
        XCTAssertTrue(missingSet.stderr.contains("--ip-set-v6"), missingSet.stderr)
        let applied = try ProcessRunner.tourniquet(
            "apply", casePath, "--gateway", "aws", "--out", dir.path, "--ip-set", "blocklist:1111", "--ip-set-v6", "blocklist6:2222",
            "--region", "eu-west-1")
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let input = try String(contentsOfFile: dir.file("tourniquet-aws-ipv4.json"), encoding: .utf8)
        XCTAssertTrue(input.contains(#""Addresses":["203.0.113.7/32"]"#), input)
        XCTAssertTrue(input.contains(#""LockToken":"__LOCK_TOKEN__""#), input)

        // Run the script against the stand-in: one set already holds an address of someone else's,
        // and another writer changes it between our read and our write.
        let state = dir.file("state")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try "198.51.100.1/32\n".write(toFile: state + "/blocklist.addresses", atomically: true, encoding: .utf8)
        try "".write(toFile: state + "/blocklist.other-writer", atomically: true, encoding: .utf8)
        let bin = dir.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try fakeAWS.write(toFile: bin + "/aws", atomically: true, encoding: .utf8)
        chmod(bin + "/aws", 0o755)
        let bash = try XCTUnwrap(TestPaths.which("bash"))
        let environment = ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"), "FAKE_AWS_STATE": state]
        let run = try ProcessRunner.run(bash, [dir.file("tourniquet-aws.sh")], environment: environment)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        func addresses(_ set: String) throws -> Set<String> {
            Set(try String(contentsOfFile: state + "/\(set).addresses", encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init))
        }
        XCTAssertEqual(
            try addresses("blocklist"), ["198.51.100.1/32", "203.0.113.200/32", "203.0.113.7/32"], "what was there, the other writer's, ours")
        XCTAssertEqual(try addresses("blocklist6"), ["2001:db8::/48"])
        let calls = try String(contentsOfFile: state + "/calls", encoding: .utf8)
        XCTAssertGreaterThanOrEqual(calls.components(separatedBy: "update-ip-set --name blocklist ").count - 1, 2, "retried after the conflict")
        XCTAssertTrue(calls.contains("--region eu-west-1"))
        let keys = try String(contentsOfFile: state + "/keys", encoding: .utf8)
        XCTAssertTrue(keys.contains("update-api-key --api-key k9x8y7 --patch-operations op=replace,path=/enabled,value=false"), keys)

        // Undo the IPv4 block: the next script takes back only Tourniquet's own address.
        let list = try ProcessRunner.tourniquet("contain", casePath, "list", "--json")
        let first = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.first?["id"] as? Int)
        XCTAssertEqual(try ProcessRunner.tourniquet("contain", casePath, "undo", "\(first)", "--reason", "released").status, 0)
        XCTAssertEqual(
            try ProcessRunner.tourniquet(
                "apply", casePath, "--gateway", "aws", "--out", dir.path, "--ip-set", "blocklist:1111", "--ip-set-v6", "blocklist6:2222",
                "--region", "eu-west-1"
            ).status, 0)
        XCTAssertEqual(try ProcessRunner.run(bash, [dir.file("tourniquet-aws.sh")], environment: environment).status, 0)
        XCTAssertEqual(try addresses("blocklist"), ["198.51.100.1/32", "203.0.113.200/32"])
    }
}
