import GRDB
import GRDBSQLite

/// A connection a verify worker reads through with SQLite's C API: either the
/// caller's own (borrowed, already inside its read transaction) or a read-only
/// one of its own, since one connection cannot serve two threads at once.
/// Unchecked: each is used by one verify thread at a time, the borrowed one
/// while its owner waits for the verify to finish.
final class VerifyConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private let owned: Bool

    init(borrowing handle: OpaquePointer) {
        self.handle = handle
        owned = false
    }

    /// Opens `path` read-only inside a read transaction; nil when that fails (the
    /// caller then verifies on fewer threads). The first read happens here, so that
    /// a store this connection cannot read (its -shm, say) fails here too. Pages are
    /// read, not mapped: mapping was no faster, and an I/O error on a mapped page
    /// kills the process where a read returns an error.
    init?(readOnly path: String) {
        var opened: OpaquePointer?
        guard sqlite3_open_v2(path, &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let opened else {
            sqlite3_close_v2(opened)
            return nil
        }
        sqlite3_busy_timeout(opened, 5000)
        let setup = "BEGIN; SELECT count(*) FROM sqlite_master"
        guard sqlite3_exec(opened, setup, nil, nil, nil) == SQLITE_OK else {
            sqlite3_close_v2(opened)
            return nil
        }
        handle = opened
        owned = true
    }

    deinit {
        guard owned else { return }
        sqlite3_exec(handle, "COMMIT", nil, nil, nil)
        sqlite3_close_v2(handle)
    }

    func prepare(_ sql: String) throws -> VerifyStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw error(sqlite3_errcode(handle))
        }
        return VerifyStatement(handle: statement, connection: self)
    }

    func error(_ code: CInt) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// A prepared statement over a range of ids, stepped row by row; column values
/// are read in place and are valid until the next step.
final class VerifyStatement {
    let handle: OpaquePointer
    private let connection: VerifyConnection

    fileprivate init(handle: OpaquePointer, connection: VerifyConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// Restarts the statement over ids `lower` … `upper`.
    func restart(from lower: Int64, through upper: Int64) {
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, lower)
        sqlite3_bind_int64(handle, 2, upper)
    }

    /// Advances to the next row; false when there is none.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw connection.error(code)
    }

    func int64(_ column: CInt) -> Int64 { sqlite3_column_int64(handle, column) }

    /// Appends the value's encoding: NULL, an integer in decimal, text or blob bytes
    /// read in place. Through `sqlite3_column_value`, since each `sqlite3_column_*`
    /// call takes the connection's mutex and checks for allocation failures (a fifth
    /// of a verify's time); the value is only read on this connection's one thread.
    /// Text is read as a blob: `sqlite3_value_text` would copy it to add a terminator.
    func encode(_ column: CInt, into encoding: inout FieldEncoding) throws {
        let value = sqlite3_column_value(handle, column)
        switch sqlite3_value_type(value) {
        case SQLITE_NULL:
            encoding.appendNull()
        case SQLITE_INTEGER:
            encoding.append(sqlite3_value_int64(value))
        case SQLITE_FLOAT:
            encoding.append(try text(value))
        default:
            encoding.append(try bytes(value))
        }
    }

    /// A stored hash's text, in place; nil for NULL.
    func hashText(_ column: CInt) throws -> UnsafeRawBufferPointer? {
        let value = sqlite3_column_value(handle, column)
        switch sqlite3_value_type(value) {
        case SQLITE_NULL: return nil
        case SQLITE_TEXT, SQLITE_BLOB: return try bytes(value)
        default: return try text(value)
        }
    }

    /// A text or blob value's bytes, in place.
    private func bytes(_ value: OpaquePointer?) throws -> UnsafeRawBufferPointer {
        try inPlace(sqlite3_value_blob(value), count: sqlite3_value_bytes(value))
    }

    /// A number's bytes as SQLite's text (its decimal form).
    private func text(_ value: OpaquePointer?) throws -> UnsafeRawBufferPointer {
        // Text first, then the byte count, as SQLite's documentation prescribes.
        let pointer = sqlite3_value_text(value)
        return try inPlace(pointer.map(UnsafeRawPointer.init), count: sqlite3_value_bytes(value))
    }

    private func inPlace(_ pointer: UnsafeRawPointer?, count: CInt) throws -> UnsafeRawBufferPointer {
        guard let pointer else {
            // No pointer for an empty value, or when SQLite ran out of memory.
            if count == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
            throw connection.error(SQLITE_NOMEM)
        }
        return UnsafeRawBufferPointer(start: pointer, count: Int(count))
    }

    /// The value's bytes when it is a blob of `count` bytes, else nil.
    func blob(_ column: CInt, count: Int) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(handle, column) == SQLITE_BLOB, sqlite3_column_bytes(handle, column) == count,
            let pointer = sqlite3_column_blob(handle, column)
        else { return nil }
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }
}
