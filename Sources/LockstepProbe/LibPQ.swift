import CLibPQ
import Foundation

/// The only code in lockstep that touches libpq pointers. Every `PGconn` is
/// finished and every `PGresult` cleared before these functions return (or,
/// for `LibPQConnection`, when it is closed).
enum LibPQ {
    enum Ping: Equatable {
        case ok, reject, noResponse, noAttempt
    }

    /// Parameters for libpq's `*Params` functions. The user's connection
    /// string goes last as an expanded `dbname`, so its own settings (its
    /// `connect_timeout`, say) override lockstep's defaults placed before it.
    static func parameters(_ connection: String, connectTimeoutSeconds: Int) -> [(String, String)] {
        [
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("fallback_application_name", "lockstep"),
            ("dbname", connection),
        ]
    }

    static func ping(_ parameters: [(String, String)]) -> Ping {
        let result = withCParameters(parameters) { keywords, values in
            PQpingParams(keywords, values, 1)
        }
        switch result {
        case PQPING_OK: return .ok
        case PQPING_REJECT: return .reject
        case PQPING_NO_ATTEMPT: return .noAttempt
        default: return .noResponse
        }
    }

    /// Why libpq refuses the parameters, found without any network traffic:
    /// invalid options make `PQconnectStartParams` fail before connecting.
    static func optionsError(_ parameters: [(String, String)]) -> String {
        withCParameters(parameters) { keywords, values in
            guard let conn = PQconnectStartParams(keywords, values, 1) else { return "out of memory" }
            defer { PQfinish(conn) }
            return errorMessage(conn)
        }
    }

    enum ConnectResult {
        case connected(LibPQConnection)
        case failed(message: String, needsPassword: Bool)
    }

    static func connect(_ parameters: [(String, String)]) -> ConnectResult {
        withCParameters(parameters) { keywords, values in
            guard let conn = PQconnectdbParams(keywords, values, 1) else {
                return .failed(message: "out of memory", needsPassword: false)
            }
            guard PQstatus(conn) == CONNECTION_OK else {
                let failure = ConnectResult.failed(message: errorMessage(conn), needsPassword: PQconnectionNeedsPassword(conn) != 0)
                PQfinish(conn)
                return failure
            }
            return .connected(LibPQConnection(conn))
        }
    }

    static func errorMessage(_ conn: OpaquePointer) -> String {
        guard let text = PQerrorMessage(conn) else { return "" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func withCParameters<R>(
        _ parameters: [(String, String)],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        let keywords = parameters.map { UnsafePointer(strdup($0.0)) } + [nil]
        let values = parameters.map { UnsafePointer(strdup($0.1)) } + [nil]
        defer {
            for pointer in keywords + values { free(UnsafeMutablePointer(mutating: pointer)) }
        }
        return keywords.withUnsafeBufferPointer { keywordBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                body(keywordBuffer.baseAddress!, valueBuffer.baseAddress!)
            }
        }
    }
}

/// Rows of text values as PostgreSQL returned them (`nil` for NULL).
public typealias PostgresRows = [[String?]]

/// An open connection. Not thread-safe: its owner calls it from one serial
/// queue at a time; only `cancel()` may be called from anywhere.
final class LibPQConnection: @unchecked Sendable {
    private var conn: OpaquePointer?
    private var cancelHandle: OpaquePointer?
    private let cancelLock = NSLock()

    init(_ conn: OpaquePointer) {
        self.conn = conn
        self.cancelHandle = PQgetCancel(conn)
    }

    deinit { finish() }

    enum ExecResult {
        case rows(PostgresRows)
        case failed(sqlstate: String?, message: String)
    }

    func execute(_ sql: String) -> ExecResult {
        guard let conn else { return .failed(sqlstate: nil, message: "the connection is closed") }
        guard let result = PQexec(conn, sql) else {
            return .failed(sqlstate: nil, message: LibPQ.errorMessage(conn))
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let sqlstate = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            return .failed(sqlstate: sqlstate, message: primary ?? LibPQ.errorMessage(conn))
        }
        var rows: PostgresRows = []
        let columns = PQnfields(result)
        for row in 0..<PQntuples(result) {
            rows.append(
                (0..<columns).map { column in
                    PQgetisnull(result, row, column) != 0 ? nil : String(cString: PQgetvalue(result, row, column))
                }
            )
        }
        return .rows(rows)
    }

    /// Asks the server to cancel the running statement; safe from any thread.
    func cancel() {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        guard let cancelHandle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
    }

    func finish() {
        cancelLock.lock()
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        cancelHandle = nil
        cancelLock.unlock()
        if let conn { PQfinish(conn) }
        conn = nil
    }
}
