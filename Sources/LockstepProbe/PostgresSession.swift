import Foundation
import Logging

/// One dedicated libpq connection for running plain SQL statements: runner
/// checks, the advisory lock, tests. Statements run one at a time on the
/// session's own queue; cancelling the awaiting task cancels the statement on
/// the server. Close it with `close()`; a forgotten session is closed when
/// it is released.
public final class PostgresSession: Sendable {
    private let connection: LibPQConnection
    private let queue: DispatchQueue
    private let target: ConnectionString

    private init(connection: LibPQConnection, queue: DispatchQueue, target: ConnectionString) {
        self.connection = connection
        self.queue = queue
        self.target = target
    }

    deinit {
        let connection = self.connection
        queue.async { connection.finish() }
    }

    /// Opens a connection (libpq URL or conninfo; PGPASSWORD and ~/.pgpass apply).
    public static func connect(
        _ connectionString: String,
        timeout: Duration = .seconds(10)
    ) async throws(PostgresError) -> PostgresSession {
        let target: ConnectionString
        do { target = try ConnectionString(connectionString) } catch { throw .invalidConnectionString(error) }
        let queue = DispatchQueue(label: "lockstep.postgres-session")
        let seconds = PostgresProbe.connectTimeoutSeconds(remaining: timeout)
        let parameters = LibPQ.parameters(connectionString, connectTimeoutSeconds: seconds)
        let result = await BlockingCall.run(
            on: queue,
            until: .now + timeout,
            discard: { result in if case .connected(let connection) = result { connection.finish() } },
            work: { LibPQ.connect(parameters) }
        )
        guard let result else {
            if Task.isCancelled { throw .cancelled }
            throw .timedOut(target: target.redacted)
        }
        switch result {
        case .connected(let connection):
            return PostgresSession(connection: connection, queue: queue, target: target)
        case .failed(let message, let needsPassword):
            let classified = FailureClassifier.classifyConnectFailure(message, needsPassword: needsPassword)
            let environment = ProcessInfo.processInfo.environment
            throw .connectionFailed(
                target: target.redacted,
                sqlstate: classified.sqlstate,
                message: target.redact(FailureClassifier.serverMessage(message), environment: environment)
            )
        }
    }

    /// Runs one SQL statement (or several separated by semicolons, without
    /// parameters) and returns the rows of the last, as text.
    @discardableResult
    public func execute(_ sql: String) async throws(PostgresError) -> PostgresRows {
        let connection = self.connection
        let result = await BlockingCall.run(on: queue, onCancel: { connection.cancel() }, work: { connection.execute(sql) })
        guard let result else { throw .cancelled }
        switch result {
        case .rows(let rows):
            return rows
        case .failed(let sqlstate, let message):
            let environment = ProcessInfo.processInfo.environment
            throw .queryFailed(sqlstate: sqlstate, message: target.redact(message, environment: environment))
        }
    }

    /// Closes the connection; later statements fail with `queryFailed`.
    public func close() async {
        let connection = self.connection
        _ = await BlockingCall.run(on: queue) { connection.finish() }
    }

    /// The connection string this session uses, password masked.
    public var redactedConnection: String { target.redacted }
}
