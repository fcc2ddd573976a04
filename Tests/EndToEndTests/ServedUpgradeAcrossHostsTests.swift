import Foundation
import LockstepTestSupport
import Testing

/// DESIGN section 10 and issue 15's end-to-end case: the vendor's host serves its
/// published repository with `lockstep serve` on 198.51.100.1; the customer's host, a
/// namespace of its own, adds it as a remote, and `upgrade` syncs over that link, walks
/// the required release with real podman containers running in the customer's namespace
/// (podman through `nsenter --net`, as the design says), and the app answers there.
/// The vendor's serve is also a witness: each upgrade ends with the customer's
/// checkpoint cosigned by it (DESIGN section 13).
@Suite("upgrade across hosts from lockstep serve", .serialized)
struct ServedUpgradeAcrossHostsTests {
    static func manifest(_ version: String) -> String {
        """
        name: shop
        components:
          - name: migrate
            containers:
              - source: public
                image_name: lockstep-test/busybox
                name: migrate
                version: "1"
                ephemeral: true
                cmd: ["sh", "-c", "echo migrating to \(version)"]
                publish_events:
                  - name: migration finished
                    trigger: container-stop
                    timeout: 60
                    subscriptions:
                      - component: web
                        container: web
                        action: start
          - name: web
            containers:
              - source: public
                image_name: lockstep-test/busybox
                name: web
                version: "1"
                stop_timeout: 1
                cmd: ["sh", "-c", "mkdir -p /www && echo 'shop \(version)' > /www/index.html; trap 'kill $child; exit 0' TERM; httpd -f -p 127.0.0.1:8081 -h /www & child=$!; wait $child"]
        """
    }

    @Test func theCustomerUpgradesThroughTheVendorsServe() async throws {
        guard geteuid() == 0 else { throw HostSetupError("network namespaces need root (CI runs as root)") }
        try await TestImages.ensure(.busybox)
        let hosts = try NetworkSyncTests.Hosts.make()
        defer { hosts.remove() }
        let vendor = try LockstepCLI()
        let customer = try LockstepCLI()
        let install = "served-\(UUID().uuidString.prefix(8).lowercased())"
        defer {
            if let podman = UpgradeScenario.podmanPath,
                let listed = try? HostProcess.run(podman, ["ps", "-aq", "--filter", "label=io.lockstep.install=\(install)"])
            {
                let ids = listed.stdout.split(whereSeparator: \.isNewline).map(String.init)
                if !ids.isEmpty { _ = try? HostProcess.run(podman, ["rm", "-f", "-t", "0"] + ids) }
            }
            vendor.removeFolder()
            customer.removeFolder()
        }
        for (version, required) in [("1.0.0", false), ("1.1.0", true), ("1.2.0", false)] {
            let path = try vendor.write("shop-\(version).yaml", Self.manifest(version))
            let created = try vendor.run(
                arguments: ["release", "create", "--manifest", path, "--version", version, "--promote", "Stable"] + (required ? ["--required"] : [])
            )
            #expect(created.status == 0, "\(created.combined)")
        }
        let keys = vendor.folder.appendingPathComponent("keys").path
        let repo = vendor.folder.appendingPathComponent("repo").path
        #expect(try vendor.run("repo", "init", "--keys", keys, "--out", repo).status == 0)
        #expect(try vendor.run("publish", "--keys", keys, "--out", repo).status == 0)

        let accessLog = vendor.folder.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: accessLog.path, contents: nil)
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        let witnessKey = vendor.folder.appendingPathComponent("witness/witness.key").path
        serve.arguments = [
            "netns", "exec", hosts.vendor, LockstepCLI.binaryPath, "serve", repo, "--listen", "198.51.100.1:8080", "--witness-key", witnessKey,
        ]
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = try FileHandle(forWritingTo: accessLog)
        try serve.run()
        defer {
            serve.terminate()
            serve.waitUntilExit()
        }

        func inCustomerHost(_ executable: String, _ arguments: [String]) throws -> HostProcess.Output {
            try HostProcess.run(
                "/usr/bin/nsenter",
                ["--net=/run/netns/\(hosts.customer)", executable] + arguments,
                environment: customer.environment
            )
        }
        func onCustomer(_ arguments: String...) throws -> HostProcess.Output {
            try inCustomerHost(LockstepCLI.binaryPath, arguments)
        }
        var answered = false
        for _ in 0..<100 where !answered {
            answered = try inCustomerHost("/usr/bin/curl", ["-sf", "-o", "/dev/null", "http://198.51.100.1:8080/metadata/1.root.json"]).status == 0
            if !answered { usleep(50_000) }
        }
        #expect(answered, "lockstep serve never answered on the vendor's host")

        let root = try customer.write("root.json", try String(contentsOfFile: repo + "/metadata/1.root.json", encoding: .utf8))
        #expect(try onCustomer("remote", "add", "acme", "http://198.51.100.1:8080", "--root", root).status == 0)
        let witness = try #require(
            try String(contentsOf: accessLog, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("witness key ") }?.dropFirst(12)
        )
        let checkpoints = customer.folder.appendingPathComponent("keys/checkpoints").path
        /// The newest note of the checkpoints file, as Go's sumdb/note opens it with the witness's key alone.
        func newestCheckpointOpenedWithTheWitnessKey() throws -> HostProcess.Output {
            let parts = try String(contentsOfFile: checkpoints, encoding: .utf8).components(separatedBy: "\n\n")
            let note = try customer.write("newest.checkpoint", parts.dropLast().last.map { $0 + "\n\n" + parts.last! } ?? "")
            return try GoLedgerVerifier.run(["note", String(witness), note])
        }

        let installed = try onCustomer("upgrade", "--channel", "acme/Stable", "--install", install, "--to", "1.0.0", "--network", "host")
        #expect(installed.status == 0, "\(installed.combined)")
        #expect(installed.stderr.contains("acme: checkpoint of "), "\(installed.stderr)")
        let firstCosigned = try newestCheckpointOpenedWithTheWitnessKey()
        #expect(firstCosigned.status == 0, "\(firstCosigned.combined)")
        let upgraded = try onCustomer("upgrade", "--install", install, "--to", "latest")
        #expect(upgraded.status == 0, "\(upgraded.combined)")
        let secondCosigned = try newestCheckpointOpenedWithTheWitnessKey()
        #expect(secondCosigned.status == 0, "\(secondCosigned.combined)")
        // The second cosignature is of a longer log; the ledger verifies against the newest checkpoint.
        let sizes = [firstCosigned, secondCosigned].compactMap { Int($0.stdout.split(separator: " ").dropFirst().first ?? "") }
        #expect(sizes.count == 2 && sizes[0] < sizes[1], "\(sizes)")
        #expect(try onCustomer("ledger", "verify").status == 0)

        // The app runs in the customer's namespace, and only there.
        let answer = try inCustomerHost("/usr/bin/curl", ["-s", "http://127.0.0.1:8081/"])
        #expect(answer.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "shop 1.2.0", "\(answer.combined)")
        let migrations = try onCustomer("ledger", "ls", "--install", install, "--kind", "run", "--component", "migrate", "--output", "json")
        for version in ["1.0.0", "1.1.0", "1.2.0"] {
            #expect(migrations.stdout.contains("\"\(version)\""), "the migration of \(version) is in the ledger: \(migrations.stdout)")
        }
        // What crossed the link: the customer's requests, in serve's access log.
        let log = try String(contentsOf: accessLog, encoding: .utf8)
        #expect(log.contains("198.51.100.2") && log.contains("/metadata/timestamp.json"), "\(log)")
    }
}
