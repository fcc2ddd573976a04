import Foundation
import LockstepRuntime
import LockstepTestSupport
import Testing

extension PodmanTests {
    /// The database as vendors ship it, and a migration container talking to
    /// it: the runner's classic scenario, piece by piece.
    @Suite(.serialized) struct PostgresImage {
        static let psql = "/usr/lib/postgresql/15/bin/psql"
        static let password = "pw-Ex4mple!"

        @Test func databaseContainerAcceptsWritesAndAMigrationContainerReachesIt() async throws {
            try await Podman.withEngine(.postgres, .psql) { engine in
                let port = try PostgresCluster.freePort()
                var db = Podman.spec("db", image: TestImages.postgres)
                db.network = .host
                db.environment = [
                    EnvironmentVariable("POSTGRES_PASSWORD", Self.password),
                    EnvironmentVariable("POSTGRES_USER", "app"),
                    EnvironmentVariable("POSTGRES_DB", "app"),
                    EnvironmentVariable("PGPORT", String(port)),
                ]
                db.stopTimeout = 10
                _ = try await engine.create(db)
                try await engine.start(db.name)

                // The host's psql, over TCP to 127.0.0.1, as the app would connect.
                let url = "postgresql://app@127.0.0.1:\(port)/app"
                let connected = try await Podman.eventually(within: 60) { () -> Bool? in
                    let result = try Podman.host(
                        Self.psql,
                        [url, "-XAtc", "select 1"],
                        environment: ["PGPASSWORD": Self.password, "PGCONNECT_TIMEOUT": "2"]
                    )
                    return result.status == 0 && result.output.contains("1") ? true : nil
                }
                let dbLogs = try await engine.logs(db.name, tail: 30)
                #expect(connected == true, "postgres never accepted connections; logs: \(dbLogs)")
                let create = try Podman.host(
                    Self.psql,
                    [url, "-X", "-v", "ON_ERROR_STOP=1", "-c", "create table items(id int primary key)"],
                    environment: ["PGPASSWORD": Self.password]
                )
                #expect(create.status == 0, "\(create.output)")

                // A migration container: the psql image, host networking, the URL (with password) in its env.
                var migrate = Podman.spec(
                    "migrate",
                    image: TestImages.psql,
                    command: [
                        "sh", "-c", "psql \"$DATABASE_URL\" -X -v ON_ERROR_STOP=1 -Atc 'insert into items values (42); select count(*) from items'",
                    ]
                )
                migrate.network = .host
                migrate.environment = [EnvironmentVariable("DATABASE_URL", "postgresql://app:\(Self.password)@127.0.0.1:\(port)/app")]
                _ = try await engine.create(migrate)
                try await engine.start(migrate.name)
                let status = try await engine.wait(migrate.name)
                let logs = try await engine.logs(migrate.name)
                #expect(status == 0, "migration container: \(logs)")
                #expect(logs.contains("INSERT 0 1") || logs.split(separator: "\n").contains("1"))
                #expect(!logs.contains(Self.password))

                let check = try Podman.host(Self.psql, [url, "-XAtc", "select id from items"], environment: ["PGPASSWORD": Self.password])
                #expect(check.output.trimmingCharacters(in: .whitespacesAndNewlines) == "42")

                // Server-side timezone data comes from the image's /usr/share/zoneinfo.
                let tz = try Podman.host(
                    Self.psql,
                    [url, "-XAtc", "select now() at time zone 'Europe/Paris' is not null"],
                    environment: ["PGPASSWORD": Self.password]
                )
                #expect(tz.output.hasPrefix("t"), "\(tz.output)")

                // A failing migration fails with psql's status, and says why.
                var bad = Podman.spec(
                    "badmigrate",
                    image: TestImages.psql,
                    command: [
                        "sh", "-c", "psql \"$DATABASE_URL\" -X -v ON_ERROR_STOP=1 -c 'select * from missing_table'",
                    ]
                )
                bad.network = .host
                bad.environment = migrate.environment
                _ = try await engine.create(bad)
                try await engine.start(bad.name)
                #expect(try await engine.wait(bad.name) == 1)
                #expect(try await engine.logs(bad.name).contains("missing_table"))

                try await engine.stop(db.name, timeout: 10)
                #expect(try await engine.inspect(db.name)?.exitCode == 0, "postgres should shut down cleanly on SIGINT")
            }
        }
    }
}
