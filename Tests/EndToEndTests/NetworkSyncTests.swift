import Foundation
import LockstepTestSupport
import Testing

/// Two hosts (DESIGN section 10): a vendor network namespace serving the published
/// directory with nginx on 198.51.100.1, and a customer namespace on 198.51.100.2
/// that adds it as a remote over HTTP, syncs and plans. Nothing leaves the veth pair.
@Suite("sync across hosts from nginx", .serialized)
struct NetworkSyncTests {
    struct Hosts {
        let vendor: String
        let customer: String

        static func make() throws -> Hosts {
            let tag = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
            let hosts = Hosts(vendor: "lsv-\(tag)", customer: "lsc-\(tag)")
            try ip("netns", "add", hosts.vendor)
            try ip("netns", "add", hosts.customer)
            try ip("link", "add", "lsv\(tag)", "type", "veth", "peer", "name", "lsc\(tag)")
            try ip("link", "set", "lsv\(tag)", "netns", hosts.vendor)
            try ip("link", "set", "lsc\(tag)", "netns", hosts.customer)
            try ip("-n", hosts.vendor, "addr", "add", "198.51.100.1/24", "dev", "lsv\(tag)")
            try ip("-n", hosts.customer, "addr", "add", "198.51.100.2/24", "dev", "lsc\(tag)")
            for (host, device) in [(hosts.vendor, "lsv\(tag)"), (hosts.customer, "lsc\(tag)")] {
                try ip("-n", host, "link", "set", device, "up")
                try ip("-n", host, "link", "set", "lo", "up")
            }
            return hosts
        }

        func remove() {
            _ = try? HostProcess.run("/usr/sbin/ip", ["netns", "del", vendor])
            _ = try? HostProcess.run("/usr/sbin/ip", ["netns", "del", customer])
        }

        static func ip(_ arguments: String...) throws {
            let output = try HostProcess.run("/usr/sbin/ip", arguments)
            guard output.status == 0 else { throw HostSetupError("ip \(arguments.joined(separator: " ")): \(output.stderr)") }
        }
    }

    /// nginx as a plain process in the vendor's namespace, with its own configuration.
    static func startNginx(in host: String, serving root: String, folder: URL) throws -> Process {
        let config = folder.appendingPathComponent("nginx.conf")
        try """
        daemon off;
        master_process off;
        user root;
        pid \(folder.path)/nginx.pid;
        error_log \(folder.path)/error.log;
        events { worker_connections 64; }
        http {
            access_log \(folder.path)/access.log;
            client_body_temp_path \(folder.path)/body;
            proxy_temp_path \(folder.path)/proxy;
            fastcgi_temp_path \(folder.path)/fastcgi;
            uwsgi_temp_path \(folder.path)/uwsgi;
            scgi_temp_path \(folder.path)/scgi;
            default_type application/octet-stream;
            server {
                listen 198.51.100.1:8080;
                root \(root);
                autoindex off;
            }
        }
        """.write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", host, "/usr/sbin/nginx", "-c", config.path, "-p", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when it answers from the customer's side; nginx starts in milliseconds.
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: folder.path + "/nginx.pid") { usleep(20_000) }
        return process
    }

    /// nginx without a master process does not always act on SIGTERM; QUIT, then KILL.
    static func stop(_ process: Process) {
        for signal in [SIGQUIT, SIGKILL] where process.isRunning {
            kill(process.processIdentifier, signal)
            for _ in 0..<100 where process.isRunning { usleep(20_000) }
        }
        process.waitUntilExit()
    }

    @Test func theCustomerSyncsAndPlansFromTheVendorsNginx() throws {
        guard geteuid() == 0 else { throw HostSetupError("network namespaces need root (CI runs as root)") }
        let hosts = try Hosts.make()
        defer { hosts.remove() }
        let vendor = try LockstepCLI()
        let customer = try LockstepCLI()
        defer {
            vendor.removeFolder()
            customer.removeFolder()
        }
        let manifest = try vendor.write("manifest.yaml", VendorCustomerCLITests.manifest)
        for minor in 0...3 {
            var arguments = ["release", "create", "--manifest", manifest, "--version", "1.\(minor).0", "--promote", "Stable"]
            if minor == 2 { arguments.append("--required") }
            #expect(try vendor.run(arguments: arguments).status == 0)
        }
        let keys = vendor.folder.appendingPathComponent("keys").path
        let repo = vendor.folder.appendingPathComponent("repo").path
        #expect(try vendor.run("repo", "init", "--keys", keys, "--out", repo).status == 0)
        #expect(try vendor.run("publish", "--keys", keys, "--out", repo).status == 0)

        let nginx = try Self.startNginx(in: hosts.vendor, serving: repo, folder: vendor.folder)
        defer { Self.stop(nginx) }

        func onCustomer(_ arguments: String...) throws -> HostProcess.Output {
            try HostProcess.run(
                "/usr/sbin/ip",
                ["netns", "exec", hosts.customer, LockstepCLI.binaryPath] + arguments,
                environment: customer.environment
            )
        }
        let root = try customer.write("root.json", try String(contentsOfFile: repo + "/metadata/1.root.json", encoding: .utf8))
        #expect(try onCustomer("remote", "add", "acme", "http://198.51.100.1:8080", "--root", root).status == 0)
        let synced = try onCustomer("sync", "acme")
        #expect(synced.status == 0, "\(synced.combined)")
        #expect(try onCustomer("install", "mark", "--channel", "acme/Stable", "--release", "1.0.0").status == 0)
        let plan = try onCustomer("plan", "--to", "latest")
        #expect(plan.status == 0, "\(plan.combined)")
        #expect(plan.stdout.contains("1.2.0") && plan.stdout.contains("1.3.0"), "\(plan.stdout)")

        // Nothing new: the customer reads timestamp.json (and asks for a next root), nothing else
        // but the offer of its ledger checkpoint to a witness, which nginx does not have (404, no warning).
        let log = vendor.folder.appendingPathComponent("access.log")
        let before = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count
        #expect(try vendor.run("publish", "--keys", keys, "--out", repo, "--refresh-timestamp").status == 0)
        let again = try onCustomer("sync", "acme")
        #expect(again.stdout.contains("up to date"), "\(again.combined)")
        let requests = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").dropFirst(before)
        #expect(
            requests.allSatisfy {
                $0.contains("GET /metadata/timestamp.json") || $0.contains("GET /metadata/2.root.json")
                    || $0.contains("POST /witness/add-checkpoint HTTP/1.1\" 404")
            },
            "\(requests)"
        )
        #expect(!again.stderr.contains("warning"), "\(again.stderr)")
        #expect(requests.contains { $0.contains("GET /metadata/timestamp.json") && $0.contains("198.51.100.2") })

        // The server is no path around verification: a tampered file served by nginx is refused.
        #expect(try vendor.run("channel", "demote", "Stable", "1.3.0").status == 0)
        #expect(try vendor.run("publish", "--keys", keys, "--out", repo).status == 0)
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: repo + "/metadata").filter { $0.hasSuffix(".targets.json") }.sorted()
        let newest = repo + "/metadata/" + snapshots.last!
        try String(contentsOfFile: newest, encoding: .utf8).replacingOccurrences(of: "\"version\":2", with: "\"version\":3").write(
            toFile: newest,
            atomically: true,
            encoding: .utf8
        )
        let refused = try onCustomer("sync", "acme")
        #expect(refused.status == 76, "\(refused.combined)")
        #expect(try onCustomer("plan", "--to", "latest").stdout.contains("1.3.0"))
    }
}

struct HostSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
