import Foundation
import GRDB

extension StoreError {
    /// The store-level meaning of an SQLite failure met while using the store: the
    /// file or its folder is read-only, its pages are corrupt, the disk is full. `nil`
    /// for errors about the data (a constraint, say), which the layers above describe.
    public init?(sqliteFailure error: any Error, path: String?) {
        guard let error = error as? DatabaseError else { return nil }
        let shown = path ?? "the store"
        switch error.resultCode {
        case .SQLITE_READONLY:
            self = .readOnly(path: shown)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self = .corrupt(path: shown, detail: error.message ?? "database disk image is malformed")
        case .SQLITE_FULL:
            self = .diskFull(path: shown)
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_PERM:
            self = .unreadable(path: shown, reason: error.message ?? "input/output error")
        default:
            return nil
        }
    }
}

extension StoreError {
    /// A read-only, corrupt or full store: the file's condition, which the layers above
    /// pass on as it is instead of wrapping it as their own failure.
    public var isAboutTheFile: Bool {
        switch self {
        case .readOnly, .corrupt, .diskFull: return true
        default: return false
        }
    }

    /// The store's condition behind `error`, when it is about the file: what every
    /// module's wrapper passes on instead of its own "cannot read" sentence.
    public static func aboutTheFile(_ error: any Error, path: String?) -> StoreError? {
        guard let known = StoreError(sqliteFailure: error, path: path), known.isAboutTheFile else { return nil }
        return known
    }
}

extension DatabaseError {
    /// SQLite's message alone, for the layers that wrap it: GRDB's full description
    /// would quote the SQL.
    public var reasonWithoutSQL: String { message ?? "SQLite error \(resultCode.rawValue)" }
}
