/// Why the store could not be opened or used. Descriptions tell the user what to do.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case notADatabase(path: String)
    case foreignDatabase(path: String)
    case newerSchema(path: String, unknownMigrations: [String])
    case cannotCreate(path: String, reason: String)
    case unreadable(path: String, reason: String)
    /// The file or its folder cannot be written (a read-only mount, say).
    case readOnly(path: String)
    /// SQLite found damaged pages (`quick_check` fails, or a read met SQLITE_CORRUPT).
    case corrupt(path: String, detail: String)
    case diskFull(path: String)
    /// A device, a folder or a pipe: never a store, and SQLite must not write beside it.
    case notAFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path) is not a lockstep store (not an SQLite database); point --store or LOCKSTEP_STORE at a store file or at a new path"
        case .foreignDatabase(let path):
            return
                "\(path) is an SQLite database of another program (it has tables but no lockstep schema); it was left untouched — point --store or LOCKSTEP_STORE at a lockstep store or at a new path"
        case .newerSchema(let path, let unknown):
            return
                "\(path) was written by a newer lockstep (schema \(unknown.joined(separator: ", "))); upgrade lockstep to use it — the store was left untouched"
        case .cannotCreate(let path, let reason):
            return "cannot create the store at \(path): \(reason)"
        case .unreadable(let path, let reason):
            return "cannot open the store at \(path): \(reason)"
        case .readOnly(let path):
            return
                "the store at \(path) is read-only (the file, its folder or the file system); nothing was changed — make it writable or point --store at a writable copy"
        case .corrupt(let path, let detail):
            return
                "the store at \(path) is corrupt (\(detail)); stop using it and restore it from a backup — `lockstep ledger verify` and `lockstep doctor` check it"
        case .diskFull(let path):
            return "the disk holding the store at \(path) is full; nothing was changed — free some space and run the command again"
        case .notAFile(let path, let kind):
            return "\(path) is \(kind), not a store file; point --store or LOCKSTEP_STORE at a file path"
        }
    }
}
