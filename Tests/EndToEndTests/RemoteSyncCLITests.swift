import Foundation
import LockstepTestSupport
import Testing

/// Vendor and customer as two stores: the vendor publishes a signed repository, the
/// customer adds it as a remote, syncs and plans from the mirror (issue 15). Both run
/// in process (`LockstepCLI.execute`), but for the customer whose clock faketime moves.
@Suite("publish, remote add and sync")
struct RemoteSyncCLITests {
    struct PlanJSON: Decodable {
        struct Step: Decodable {
            let version: String
            let required: Bool
        }
        let steps: [Step]
    }

    struct Parties {
        let vendor: LockstepCLI
        let customer: LockstepCLI
        var keys: String { vendor.folder.appendingPathComponent("keys").path }
        var repo: String { vendor.folder.appendingPathComponent("repo").path }

        func publish() async throws {
            let published = try await vendor.execute("publish", "--keys", keys, "--out", repo)
            #expect(published.status == 0, "\(published.combined)")
        }

        func plannedVersions() async throws -> [String] {
            let plan = try await customer.execute("plan", "--to", "latest", "--output", "json")
            #expect(plan.status == 0, "\(plan.combined)")
            return try JSONDecoder().decode(PlanJSON.self, from: Data(plan.stdout.utf8)).steps.map(\.version)
        }

        func remove() {
            vendor.removeFolder()
            customer.removeFolder()
        }
    }

    /// Stable: 1.0.0 … 1.5.0 with 1.2.0 and 1.4.0 required; published and synced.
    func parties() async throws -> Parties {
        let parties = Parties(vendor: try LockstepCLI(), customer: try LockstepCLI())
        let manifest = try parties.vendor.write("manifest.yaml", VendorCustomerCLITests.manifest)
        for minor in 0...5 {
            var arguments = ["release", "create", "--manifest", manifest, "--version", "1.\(minor).0", "--promote", "Stable"]
            if minor == 2 || minor == 4 { arguments.append("--required") }
            #expect(try await parties.vendor.execute(arguments: arguments).status == 0)
        }
        let initialized = try await parties.vendor.execute("repo", "init", "--keys", parties.keys, "--out", parties.repo)
        #expect(initialized.status == 0, "\(initialized.combined)")
        try await parties.publish()
        let added = try await parties.customer.execute("remote", "add", "acme", parties.repo, "--root", parties.repo + "/metadata/1.root.json")
        #expect(added.status == 0, "\(added.combined)")
        let synced = try await parties.customer.execute("sync", "acme")
        #expect(synced.status == 0, "\(synced.combined)")
        #expect(try await parties.customer.execute("install", "mark", "--channel", "acme/Stable", "--release", "1.0.0").status == 0)
        return parties
    }

    @Test func theCustomerPlansFromTheMirrorAndSeesTheVendorsNextChanges() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        #expect(try await parties.plannedVersions() == ["1.2.0", "1.4.0", "1.5.0"])
        let channels = try await parties.customer.execute("channel", "ls")
        #expect(channels.stdout.contains("acme/Stable"))

        // A demotion and a new required release reach the customer at the next sync.
        #expect(try await parties.vendor.execute("channel", "demote", "Stable", "1.4.0").status == 0)
        let manifest = try parties.vendor.write("manifest.yaml", VendorCustomerCLITests.manifest)
        #expect(
            try await parties.vendor.execute("release", "create", "--manifest", manifest, "--version", "1.6.0", "--promote", "Stable", "--required")
                .status == 0
        )
        try await parties.publish()
        let synced = try await parties.customer.execute("sync")
        #expect(synced.status == 0, "\(synced.combined)")
        #expect(try await parties.plannedVersions() == ["1.2.0", "1.6.0"])

        // An archived channel is withdrawn from the repository and from the mirror.
        #expect(try await parties.customer.execute("channel", "ls").stdout.contains("acme/Unstable"))
        #expect(try await parties.vendor.execute("channel", "archive", "Unstable").status == 0)
        try await parties.publish()
        #expect(try await parties.customer.execute("sync").status == 0)
        #expect(!(try await parties.customer.execute("channel", "ls").stdout.contains("acme/Unstable")))

        // Nothing new: only the timestamp moves.
        try await parties.publish()
        let again = try await parties.customer.execute("sync", "acme")
        #expect(again.stdout.contains("up to date"), "\(again.combined)")
    }

    @Test func upgradeSyncsTheRemoteFirstUnlessOffline() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let manifest = try parties.vendor.write("manifest.yaml", VendorCustomerCLITests.manifest)
        #expect(
            try await parties.vendor.execute("release", "create", "--manifest", manifest, "--version", "1.7.0", "--promote", "Stable").status == 0
        )
        try await parties.publish()
        let offline = try await parties.customer.execute("upgrade", "--dry-run", "--offline", "--channel", "acme/Stable", "--to", "latest")
        #expect(offline.status == 0, "\(offline.combined)")
        #expect(!offline.stdout.contains("1.7.0"))
        let online = try await parties.customer.execute("upgrade", "--dry-run", "--channel", "acme/Stable", "--to", "latest")
        #expect(online.status == 0, "\(online.combined)")
        #expect(online.stdout.contains("1.7.0"), "\(online.stdout)")
        let status = try await parties.customer.execute("status")
        #expect(status.stdout.contains("1.7.0"), "\(status.stdout)")
    }

    @Test func mirroredChannelsAreReadOnly() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let promoted = try await parties.customer.execute("channel", "promote", "acme/Stable", "1.5.0")
        #expect(promoted.status == 67)
        #expect(promoted.stderr.contains("read-only"))
        let demoted = try await parties.customer.execute("channel", "demote", "acme/Stable", "1.2.0")
        #expect(demoted.status == 67)
        let manifest = try parties.customer.write("manifest.yaml", VendorCustomerCLITests.manifest)
        let created = try await parties.customer.execute(
            "release",
            "create",
            "--manifest",
            manifest,
            "--version",
            "9.0.0",
            "--promote",
            "acme/Stable"
        )
        #expect(created.status == 67)
        #expect(try await parties.customer.execute("release", "show", "9.0.0").status == 66)
    }

    @Test func aTamperedTargetIsRefusedInOneLineAndTheMirrorIsUntouched() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        // Strip the required flags from the published channel file, as a mirror might.
        #expect(try await parties.vendor.execute("channel", "demote", "Stable", "1.5.0").status == 0)
        try await parties.publish()
        let channelDirectory = URL(fileURLWithPath: parties.repo + "/targets/channels")
        for file in try FileManager.default.contentsOfDirectory(atPath: channelDirectory.path) {
            let url = channelDirectory.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            try text.replacingOccurrences(of: "\"required\":true", with: "\"required\":false").write(to: url, atomically: true, encoding: .utf8)
        }
        let refused = try await parties.customer.execute("sync", "acme")
        #expect(refused.status == 76)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("channels/Stable.json exceeds the size cap"), "\(refused.stderr)")
        #expect(try await parties.plannedVersions() == ["1.2.0", "1.4.0", "1.5.0"])
    }

    @Test func aReplayedTimestampIsARollback() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let timestamp = URL(fileURLWithPath: parties.repo + "/metadata/timestamp.json")
        let old = try Data(contentsOf: timestamp)
        #expect(try await parties.vendor.execute("publish", "--keys", parties.keys, "--out", parties.repo, "--refresh-timestamp").status == 0)
        #expect(try await parties.customer.execute("sync", "acme").status == 0)
        try old.write(to: timestamp)
        let refused = try await parties.customer.execute("sync", "acme")
        #expect(refused.status == 76)
        #expect(refused.stderr.contains("rollback of timestamp from version 2 to 1"), "\(refused.stderr)")
    }

    @Test func anExpiredTimestampIsRefusedUnlessAcceptedAndTheOverrideIsInTheLedger() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        #expect(
            try await parties.vendor.execute(
                "publish",
                "--keys",
                parties.keys,
                "--out",
                parties.repo,
                "--refresh-timestamp",
                "--timestamp-expires",
                "60"
            )
            .status == 0
        )
        // Expiry is checked against the customer's clock: Debian's faketime moves it two
        // minutes ahead (installed by scripts/install-deps.sh).
        func later(_ arguments: String...) throws -> HostProcess.Output {
            try HostProcess.run("/usr/bin/faketime", ["-f", "+2m", LockstepCLI.binaryPath] + arguments, environment: parties.customer.environment)
        }
        let refused = try later("sync", "acme")
        #expect(refused.status == 76)
        #expect(refused.stderr.contains("timestamp metadata expired at"), "\(refused.stderr)")
        let accepted = try later("sync", "acme", "--accept-expired")
        #expect(accepted.status == 0, "\(accepted.combined)")
        #expect(accepted.stderr.contains("accepted expired timestamp metadata"))
        let ledger = try await parties.customer.execute("ledger", "ls")
        #expect(ledger.stdout.contains("sync-accepted-expired"), "\(ledger.combined)")
    }
}
