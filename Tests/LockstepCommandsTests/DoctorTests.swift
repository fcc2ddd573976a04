import Foundation
import LockstepTestSupport
import Testing

/// `lockstep doctor` against this machine's podman and containers.conf, a real
/// store made by the CLI and a real key file; then against broken ones. The commands run
/// in process (`LockstepCLI.execute`), but for the one whose clock faketime moves.
@Suite("lockstep doctor", .serialized)
struct DoctorTests {
    /// A store made by `lockstep channel ls`, a 0600 key file and a 0600 TUF key.
    func healthySession() async throws -> (cli: LockstepCLI, key: String, tufKeys: String) {
        let cli = try LockstepCLI()
        let listed = try await cli.execute("channel", "ls")
        #expect(listed.status == 0, "\(listed.combined)")
        let key = try cli.write("keys/ledger.key", "PRIVATE+KEY+test+00000000+AAAA\n")
        let tufKey = try cli.write("tuf/root.key", "{}\n")
        #expect(chmod(key, 0o600) == 0 && chmod(tufKey, 0o600) == 0)
        return (cli, key, cli.folder.appendingPathComponent("tuf").path)
    }

    @Test func thisMachinePassesEveryCheck() async throws {
        let (cli, key, tufKeys) = try await healthySession()
        defer { cli.removeFolder() }
        let run = try await cli.execute("doctor", "--ledger-key", key, "--tuf-keys", tufKeys)
        #expect(run.status == 0, "\(run.combined)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for name in [
            "engine", "engine runtime", "containers.conf runtime", "containers.conf ulimits", "store", "store mode", "store schema", "store pages",
            "ledger", "ledger key", "TUF key root.key", "remotes",
        ] {
            #expect(lines.contains { $0.hasPrefix("pass  \(name): ") }, "\(name): \(run.stdout)")
        }
        #expect(lines.contains { $0.hasPrefix("pass  engine: podman ") })
        #expect(lines.contains("pass  engine runtime: podman uses runc"))
        #expect(lines.contains { $0.hasPrefix("pass  remotes: none") })
        #expect(!run.stdout.contains("FAIL"))
        #expect(lines.last?.hasPrefix("all ") == true && lines.last?.hasSuffix(" checks pass") == true, "\(run.stdout)")
    }

    @Test func remotesAreReachableAndFreshOrNamedWithTheirFix() async throws {
        let (cli, key, _) = try await healthySession()
        defer { cli.removeFolder() }
        let manifest = try cli.write("m.yaml", TestManifests.busyboxWeb())
        #expect(try await cli.execute("release", "create", "--manifest", manifest, "--version", "1.0.0", "--promote", "Stable").status == 0)
        let keys = cli.folder.appendingPathComponent("vendor-keys").path
        let repo = cli.folder.appendingPathComponent("repo").path
        #expect(try await cli.execute("repo", "init", "--keys", keys, "--out", repo).status == 0)
        #expect(try await cli.execute("publish", "--keys", keys, "--out", repo).status == 0)
        #expect(try await cli.execute("remote", "add", "acme", repo, "--root", repo + "/metadata/1.root.json").status == 0)
        #expect(try await cli.execute("remote", "add", "gone", "http://127.0.0.1:9/", "--root", repo + "/metadata/1.root.json").status == 0)
        #expect(try await cli.execute("sync", "acme").status == 0)

        let fresh = try await cli.execute("doctor", "--ledger-key", key)
        #expect(fresh.stdout.contains("pass  remote acme reachable: \(repo) answers"), "\(fresh.stdout)")
        #expect(fresh.stdout.contains("pass  remote acme metadata: fresh; timestamp metadata expires at "), "\(fresh.stdout)")
        #expect(fresh.stdout.contains("FAIL  remote gone reachable: http://127.0.0.1:9/"), "\(fresh.stdout)")
        #expect(fresh.stdout.contains("FAIL  remote gone metadata: never synced\n      fix: `lockstep sync gone`"), "\(fresh.stdout)")
        #expect(fresh.status == 1)

        // Two days on (Debian's faketime moves the clock of this one process), the one-day timestamp has expired.
        let stale = try HostProcess.run(
            "/usr/bin/faketime",
            ["-f", "+2d", LockstepCLI.binaryPath, "doctor", "--ledger-key", key],
            environment: cli.environment
        )
        #expect(stale.stdout.contains("FAIL  remote acme metadata: timestamp metadata expired at "), "\(stale.stdout)")
        #expect(stale.stdout.contains("fix: `lockstep sync acme`; if it is still expired"), "\(stale.stdout)")
    }

    @Test func aBrokenConfigurationNamesEachProblemWithItsFix() async throws {
        let (cli, _, _) = try await healthySession()
        defer { cli.removeFolder() }
        #expect(chmod(cli.storePath, 0o644) == 0)
        let conf = try cli.write("containers.conf", "[engine]\nruntime = \"crun\"\n[containers]\ndefault_ulimits = [\"nofile=1024:1024\"]\n")
        let missingKey = cli.folder.appendingPathComponent("lost/ledger.key").path
        let checkpoints = try cli.write("lost/checkpoints", "signed checkpoints\n")
        let openKey = try cli.write("tuf/targets.key", "{}\n")
        #expect(chmod(openKey, 0o644) == 0)
        let run = try await cli.execute(
            "doctor",
            "--ledger-key",
            missingKey,
            "--tuf-keys",
            cli.folder.appendingPathComponent("tuf").path,
            "--containers-conf",
            conf
        )
        #expect(run.status == 1, "\(run.combined)")
        let out = run.stdout
        #expect(
            out.contains("FAIL  store mode: 0644; the store holds the journal and ledger and must be 0600\n      fix: chmod 600 \(cli.storePath)"),
            "\(out)"
        )
        #expect(
            out.contains("FAIL  ledger key: no key at \(missingKey), but \(checkpoints) holds checkpoints signed with one\n      fix: "),
            "\(out)"
        )
        #expect(
            out.contains("FAIL  TUF key targets.key: \(openKey) is 0644; others can read a private key\n      fix: chmod 600 \(openKey)"),
            "\(out)"
        )
        #expect(out.contains("FAIL  containers.conf runtime: \(conf) does not set runtime = \"runc\" under [engine]"), "\(out)")
        #expect(out.contains("FAIL  containers.conf ulimits: default_ulimits in \(conf) lacks nproc=1024:1024"), "\(out)")
        #expect(out.contains("pass  store schema: "), "what holds still passes: \(out)")
        #expect(run.stderr.contains("doctor: 5 of "), "\(run.stderr)")
        #expect(fileMode(cli.storePath) == 0o644, "doctor changes nothing")
    }

    @Test func noKeyYetBeforeTheFirstUpgradeIsNoProblem() async throws {
        let (cli, _, _) = try await healthySession()
        defer { cli.removeFolder() }
        let fresh = cli.folder.appendingPathComponent("fresh/ledger.key").path
        let run = try await cli.execute("doctor", "--ledger-key", fresh)
        #expect(run.status == 0, "\(run.combined)")
        #expect(run.stdout.contains("pass  ledger key: none yet at \(fresh); the first upgrade creates it"), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: fresh), "doctor creates no key")
    }

    @Test func noStoreIsAFailureAndNoneIsCreated() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let run = try await cli.execute("doctor", "--ledger-key", "/nonexistent/ledger.key")
        #expect(run.status == 1, "\(run.combined)")
        #expect(run.stdout.contains("FAIL  store: no store at \(cli.storePath)"), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: cli.storePath))
    }

    @Test func aStoreThatIsNotSQLiteIsNamed() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        try cli.write("store.sqlite", String(repeating: "not a database\n", count: 100))
        #expect(chmod(cli.storePath, 0o600) == 0)
        let run = try await cli.execute("doctor", "--ledger-key", "/nonexistent/ledger.key")
        #expect(run.status == 74, "an unreadable store is the store's exit code: \(run.combined)")
        #expect(run.stdout.contains("FAIL  store pages: "), "\(run.stdout)")
        #expect(run.stderr.contains("is corrupt"), "\(run.stderr)")
    }

    private func fileMode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }
}
