import Foundation
import LockstepTestSupport
import Testing

/// `--db-lock`: two hosts (two stores) upgrading installations that share one
/// database never run their migrations at the same time.
@Suite("upgrade --db-lock", .serialized)
struct DatabaseLockTests {
    /// A root container publishes postgres-ready for the shared host database; the
    /// migration records when it ran, sleeping in between so that overlaps would show.
    static func manifest(host: String, port: Int, password: String) -> String {
        """
        name: shared-db
        config:
          - name: database
            items:
              - name: db_password
                type: password
                required: true
        components:
          - name: gate
            containers:
              - source: public
                image_name: lockstep-test/busybox
                name: gate
                version: "1"
                cmd: ["sleep", "600"]
                stop_timeout: 1
                publish_events:
                  - name: database accepts writes
                    trigger: postgres-ready
                    data: 'postgresql://postgres:{{repl ConfigOption "db_password"}}@127.0.0.1:\(port)/postgres'
                    timeout: 60
                    subscriptions:
                      - component: migrate
                        container: migrate
                        action: start
          - name: migrate
            containers:
              - source: public
                image_name: lockstep-test/psql
                name: migrate
                version: "1"
                ephemeral: true
                cmd: ["sh", "-c", "psql -X -v ON_ERROR_STOP=1 -c \\"INSERT INTO migration_log VALUES ('\(host)', clock_timestamp(), NULL)\\" -c 'SELECT pg_sleep(2)' -c \\"UPDATE migration_log SET finished = clock_timestamp() WHERE host = '\(host)'\\""]
                env_vars:
                  - name: PGHOST
                    static_val: 127.0.0.1
                  - name: PGPORT
                    static_val: "\(port)"
                  - name: PGUSER
                    static_val: postgres
                  - name: PGPASSWORD
                    value: '{{repl ConfigOption "db_password"}}'
                  - name: PGDATABASE
                    static_val: postgres
        """
    }

    struct Host {
        let cli: LockstepCLI
        let installation: String
    }

    func host(_ name: String, cluster: PostgresCluster) throws -> Host {
        let cli = try LockstepCLI()
        let manifest = try cli.write("app.yaml", Self.manifest(host: name, port: cluster.port, password: cluster.superuserPassword))
        let created = try cli.run("release", "create", "--manifest", manifest, "--version", "1.0.0", "--promote", "Stable")
        #expect(created.status == 0, "\(created.combined)")
        try cli.write("values.yaml", "db_password: \"\(cluster.superuserPassword)\"\n")
        return Host(cli: cli, installation: "dblock-\(name)-\(UUID().uuidString.prefix(6).lowercased())")
    }

    /// Runs both hosts' installs at once; returns whether their migrations overlapped.
    func migrationsOverlap(databaseLock: Bool) async throws -> Bool {
        try await TestImages.ensure(.busybox, .psql)
        let cluster = try await PostgresCluster.start()
        do {
            let overlapped = try await migrationsOverlap(databaseLock: databaseLock, cluster: cluster)
            await cluster.stop()
            return overlapped
        } catch {
            await cluster.stop()
            throw error
        }
    }

    func migrationsOverlap(databaseLock: Bool, cluster: PostgresCluster) async throws -> Bool {
        _ = try await cluster.psql("CREATE TABLE migration_log (host text PRIMARY KEY, started timestamptz NOT NULL, finished timestamptz)")
        let hosts = try [host("a", cluster: cluster), host("b", cluster: cluster)]
        defer {
            for host in hosts {
                _ = try? host.cli.run(arguments: ["ledger", "verify"])
                removeContainers(installation: host.installation)
                host.cli.removeFolder()
            }
        }
        let results = try await withThrowingTaskGroup(of: LockstepCLI.Output.self) { group in
            for host in hosts {
                var arguments = [
                    "upgrade", "--to", "1.0.0", "--install", host.installation, "--network", "host", "--config",
                    host.cli.folder.appendingPathComponent("values.yaml").path,
                ]
                if databaseLock { arguments.append("--db-lock") }
                group.addTask { try host.cli.run(arguments: arguments) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results {
            #expect(result.status == 0, "\(result.combined)")
            #expect(!result.combined.contains(cluster.superuserPassword))
        }
        let overlap = try await cluster.psql(
            """
            SELECT count(*) FROM migration_log a JOIN migration_log b ON a.host < b.host
            WHERE a.started < b.finished AND b.started < a.finished
            """
        )
        let finished = try await cluster.psql("SELECT count(*) FROM migration_log WHERE finished IS NOT NULL")
        #expect(finished.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        return overlap.trimmingCharacters(in: .whitespacesAndNewlines) != "0"
    }

    func removeContainers(installation: String) {
        _ = try? HostProcess.run(
            "/bin/sh",
            ["-c", "podman ps -aq --filter label=io.lockstep.install=\(installation) | xargs -r podman rm -f >/dev/null 2>&1"]
        )
    }

    @Test func withTheLockMigrationsOnOneDatabaseNeverOverlap() async throws {
        #expect(try await migrationsOverlap(databaseLock: true) == false)
    }

    @Test func withoutTheLockTheSameMigrationsDoOverlap() async throws {
        // The control: the test above could fail.
        #expect(try await migrationsOverlap(databaseLock: false) == true)
    }
}
