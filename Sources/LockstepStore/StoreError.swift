/// Why the store could not be opened or used. Descriptions tell the user what to do.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case notADatabase(path: String)
    case foreignDatabase(path: String)
    case newerSchema(path: String, unknownMigrations: [String])
    case cannotCreate(path: String, reason: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path) is not a lockstep store (not an SQLite database); point --store or LOCKSTEP_STORE at a store file or at a new path"
        case .foreignDatabase(let path):
            return "\(path) is an SQLite database of another program (it has tables but no lockstep schema); it was left untouched — point --store or LOCKSTEP_STORE at a lockstep store or at a new path"
        case .newerSchema(let path, let unknown):
            return "\(path) was written by a newer lockstep (schema \(unknown.joined(separator: ", "))); upgrade lockstep to use it — the store was left untouched"
        case .cannotCreate(let path, let reason):
            return "cannot create the store at \(path): \(reason)"
        case .unreadable(let path, let reason):
            return "cannot open the store at \(path): \(reason)"
        }
    }
}
