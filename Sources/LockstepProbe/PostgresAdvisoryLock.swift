import Logging

/// A session-level `pg_advisory_lock` held on a dedicated connection, as
/// `upgrade --db-lock` needs while a migration runs: other lockstep processes
/// (and a well-behaved app) wait for it. The server releases it by itself if
/// this process dies, since the connection goes away.
public final class PostgresAdvisoryLock: Sendable {
    public let key: Int64
    private let session: PostgresSession
    private let logger: Logger

    private init(key: Int64, session: PostgresSession, logger: Logger) {
        self.key = key
        self.session = session
        self.logger = logger
    }

    /// Connects and waits until the lock is granted. Cancelling the task
    /// cancels the wait on the server and closes the connection.
    public static func acquire(
        connection: String,
        key: Int64,
        logger: Logger,
        connectTimeout: Duration = .seconds(10)
    ) async throws(PostgresError) -> PostgresAdvisoryLock {
        let session = try await PostgresSession.connect(connection, timeout: connectTimeout)
        logger.info("waiting for advisory lock \(key) on \(session.redactedConnection)")
        do {
            try await session.execute("SELECT pg_advisory_lock(\(key))")
        } catch {
            await session.close()
            throw error
        }
        logger.info("holding advisory lock \(key)")
        return PostgresAdvisoryLock(key: key, session: session, logger: logger)
    }

    /// Tries once; nil when another session holds the lock.
    public static func tryAcquire(
        connection: String,
        key: Int64,
        logger: Logger,
        connectTimeout: Duration = .seconds(10)
    ) async throws(PostgresError) -> PostgresAdvisoryLock? {
        let session = try await PostgresSession.connect(connection, timeout: connectTimeout)
        let rows: PostgresRows
        do {
            rows = try await session.execute("SELECT pg_try_advisory_lock(\(key))")
        } catch {
            await session.close()
            throw error
        }
        guard rows.first?.first == "t" else {
            await session.close()
            return nil
        }
        logger.info("holding advisory lock \(key)")
        return PostgresAdvisoryLock(key: key, session: session, logger: logger)
    }

    /// Releases the lock and closes its connection.
    public func unlock() async throws(PostgresError) {
        defer { logger.info("released advisory lock \(key)") }
        do {
            try await session.execute("SELECT pg_advisory_unlock(\(key))")
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    }

    /// A stable lock key for a name (FNV-1a, 64 bit), e.g. an installation's name.
    public static func key(for name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
