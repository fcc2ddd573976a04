import Foundation
import LockstepTestSupport
import Testing

extension UpgradeEndToEnd {
    /// The database password from the 0600 `--config` file is used by the database,
    /// the migration and the readiness probe, and shown nowhere else.
    @Suite("the config file's password stays secret")
    struct SecretTests {
        @Test("not in upgrade's output, the JSON report, the ledger export, nor the process list")
        func passwordNeverShows() async throws {
            try await UpgradeScenario.with("secret") { scenario in
                try await scenario.cutAll()
                let password = scenario.password

                let (installed, installSamples) = try await Self.sampling(password) {
                    try await scenario.upgrade("--to", "1.0.0", "--network", "host", "--config", scenario.configPath)
                }
                #expect(installed.status == 0, "\(installed.combined)")
                let (upgraded, upgradeSamples) = try await Self.sampling(password) {
                    try await scenario.upgrade("--to", "latest", "--db-lock", "--output", "json")
                }
                #expect(upgraded.status == 0, "\(upgraded.combined)")
                // The password did its work: PostgreSQL took it, the probe and the advisory lock
                // (--db-lock) connected with it, and every migration logged in with it.
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"])

                for output in [installed, upgraded] {
                    #expect(!output.stdout.contains(password))
                    #expect(!output.stderr.contains(password))
                }
                let report = try JSONDecoder().decode(UpgradeReportJSON.self, from: Data(upgraded.stdout.utf8))
                let migration = try #require(report.migrations.first)
                let masked = try #require(migration.environment["PGPASSWORD"], "redacted, not dropped: \(migration.environment)")
                #expect(!masked.isEmpty && masked.allSatisfy { $0 == "*" }, "masked: \(masked)")

                #expect(installSamples.count > 5 && upgradeSamples.count > 5, "ps was sampled while lockstep worked")
                #expect(installSamples.leaks.isEmpty, "in the process list: \(installSamples.leaks)")
                #expect(upgradeSamples.leaks.isEmpty, "in the process list: \(upgradeSamples.leaks)")

                let exported = try await scenario.lockstep(["ledger", "export", "--output", "json"])
                #expect(exported.status == 0, "\(exported.combined)")
                #expect(exported.stdout.contains("PGPASSWORD"), "the export holds the runs' environments")
                #expect(!exported.combined.contains(password))
                let listed = try await scenario.lockstep(["ledger", "ls", "--limit", "0", "--output", "csv"])
                #expect(!listed.combined.contains(password))
                // The demo pastes the password into its postgresql:// URL through UrlEncode:
                // that spelling must not show either.
                let encoded = try #require(
                    password.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
                )
                #expect(encoded != password)
                for output in [installed, upgraded, exported, listed] {
                    #expect(!output.combined.contains(encoded), "the URL-encoded password shows")
                }
            }
        }

        struct Samples {
            var count = 0
            var leaks: [String] = []
        }

        /// Runs `work` while sampling `ps -eo args` every few milliseconds.
        static func sampling(_ secret: String, _ work: @Sendable () async throws -> LockstepCLI.Output) async throws -> (LockstepCLI.Output, Samples)
        {
            guard let ps = ["/usr/bin/ps", "/bin/ps"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw ScenarioError("ps is not installed (apt-get install procps)")
            }
            let sampler = Task {
                var samples = Samples()
                while !Task.isCancelled {
                    if let listed = try? await PostgresCommand.run(ps, ["-eo", "args"]), listed.status == 0 {
                        samples.count += 1
                        samples.leaks += listed.stdout.split(whereSeparator: \.isNewline).filter { $0.contains(secret) }.map(String.init)
                    }
                    try? await Task.sleep(for: .milliseconds(10))
                }
                return samples
            }
            let output: LockstepCLI.Output
            do {
                output = try await work()
            } catch {
                sampler.cancel()
                throw error
            }
            sampler.cancel()
            return (output, await sampler.value)
        }
    }
}
