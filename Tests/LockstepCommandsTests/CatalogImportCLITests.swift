import Foundation
import LockstepTestSupport
import Testing

/// Issue 9, finding 2: `catalog import` stored /etc/shadow as a release. Manifest files
/// must lie in the document's folder, and every manifest passes `release create`'s lint.
/// The commands run in process (`LockstepCLI.execute`).
@Suite("catalog import refuses what release create refuses (issue 9)")
struct CatalogImportCLITests {
    static func document(_ release: String) -> String {
        """
        channels:
          - name: Stable
        releases:
        \(release)
        promotions:
          - channel: Stable
            release: 1.0.0
        """
    }

    static func expectRefused(_ cli: LockstepCLI, _ text: String, mentions: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let path = try cli.write("docs/catalog.yaml", text)
        let result = try await cli.execute("catalog", "import", path)
        #expect(result.status == 65, "\(result.combined)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(mentions), "\(result.stderr)", sourceLocation: sourceLocation)
        let listed = try await cli.execute("release", "ls", "--output", "json")
        #expect(!listed.stdout.contains("1.0.0"), "a refused import stored a release: \(listed.stdout)", sourceLocation: sourceLocation)
        #expect(!listed.stdout.contains("root:"), sourceLocation: sourceLocation)
    }

    @Test("Manifest files outside the document's folder are refused, symlinks included")
    func outsideFolder() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let outside = try cli.write("secret.yaml", BadInputCLITests.manifest)
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cli.folder.appendingPathComponent("docs/link.yaml").path, withDestinationPath: outside)

        try await Self.expectRefused(cli, Self.document("  - version: 1.0.0\n    manifestFile: /etc/shadow"), mentions: "not an absolute path")
        try await Self.expectRefused(
            cli,
            Self.document("  - version: 1.0.0\n    manifestFile: ../secret.yaml"),
            mentions: "outside the catalog document's folder"
        )
        try await Self.expectRefused(
            cli,
            Self.document("  - version: 1.0.0\n    manifestFile: link.yaml"),
            mentions: "outside the catalog document's folder"
        )
        try await Self.expectRefused(
            cli,
            Self.document("  - version: 1.0.0\n    manifestFile: catalog.yaml"),
            mentions: "names the catalog document itself"
        )
    }

    @Test("A typo in a key, and a manifest that fails lint, are refused")
    func strictKeysAndLint() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        try cli.write("docs/app.yaml", BadInputCLITests.manifest)
        try await Self.expectRefused(
            cli,
            "defaults:\n  manifestFile: app.yaml\n" + Self.document("  - version: 1.0.0\n    manfestFile: other.yaml"),
            mentions: "unknown key \"manfestFile\" in releases"
        )
        try cli.write(
            "docs/bad.yaml",
            BadInputCLITests.manifest + "\n        env_vars:\n          - name: X\n            value: '{{repl NoSuchFunction}}'\n"
        )
        try await Self.expectRefused(
            cli,
            Self.document("  - version: 1.0.0\n    manifestFile: bad.yaml"),
            mentions: "unknown template function 'NoSuchFunction'"
        )
        try await Self.expectRefused(cli, Self.document("  - version: latest\n    manifestFile: app.yaml"), mentions: "\"latest\" is reserved")
        try await Self.expectRefused(
            cli,
            Self.document("  - version: 1.0.0\n    manifestFile: app.yaml").replacingOccurrences(
                of: "- name: Stable",
                with: "- name: \"Evil\\e[2J\""
            ),
            mentions: "channel names use letters"
        )
    }

    @Test("A well-formed document with a relative manifest file imports")
    func goodImport() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        try cli.write("docs/manifests/app.yaml", BadInputCLITests.manifest)
        let path = try cli.write("docs/catalog.yaml", Self.document("  - version: 1.0.0\n    manifestFile: manifests/app.yaml"))
        let imported = try await cli.execute("catalog", "import", path)
        #expect(imported.status == 0, "\(imported.combined)")
        let shown = try await cli.execute("release", "show", "1.0.0")
        #expect(shown.stdout.contains("image_name: busybox"))
    }

    @Test("`latest` is refused as a version label on a channel without SemVer too")
    func latestLabel() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let manifest = try cli.write("app.yaml", BadInputCLITests.manifest)
        let created = try await cli.execute("channel", "create", "Nightly", "--no-semver")
        #expect(created.status == 0, "\(created.combined)")
        for label in ["latest", "LATEST"] {
            let refused = try await cli.execute("release", "create", "--manifest", manifest, "--version", label, "--promote", "Nightly")
            #expect(refused.status == 65, "\(refused.combined)")
            #expect(refused.stderr.contains("reserved"), "\(refused.stderr)")
        }
    }
}
