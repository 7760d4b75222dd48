import Foundation
import TourniquetTestSupport
import XCTest

/// Playbooks to and from OASIS CACAO v2.0: every shipped playbook exports to a document the CACAO
/// JSON schemas accept (checked by a real JSON Schema validator) and Tourniquet's own reference
/// check passes, and imports back to the same playbook.
final class CACAOTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-cacao")
    private let environment = ["TOURNIQUET_PLAYBOOKS": TestPaths.repoRoot.appendingPathComponent("playbooks").path]
    private let shipped = ["api-breach", "credential-stuffing", "bola-data-exposure", "leaked-api-key", "authz-bypass-endpoint"]

    private func tourniquet(_ arguments: String...) throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments, environment: environment)
    }

    /// A Python with the jsonschema package (Debian's python3-jsonschema; `.ci/run` installs it).
    private func schemaValidator() throws -> String {
        let candidates = [TestPaths.which("python3"), "/usr/bin/python3"].compactMap { $0 }
        let found = candidates.first { (try? ProcessRunner.run($0, ["-c", "import jsonschema"]))?.status == 0 }
        try TestPaths.require(found != nil, "python3 with the jsonschema package (python3-jsonschema)")
        return found!
    }

    private func validate(_ file: String) throws -> ProcessResult {
        try ProcessRunner.run(
            try schemaValidator(),
            [
                TestPaths.repoRoot.appendingPathComponent("Tests/Scripts/validate_cacao.py").path,
                TestPaths.fixtures.appendingPathComponent("cacao").path, file,
            ])
    }

    /// The document without the two timestamps, which say when it was exported.
    private func comparable(_ file: String) throws -> NSDictionary {
        var document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        document["created"] = nil
        document["modified"] = nil
        return document as NSDictionary
    }

    func testEveryShippedPlaybookExportsToValidCACAOAndComesBackTheSame() throws {
        for id in shipped {
            let exported = dir.file("\(id).json")
            let export = try tourniquet("playbook", "export", id, "--out", exported)
            XCTAssertEqual(export.status, 0, export.stderr)
            let valid = try validate(exported)
            XCTAssertEqual(valid.status, 0, "\(id) against the CACAO schemas:\n\(valid.stdout)\(valid.stderr)")

            let imported = dir.file("\(id).yaml")
            let back = try tourniquet("playbook", "import", exported, "--out", imported)
            XCTAssertEqual(back.status, 0, back.stderr)
            XCTAssertEqual(try tourniquet("playbook", "show", imported).stdout, try tourniquet("playbook", "show", id).stdout, id)
            let again = dir.file("\(id)-again.json")
            XCTAssertEqual(try tourniquet("playbook", "export", imported, "--out", again).status, 0)
            XCTAssertEqual(try comparable(again), try comparable(exported), "\(id): export → import → export changed the document")
        }
    }

    /// docs/schemas describe the files `playbook check` reads: every shipped file passes them.
    func testShippedFilesPassTheirOwnJSONSchemas() throws {
        let python = try schemaValidator()
        try TestPaths.require((try? ProcessRunner.run(python, ["-c", "import yaml"]))?.status == 0, "python3 with PyYAML (python3-yaml)")
        let script = """
            import glob, json, sys, yaml, jsonschema
            root = sys.argv[1]
            failures = 0
            for pattern, schema in (("playbooks/*.yaml", "playbook"), ("playbooks/notifications/*.yaml", "notification")):
                validator = jsonschema.Draft202012Validator(json.load(open(root + "/docs/schemas/" + schema + ".schema.json")))
                for path in sorted(glob.glob(root + "/" + pattern)):
                    # Tourniquet reads dates as text; PyYAML makes them dates.
                    document = json.loads(json.dumps(yaml.safe_load(open(path)), default=str))
                    for error in validator.iter_errors(document):
                        failures += 1
                        print(path, "/".join(map(str, error.path)), error.message)
            sys.exit(1 if failures else 0)
            """
        let result = try ProcessRunner.run(python, ["-c", script, TestPaths.repoRoot.path])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    }

    func testTheValidatorAndTheReferenceCheckCatchBrokenDocuments() throws {
        let exported = dir.file("api-breach.json")
        XCTAssertEqual(try tourniquet("playbook", "export", "api-breach", "--out", exported).status, 0)
        var document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exported))) as? [String: Any])
        var workflow = try XCTUnwrap(document["workflow"] as? [String: [String: Any]])
        let action = try XCTUnwrap(workflow.keys.sorted().first { $0.hasPrefix("action--") })

        // The schemas: a missing required property and an unknown one in a command.
        var schemaBroken = document
        schemaBroken["created_by"] = nil
        var step = workflow[action]!
        var commands = step["commands"] as! [[String: Any]]
        commands[0]["colour"] = "red"
        step["commands"] = commands
        var brokenWorkflow = workflow
        brokenWorkflow[action] = step
        schemaBroken["workflow"] = brokenWorkflow
        let schemaFile = dir.file("schema-broken.json")
        try JSONSerialization.data(withJSONObject: schemaBroken).write(to: URL(fileURLWithPath: schemaFile))
        let invalid = try validate(schemaFile)
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stdout.contains("'created_by' is a required property"), invalid.stdout)
        XCTAssertTrue(invalid.stdout.contains("'colour' was unexpected"), invalid.stdout)

        // What the schemas cannot see: a step that goes nowhere, which the import refuses.
        workflow[action]!["on_completion"] = "action--00000000-0000-5000-8000-000000000000"
        document["workflow"] = workflow
        let dangling = dir.file("dangling.json")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: dangling))
        XCTAssertEqual(try validate(dangling).status, 0, "the schemas accept a dangling reference")
        let refused = try tourniquet("playbook", "import", dangling, "--out", dir.file("dangling.yaml"))
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(
            refused.stderr.contains("goes to action--00000000-0000-5000-8000-000000000000, which is no step of the workflow"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("dangling.yaml")))
    }

    /// A playbook written by another tool: manual and http-api actions become checklist items with
    /// their commands kept, a switch becomes a decision, a parallel step is refused by name.
    func testAForeignPlaybookIsMappedAsFarAsItGoes() throws {
        func id(_ type: String, _ n: Int) -> String { "\(type)--00000000-0000-4000-8000-00000000000\(n)" }
        var foreign: [String: Any] = [
            "type": "playbook", "spec_version": "cacao-2.0", "id": id("playbook", 1), "name": "Phishing triage",
            "created_by": id("identity", 2), "created": "2026-11-01T10:00:00.000Z", "modified": "2026-11-01T10:00:00.000Z",
            "workflow_start": id("start", 3),
            "agent_definitions": [id("individual", 4): ["type": "individual", "name": "Analyst"]],
            "workflow": [
                id("start", 3): ["type": "start", "on_completion": id("action", 5)],
                id("action", 5): [
                    "type": "action", "name": "Pull the mail headers", "agent": id("individual", 4), "on_completion": id("switch-condition", 6),
                    "commands": [["type": "http-api", "command": "GET /mail/headers HTTP/1.1"]],
                ],
                id("switch-condition", 6): [
                    "type": "switch-condition", "name": "Malicious?", "switch": "__verdict__:value",
                    "cases": ["yes": id("end", 7), "no": id("end", 7)],
                ],
                id("end", 7): ["type": "end"],
            ],
        ]
        let file = dir.file("foreign.json")
        try JSONSerialization.data(withJSONObject: foreign).write(to: URL(fileURLWithPath: file))
        let imported = try tourniquet("playbook", "import", file, "--out", dir.file("foreign.yaml"))
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let yaml = try String(contentsOfFile: dir.file("foreign.yaml"), encoding: .utf8)
        XCTAssertTrue(yaml.contains("id: phishing-triage"), yaml)
        XCTAssertTrue(
            yaml.contains(
                "kind: checklist\n    title: \"Pull the mail headers\"\n    detail: \"imported command — http-api: GET /mail/headers HTTP/1.1\""),
            yaml)
        XCTAssertTrue(yaml.contains("kind: decision"), yaml)

        var workflow = foreign["workflow"] as! [String: Any]
        workflow[id("switch-condition", 6)] = ["type": "parallel", "name": "Fan out", "next_steps": [id("end", 7), id("end", 7)]]
        foreign["workflow"] = workflow
        try JSONSerialization.data(withJSONObject: foreign).write(to: URL(fileURLWithPath: file))
        let refused = try tourniquet("playbook", "import", file, "--out", dir.file("parallel.yaml"))
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("is a parallel step, which Tourniquet's playbooks cannot express"), refused.stderr)
    }
}
