import Foundation
import LockstepProbe
import LockstepTestSupport
import Testing

@Suite("Sessions and advisory locks", .serialized)
struct PostgresSessionTests {
    @Test("execute runs SQL and returns text rows; errors carry the SQLSTATE")
    func execute() async throws {
        try await PostgresCluster.withCluster { cluster in
            let session = try await PostgresSession.connect(cluster.connectionURL())
            try await session.execute("CREATE TABLE t (id int, name text)")
            try await session.execute("INSERT INTO t VALUES (1, 'one'), (2, NULL)")
            let rows = try await session.execute("SELECT id, name FROM t ORDER BY id")
            #expect(rows == [["1", "one"], ["2", nil]])
            await #expect(throws: PostgresError.queryFailed(sqlstate: "42P01", message: "relation \"missing\" does not exist")) {
                try await session.execute("SELECT * FROM missing")
            }
            await session.close()
            await #expect(throws: PostgresError.self) { try await session.execute("SELECT 1") }
        }
    }

    @Test("A failed connection names the target without its password")
    func connectFailure() async throws {
        try await PostgresCluster.withCluster { cluster in
            let url = cluster.connectionURL(password: "Not-the-Passw0rd")
            do throws(PostgresError) {
                _ = try await PostgresSession.connect(url)
                Issue.record("connected with a wrong password")
            } catch {
                #expect(error.sqlstate == "28P01")
                #expect(!error.description.contains("Not-the-Passw0rd"))
                #expect(error.description.contains("postgresql://postgres:***@127.0.0.1:\(cluster.port)/postgres"))
            }
        }
    }

    @Test("The advisory lock excludes a second holder until unlocked")
    func advisoryLock() async throws {
        try await PostgresCluster.withCluster { cluster in
            let (logger, _) = recordingLogger()
            let url = cluster.connectionURL()
            let key = PostgresAdvisoryLock.key(for: "installation-default")
            #expect(key == PostgresAdvisoryLock.key(for: "installation-default"))
            let first = try await PostgresAdvisoryLock.acquire(connection: url, key: key, logger: logger)
            #expect(try await PostgresAdvisoryLock.tryAcquire(connection: url, key: key, logger: logger) == nil)

            let holders = try await cluster.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
            #expect(holders == "1")

            // A blocking waiter gets the lock as soon as the first releases it.
            async let second = PostgresAdvisoryLock.acquire(connection: url, key: key, logger: logger)
            try await Task.sleep(for: .milliseconds(300))
            try await first.unlock()
            let next = try await second
            try await next.unlock()
            #expect(try await cluster.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == "0")
        }
    }

    @Test("Cancelling a lock wait cancels it on the server")
    func cancelWait() async throws {
        try await PostgresCluster.withCluster { cluster in
            let (logger, _) = recordingLogger()
            let url = cluster.connectionURL()
            let holder = try await PostgresAdvisoryLock.acquire(connection: url, key: 42, logger: logger)
            let waiter = Task { try await PostgresAdvisoryLock.acquire(connection: url, key: 42, logger: logger) }
            try await Task.sleep(for: .milliseconds(300))
            waiter.cancel()
            await #expect(throws: PostgresError.self) { try await waiter.value }
            try await Task.sleep(for: .milliseconds(300))
            let waiting = try await cluster.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            #expect(waiting == "0")
            try await holder.unlock()
        }
    }
}
