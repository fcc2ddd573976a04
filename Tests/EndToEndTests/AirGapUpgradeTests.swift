import Foundation
import LockstepTestSupport
import Testing

/// Issue 11 end to end: a customer host with no network at all (a namespace holding only
/// a loopback interface; podman through `nsenter --net`, DESIGN section 10) receives two
/// bundles made from the vendor's published repository, images included: the first
/// install, then the path to latest. `upgrade --offline` walks both required releases
/// with real PostgreSQL migrations (psql in its container) and the app answers there.
@Suite("air-gapped upgrade from bundles", .serialized)
struct AirGapUpgradeTests {
    static func podman(_ arguments: [String]) throws -> HostProcess.Output {
        try HostProcess.run("/usr/bin/podman", arguments)
    }

    /// The demo's manifest for one release, with the images renamed to references only
    /// this test uses, so that they can be absent from the engine before the import.
    static func manifest(version: String, sql: String, imagePrefix: String) throws -> String {
        let template = try String(
            contentsOf: TestImages.repositoryRoot.appendingPathComponent("examples/demo/inventory.yaml.in"),
            encoding: .utf8
        )
        return
            template
            .replacingOccurrences(of: "__VERSION__", with: version)
            .replacingOccurrences(of: "__SQL__", with: sql)
            .replacingOccurrences(of: "__DB_PORT__", with: "55432")
            .replacingOccurrences(of: "__WEB_PORT__", with: "58080")
            .replacingOccurrences(of: "image_name: lockstep-test/", with: "image_name: \(imagePrefix)/")
    }

    @Test func bundlesCarryTheWholePathToAHostWithNoNetwork() async throws {
        guard geteuid() == 0 else { throw HostSetupError("network namespaces need root (CI runs as root)") }
        try await TestImages.ensure(.busybox, .psql, .postgres)
        let tag = UUID().uuidString.lowercased().prefix(8)
        let prefix = "localhost/lockstep-airgap-\(tag)"
        let copies = [
            (TestImages.busybox, "\(prefix)/busybox:1"), (TestImages.psql, "\(prefix)/psql:1"),
            (TestImages.postgres, "\(prefix)/postgres:15"),
        ]
        for (shared, copy) in copies {
            #expect(try Self.podman(["tag", shared, copy]).status == 0)
        }
        let host = "lsa-\(tag)"
        #expect(try HostProcess.run("/usr/sbin/ip", ["netns", "add", host]).status == 0)
        #expect(try HostProcess.run("/usr/sbin/ip", ["-n", host, "link", "set", "lo", "up"]).status == 0)
        let vendor = try LockstepCLI()
        let customer = try LockstepCLI()
        let install = "airgap-\(tag)"
        defer {
            if let listed = try? Self.podman(["ps", "-aq", "--filter", "label=io.lockstep.install=\(install)"]) {
                let ids = listed.stdout.split(whereSeparator: \.isNewline).map(String.init)
                if !ids.isEmpty { _ = try? Self.podman(["rm", "-f", "-t", "0"] + ids) }
            }
            for (_, copy) in copies { _ = try? Self.podman(["untag", copy, copy]) }
            _ = try? HostProcess.run("/usr/sbin/ip", ["netns", "del", host])
            vendor.removeFolder()
            customer.removeFolder()
        }

        // The vendor: the demo's releases, 1.2.0 and 1.4.0 required, published and bundled.
        let table = try String(contentsOf: TestImages.repositoryRoot.appendingPathComponent("examples/demo/migrations.tsv"), encoding: .utf8)
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2).map(String.init)
            let path = try vendor.write("inventory-\(fields[0]).yaml", try Self.manifest(version: fields[0], sql: fields[2], imagePrefix: prefix))
            let created = try vendor.run(
                arguments: ["release", "create", "--manifest", path, "--version", fields[0], "--promote", "Stable"]
                    + (fields[1] == "yes" ? ["--required"] : [])
            )
            #expect(created.status == 0, "\(created.combined)")
        }
        let keys = vendor.folder.appendingPathComponent("keys").path
        let repo = vendor.folder.appendingPathComponent("repo").path
        #expect(try vendor.run("repo", "init", "--keys", keys, "--out", repo).status == 0)
        #expect(try vendor.run("publish", "--keys", keys, "--out", repo).status == 0)
        let firstInstall = vendor.folder.appendingPathComponent("install-1.0.0.tar").path
        let toLatest = vendor.folder.appendingPathComponent("1.0.0-to-latest.tar").path
        for (file, range) in [(firstInstall, ["--to", "1.0.0"]), (toLatest, ["--from", "1.0.0", "--to", "latest"])] {
            let created = try vendor.run(
                arguments: ["bundle", "create", "--repo", repo, "--channel", "Stable", "--images", "--keys", keys, "--out", file] + range
            )
            #expect(created.status == 0, "\(created.combined)")
        }

        // The customer's engine knows none of the references until a bundle brings them.
        for (_, copy) in copies {
            #expect(try Self.podman(["untag", copy, copy]).status == 0)
            #expect(try Self.podman(["image", "exists", copy]).status != 0)
        }
        func onAirGappedHost(_ arguments: String...) throws -> HostProcess.Output {
            try HostProcess.run(
                "/usr/bin/nsenter",
                ["--net=/run/netns/\(host)", LockstepCLI.binaryPath] + arguments,
                environment: customer.environment
            )
        }
        let root = try customer.write("root.json", try String(contentsOfFile: repo + "/metadata/1.root.json", encoding: .utf8))
        #expect(try onAirGappedHost("remote", "add", "acme", "--root", root).status == 0)
        let first = try onAirGappedHost("bundle", "import", firstInstall, "--remote", "acme")
        #expect(first.status == 0, "\(first.combined)")
        #expect(first.combined.contains("the timestamp's expiry is not enforced for bundles"), "\(first.combined)")
        for (_, copy) in copies {
            #expect(try Self.podman(["image", "exists", copy]).status == 0, "\(copy) loaded by the import")
        }
        let installed = try onAirGappedHost(
            "upgrade",
            "--channel",
            "acme/Stable",
            "--install",
            install,
            "--to",
            "1.0.0",
            "--network",
            "host",
            "--offline",
            "--set",
            "db_password=air@gap/:%-\(tag)"
        )
        #expect(installed.status == 0, "\(installed.combined)")
        let second = try onAirGappedHost("bundle", "import", toLatest, "--remote", "acme")
        #expect(second.status == 0, "\(second.combined)")
        let upgraded = try onAirGappedHost("upgrade", "--install", install, "--to", "latest", "--offline")
        #expect(upgraded.status == 0, "\(upgraded.combined)")

        let answer = try HostProcess.run("/usr/bin/nsenter", ["--net=/run/netns/\(host)", "/usr/bin/curl", "-s", "http://127.0.0.1:58080/"])
        #expect(answer.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "inventory 1.5.0", "\(answer.combined)")
        let migrations = try onAirGappedHost("ledger", "ls", "--install", install, "--kind", "run", "--component", "migrate", "--output", "json")
        for version in ["1.0.0", "1.2.0", "1.4.0", "1.5.0"] {
            #expect(migrations.stdout.contains("\"\(version)\""), "the migration of \(version) ran: \(migrations.stdout)")
        }
        #expect(!migrations.stdout.contains("\"1.1.0\"") && !migrations.stdout.contains("\"1.3.0\""), "only the path's releases ran")
    }
}
