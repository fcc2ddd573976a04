import Crypto
import Foundation
import LockstepRunner
import LockstepRuntime
import LockstepTestSupport
import Testing

extension RunnerTests {
    /// A password config value reaches the containers' environment and nothing else:
    /// not the process list, the report, the failure, nor the runner's log lines.
    @Suite(.serialized) struct Secrets {
        @Test func aPasswordReachesTheContainersButNoOutput() async throws {
            try await RunnerFixture.with("secret") { fixture in
                let password = freshPassword()
                let digest = SHA256.hash(data: Data(password.utf8)).map { String(format: "%02x", $0) }.joined()
                // Compares a digest of its environment, so the check itself holds no secret.
                let checkEnvironment = #"test "$(printf %s "$PGPASSWORD" | sha256sum | cut -d' ' -f1)" = \#(digest)"#
                try await withShopDatabase(password: password) { cluster in
                    var release = ShopManifest(release: "A", database: .host(port: cluster.port), webPort: try PostgresCluster.freePort())
                    // psql also logs in with the password (scram-sha-256): it must be the real one.
                    release.migration = [
                        "sh", "-c",
                        "\(checkEnvironment) && sleep 1 && psql -X -v ON_ERROR_STOP=1 -c 'create table items (id int)' && echo password-ok",
                    ]
                    release.webEnvironment = ["PGPASSWORD": #"{{repl ConfigOption "db_password"}}"#]
                    let sampler = ProcessListSampler()
                    sampler.start()

                    let report = await fixture.apply(try render(release.yaml, values: ["db_password": password]), release: "A")
                    // The long-running app has it too.
                    let webChecked = try await fixture.engine.exec(fixture.name("web", "web"), ["sh", "-c", checkEnvironment])

                    // A failing release whose migration prints the password, then exits 4.
                    var leaky = release
                    leaky.release = "B"
                    leaky.migration = ["sh", "-c", #"echo "the password is $PGPASSWORD"; sleep 1; exit 4"#]
                    let failed = await fixture.apply(try render(leaky.yaml, values: ["db_password": password]), release: "B")
                    let processes = await sampler.stop()

                    #expect(report.succeeded, "\(summary(report))")
                    #expect(webChecked == 0, "the web container's PGPASSWORD is not the config value")
                    let migration = try #require(report.runs.first { $0.component == "migrate" })
                    #expect(migration.logTail.contains("password-ok"))
                    #expect(migration.environment["PGPASSWORD"] == "***")
                    #expect(report.runs.first { $0.component == "web" }?.environment["PGPASSWORD"] == "***")
                    #expect(try await cluster.psql("select to_regclass('public.items') is not null", database: ShopManifest.databaseName) == "t")

                    #expect(!failed.succeeded)
                    let failure = try #require(failed.failure)
                    #expect(failure.contains("exited 4"), "\(failure)")
                    let leakyRun = try #require(failed.runs.first { $0.component == "migrate" })
                    #expect(leakyRun.logTail.contains("the password is ***"), "\(leakyRun.logTail)")

                    for (label, applied) in [("first", report), ("failed", failed)] {
                        let json = String(decoding: try JSONEncoder().encode(applied), as: UTF8.self)
                        #expect(!json.contains(password), "the \(label) report holds the password")
                        for run in applied.runs {
                            #expect(!run.command.joined(separator: " ").contains(password))
                            #expect(!run.environment.values.contains { $0.contains(password) })
                            #expect(!run.logTail.contains(password))
                            #expect(!(run.detail ?? "").contains(password))
                        }
                    }
                    #expect(!failure.contains(password))

                    // The sampler saw the containers' processes, and never the password.
                    #expect(processes.samples > 10)
                    #expect(
                        processes.lines.contains { $0.contains("httpd -f -p 127.0.0.1:\(release.webPort)") },
                        "the app's process was never sampled"
                    )
                    #expect(processes.lines.contains { $0.contains("sha256sum") }, "the migration's process was never sampled")
                    let exposed = processes.lines.filter { $0.contains(password) }
                    #expect(exposed.isEmpty, "in the process list: \(exposed)")

                    let lines = fixture.logs.all
                    #expect(lines.contains { $0.contains("started") }, "the runner logged nothing: \(lines)")
                    let logged = lines.filter { $0.contains(password) }
                    #expect(logged.isEmpty, "logged: \(logged)")
                }
            }
        }
    }
}
