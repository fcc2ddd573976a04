import Foundation
import LockstepTestSupport
import Testing

/// The vendor and customer commands of issue 2, run in process as a user runs them
/// (`LockstepCLI.execute`: same arguments, environment, folder and output).
@Suite("vendor and customer CLI")
struct VendorCustomerCLITests {
    static let manifest = TestManifests.busyboxWeb(named: "inventory")

    struct PlanJSON: Decodable {
        struct Step: Decodable {
            let version: String
            let channelSequence: Int
            let required: Bool
        }
        let kind: String
        let steps: [Step]
    }

    struct RefusalJSON: Decodable {
        let reason: String
        let nearest: [String]
    }

    /// Releases 1.0.0 … 1.5.0 on Stable, 1.2.0 and 1.4.0 required.
    func vendorSession() async throws -> LockstepCLI {
        let cli = try LockstepCLI()
        let manifest = try cli.write("manifest.yaml", Self.manifest)
        for minor in 0...5 {
            var arguments = [
                "release", "create", "--manifest", manifest, "--version", "1.\(minor).0", "--promote", "Stable", "--notes", "release 1.\(minor)",
            ]
            if minor == 2 || minor == 4 { arguments.append("--required") }
            let created = try await cli.execute(arguments: arguments)
            #expect(created.status == 0, "\(created.combined)")
        }
        return cli
    }

    @Test func customerPlanWalksEveryRequiredRelease() async throws {
        let cli = try await vendorSession()
        defer { cli.removeFolder() }
        #expect(try await cli.execute("install", "mark", "--channel", "Stable", "--release", "1.0.0").status == 0)

        let plan = try await cli.execute("plan", "--to", "latest", "--output", "json")
        #expect(plan.status == 0, "\(plan.stderr)")
        let decoded = try JSONDecoder().decode(PlanJSON.self, from: Data(plan.stdout.utf8))
        #expect(decoded.kind == "upgrade")
        #expect(decoded.steps.map(\.version) == ["1.2.0", "1.4.0", "1.5.0"])
        #expect(decoded.steps.map(\.required) == [true, true, false])
        #expect(decoded.steps.map(\.channelSequence) == [3, 5, 6])

        let status = try await cli.execute("status")
        #expect(status.stdout.contains("current:      1.0.0"))
        #expect(status.stdout.contains("required:     1.2.0, 1.4.0"))
        #expect(status.stdout.contains("newest:       1.5.0"))

        let table = try await cli.execute("plan", "--to", "latest")
        #expect(table.stdout.contains("1/3   1.2.0"), "\(table.stdout)")
    }

    @Test func vendorPreviewNeedsNoInstallation() async throws {
        let cli = try await vendorSession()
        defer { cli.removeFolder() }
        let preview = try await cli.execute("plan", "--from", "1.3.0", "--channel", "Stable", "--to", "latest", "--output", "json")
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(try JSONDecoder().decode(PlanJSON.self, from: Data(preview.stdout.utf8)).steps.map(\.version) == ["1.4.0", "1.5.0"])
        #expect(try await cli.execute("install", "ls", "--output", "json").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
    }

    @Test func demotingARequiredReleaseWarnsAndRemovesTheStop() async throws {
        let cli = try await vendorSession()
        defer { cli.removeFolder() }
        let demote = try await cli.execute("channel", "demote", "Stable", "1.4.0")
        #expect(demote.status == 0)
        #expect(demote.stderr.contains("warning: 1.4.0 was required on Stable; customers may now skip it"))
        let plan = try await cli.execute("plan", "--from", "1.0.0", "--channel", "Stable", "--to", "latest", "--output", "json")
        #expect(try JSONDecoder().decode(PlanJSON.self, from: Data(plan.stdout.utf8)).steps.map(\.version) == ["1.2.0", "1.5.0"])
        let undemote = try await cli.execute("channel", "undemote", "Stable", "--channel-sequence", "5")
        #expect(undemote.stdout.contains("required"), "\(undemote.combined)")
        let show = try await cli.execute("channel", "show", "Stable")
        #expect(show.stdout.contains("5            1.4.0    5        required"), "\(show.stdout)")
    }

    @Test func refusalsExitNonZeroWithAReason() async throws {
        let cli = try await vendorSession()
        defer { cli.removeFolder() }
        let missing = try await cli.execute("plan", "--from", "1.0.0", "--channel", "Stable", "--to", "1.3.5", "--output", "json")
        #expect(missing.status == 67)
        let refusal = try JSONDecoder().decode(RefusalJSON.self, from: Data(missing.stdout.utf8))
        #expect(refusal.reason == "notOnChannel")
        #expect(refusal.nearest == ["1.3.0", "1.4.0"])
        #expect(missing.stderr.contains("1.3.5 is not on channel Stable; nearest available: 1.3.0, 1.4.0"))

        #expect(try await cli.execute("install", "mark", "--channel", "Stable", "--release", "1.5.0").status == 0)
        let downgrade = try await cli.execute("plan", "--to", "1.1.0", "--output", "json")
        #expect(downgrade.status == 67)
        #expect(try JSONDecoder().decode(RefusalJSON.self, from: Data(downgrade.stdout.utf8)).reason == "downgrade")
    }

    @Test func badInputIsNamedAndWritesNothing() async throws {
        let cli = try await vendorSession()
        defer { cli.removeFolder() }
        let manifest = try cli.write("manifest.yaml", Self.manifest)
        let before = try await cli.execute("release", "ls", "--output", "json").stdout

        let badSemver = try await cli.execute("release", "create", "--manifest", manifest, "--version", "2.0", "--promote", "Stable")
        #expect(badSemver.status == 65)
        #expect(badSemver.stderr.contains("\"2.0\" is not a SemVer 2.0.0 version"))

        let badYAML = try cli.write("broken.yaml", "name: x\ncomponents:\n  - name: [unclosed\n")
        let yaml = try await cli.execute("release", "create", "--manifest", badYAML, "--version", "2.0.0")
        #expect(yaml.status == 65)
        #expect(yaml.stderr.contains("broken.yaml:4:1"), "\(yaml.stderr)")

        let unreadable = try await cli.execute("release", "create", "--manifest", "/nonexistent.yaml", "--version", "2.0.0")
        #expect(unreadable.status == 66)

        let unknownChannel = try await cli.execute("channel", "promote", "Nightly", "1.0.0")
        #expect(unknownChannel.status == 66)
        #expect(unknownChannel.stderr.contains("no channel \"Nightly\"; known channels: Stable, Beta, Unstable"))

        let duplicate = try await cli.execute("channel", "promote", "Stable", "1.0.0")
        #expect(duplicate.status == 67)

        let unknownRelease = try await cli.execute("release", "show", "7.7.7")
        #expect(unknownRelease.status == 66)

        #expect(try await cli.execute("release", "ls", "--output", "json").stdout == before)
    }

    @Test func aFileThatIsNotAStoreIsRefusedUntouched() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let path = try cli.write("notes.txt", "these are my notes, not a database\n")
        let result = try await cli.execute("release", "ls", "--store", path)
        #expect(result.status == 74)
        #expect(result.stderr.contains("is not a lockstep store"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "these are my notes, not a database\n")
    }

    @Test func importIsAllOrNothingAndExportRoundTrips() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        try cli.write("app.yaml", Self.manifest)
        let document = """
            defaults:
              manifestFile: app.yaml
            channels:
              - name: LTS
                description: long-term support
                semver: true
            releases:
              - version: 2.0.0
              - version: 2.1.0
                notes: adds invoices
              - version: 2.2.0
            promotions:
              - {channel: LTS, release: 2.0.0}
              - {channel: LTS, release: 2.1.0, required: true, notes: migrate invoices}
              - {channel: LTS, release: 2.2.0, demoted: true}
            """
        let path = try cli.write("history.yaml", document)
        let imported = try await cli.execute("catalog", "import", path)
        #expect(imported.status == 0, "\(imported.combined)")
        #expect(imported.stdout.contains("imported 3 releases and 3 promotions"))

        let exported = try await cli.execute("catalog", "export", "--channel", "LTS", "--format", "json")
        #expect(exported.status == 0)
        let again = try LockstepCLI()
        defer { again.removeFolder() }
        let exportPath = try again.write("export.json", exported.stdout)
        #expect(try again.run("catalog", "import", exportPath).status == 0)
        #expect(try again.run("catalog", "export", "--channel", "LTS", "--format", "json").stdout == exported.stdout)

        // A bad version in the middle: nothing at all is imported.
        let broken = try cli.write(
            "broken.yaml",
            document.replacingOccurrences(of: "2.0.0", with: "3.0.0").replacingOccurrences(of: "2.1.0", with: "3.x").replacingOccurrences(
                of: "2.2.0",
                with: "3.2.0"
            ).replacingOccurrences(of: "name: LTS", with: "name: LTS2").replacingOccurrences(of: "channel: LTS", with: "channel: LTS2")
        )
        let refused = try await cli.execute("catalog", "import", broken)
        #expect(refused.status == 65, "\(refused.combined)")
        #expect(try await cli.execute("release", "show", "3.0.0").status == 66)
        #expect(try await cli.execute("channel", "show", "LTS2").status == 66)
    }
}
