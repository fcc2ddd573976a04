import Foundation
import Testing

@testable import LockstepCommands

/// The README's exit-code table is what the binary does: every documented code exists,
/// nothing undocumented does, and the commands that reach each code in-process exit with it.
@Suite("README exit codes")
struct ExitCodeTableTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    /// The codes in the rows of the table under `## Exit codes`.
    static func documentedCodes() throws -> [Int32] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "## Exit codes") else { return [] }
        let section = text[start.upperBound...].prefix { _ in true }.split(separator: "\n## ", maxSplits: 1).first ?? ""
        return section.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return cells.first.flatMap { Int32($0) }
        }
    }

    @Test("the table lists exactly the exit statuses the commands use")
    func tableMatchesTheEnum() throws {
        let documented = try Self.documentedCodes()
        #expect(documented == LockstepCommands.ExitStatus.allCases.map(\.rawValue), "README rows \(documented)")
    }

    /// A fresh store and a release, for commands that need one.
    static func store() async throws -> (folder: URL, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-exit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let manifest = folder.appendingPathComponent("app.yaml")
        try "name: demo\ncomponents: []\n".write(to: manifest, atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("store.sqlite").path
        let created = await Lockstep.execute([
            "release", "create", "--version", "1.0.0", "--manifest", manifest.path, "--store", path, "--promote", "Stable",
        ])
        #expect(created == 0)
        return (folder, path)
    }

    @Test("each documented code is what the binary returns for its case")
    func codesInProcess() async throws {
        let (folder, path) = try await Self.store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("app.yaml").path
        let notAStore = folder.appendingPathComponent("not-a-store")
        try "hello".write(to: notAStore, atomically: true, encoding: .utf8)

        let cases: [(LockstepCommands.ExitStatus, [String])] = [
            (.success, ["release", "ls", "--store", path]),
            (.usage, ["release", "ls", "--no-such-flag"]),
            (.invalidData, ["release", "create", "--version", "not-a-version", "--manifest", manifest, "--store", path, "--promote", "Stable"]),
            (.notFound, ["release", "show", "9.9.9", "--store", path]),
            (.refused, ["release", "create", "--version", "1.0.0", "--manifest", manifest, "--store", path]),
            (.refused, ["plan", "--from", "1.0.0", "--channel", "Stable", "--to", "2.0.0", "--store", path]),
            (.storeError, ["release", "ls", "--store", notAStore.path]),
        ]
        for (expected, arguments) in cases {
            let status = await Lockstep.execute(arguments)
            #expect(
                status == expected.rawValue,
                "lockstep \(arguments.joined(separator: " ")) exited \(status), the README says \(expected.rawValue)"
            )
        }
    }
}
