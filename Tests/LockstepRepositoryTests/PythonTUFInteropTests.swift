import Crypto
import Foundation
import LockstepRepository
import LockstepTestSupport
import Testing

/// The reference implementation, python-tuf, on both sides of lockstep's code. The venv
/// comes from scripts/install-deps.sh; a missing one fails the test rather than skipping it.
@Suite("Interop with python-tuf")
struct PythonTUFInteropTests {
    static let python = (ProcessInfo.processInfo.environment["LOCKSTEP_VENV"] ?? "/opt/lockstep-venv") + "/bin/python"
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Python")

    func runPython(_ script: String, _ arguments: [String]) throws -> HostProcess.Output {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw TestFailure("\(Self.python) is missing: run scripts/install-deps.sh (it creates the venv with python-tuf)")
        }
        return try HostProcess.run(Self.python, [Self.scripts.appending(path: script).path] + arguments)
    }

    @Test func pythonTUFRefreshesFromALockstepRepositoryAndVerifiesItsTargets() throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        let manifest = Data("name: shop\n".utf8)
        let manifestName = "manifests/\(SHA256.hash(data: manifest).map { String(format: "%02x", $0) }.joined()).yaml"
        try repo.publish(["channels/Stable.json": Data("{\"v\":2}".utf8), manifestName: manifest])
        try repo.writer().rotate(role: .timestamp)
        try repo.writer().refreshTimestamp()

        let work = repo.folder.appending("python")
        let output = try runPython("ngclient_refresh.py", [repo.out.path, work.path, "channels/Stable.json", manifestName])
        #expect(output.status == 0, "python-tuf refused: \(output.stderr)")
        #expect(output.stdout.contains("channels/Stable.json \(TargetFile(data: Data("{\"v\":2}".utf8)).hashes["sha256"]!)"))
        #expect(output.stdout.contains("\(manifestName) \(SHA256.hash(data: manifest).map { String(format: "%02x", $0) }.joined())"))

        // The same client refuses what lockstep's client refuses: a tampered target.
        let info = TargetFile(data: manifest)
        try Data("name: evil\n".utf8).write(to: repo.out.appending(path: "targets/manifests/\(info.hashes["sha256"]!).\(manifestName.dropFirst(10))"))
        let refused = try runPython("ngclient_refresh.py", [repo.out.path, repo.folder.appending("python2").path, manifestName])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("LengthOrHashMismatchError"))
    }

    @Test func lockstepAcceptsARepositoryWrittenWithPythonTUFsMetadataAPI() async throws {
        let folder = try TemporaryDirectory(prefix: "lockstep-pytuf")
        defer { folder.remove() }
        let out = folder.appending("repo")
        let written = try runPython("write_repository.py", [out.path, "channels/Stable.json", "{\"from\":\"python\"}"])
        #expect(written.status == 0, "python-tuf could not write: \(written.stderr)")

        let metadata = out.appending(path: "metadata")
        var client = try Updater(
            store: MemoryTrustedStore(["root": try Data(contentsOf: metadata.appending(path: "1.root.json"))]),
            metadata: DirectoryTransport(root: metadata),
            targets: DirectoryTransport(root: out.appending(path: "targets"))
        )
        try await client.refresh()
        let info = try await client.targetInfo("channels/Stable.json")
        #expect(info.hashes["sha256"] == written.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try await client.download("channels/Stable.json", info: info) == Data("{\"from\":\"python\"}".utf8))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
