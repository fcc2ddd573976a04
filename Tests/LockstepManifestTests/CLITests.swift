import Foundation
import LockstepTestSupport
import Testing

/// Runs the built `lockstep` binary: $LOCKSTEP_BIN, else the package's .build/debug/lockstep.
/// `swift build` (or `swift test`, which builds every target) produces it.
func runLockstep(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let path = LockstepCLI.binaryPath
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw CLIMissing(path: path)
    }
    // The one process helper, which reads stdout and stderr together (never one after the other).
    let output = try HostProcess.run(path, arguments)
    return (output.status, output.stdout, output.stderr)
}

struct CLIMissing: Error, CustomStringConvertible {
    var path: String
    var description: String { "lockstep binary not found at \(path): run `swift build` first or set LOCKSTEP_BIN" }
}

@Suite("lockstep CLI: release lint, manifest graph")
struct CLITests {
    private func temporaryManifest(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-lint-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("release lint exits 0 on a clean manifest, 0 with warnings only, 65 with errors")
    func lintExitCodes() throws {
        let clean = try runLockstep(["release", "lint", "--manifest", examplePath("inventory.yaml")])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("OK"))

        let warned = try temporaryManifest(manifest(container: "version: \"15\"\nprivileged: true"))
        defer { try? FileManager.default.removeItem(atPath: warned) }
        let warning = try runLockstep(["release", "lint", "--manifest", warned])
        #expect(warning.status == 0, "\(warning.stderr)")
        #expect(warning.stdout.contains("\(warned):7:9: warning: unknown key 'privileged'"))

        let broken = try temporaryManifest(subscribing("nope", "app"))
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let failed = try runLockstep(["release", "lint", "--manifest", broken])
        #expect(failed.status == 65)
        #expect(failed.stdout.contains("\(broken):11:28: error: subscription to unknown component 'nope'"))
        #expect(failed.stderr.hasPrefix("error: "))

        let json = try runLockstep(["release", "lint", "--manifest", broken, "--output", "json"])
        #expect(json.status == 65)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["errors"] as? Int == 1)
        let diagnostics = try #require(report["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["line"] as? Int == 11)
        #expect(diagnostics.first?["column"] as? Int == 28)
        #expect(diagnostics.first?["severity"] as? String == "error")
    }

    @Test("manifest graph --format dot prints the inventory example's edges")
    func graphDot() throws {
        let result = try runLockstep(["manifest", "graph", examplePath("inventory.yaml"), "--format", "dot"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""db/postgres" -> "migrate/inventory""#))
        #expect(result.stdout.contains(#""migrate/inventory" -> "web/inventory""#))
    }

    @Test("manifest graph refuses a manifest with errors, exit 65 with file:line:column")
    func graphRefusesBroken() throws {
        let broken = try temporaryManifest(subscribing("web", "app", trigger: "port-open"))
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let result = try runLockstep(["manifest", "graph", broken])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(broken):9:22: error: unknown trigger 'port-open'"))
    }
}
