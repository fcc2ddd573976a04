import LockstepCatalog
import LockstepManifest
import LockstepPlanner
import LockstepStore

extension CatalogError: ExitCoded {
    var exitStatus: ExitStatus {
        switch kind {
        case .invalidData: return .invalidData
        case .notFound: return .notFound
        case .refused: return .refused
        case .storage: return .storeError
        }
    }

    var userMessage: String { description }
}

extension PlanRefusal: ExitCoded {
    var exitStatus: ExitStatus { .refused }
    var userMessage: String { message }
}

/// A file the user named could not be read.
struct InputFileError: ExitCoded {
    let path: String
    let reason: String
    var exitStatus: ExitStatus = .notFound
    /// Problems with the contents (too large, a device) describe themselves whole.
    var userMessage: String { exitStatus == .notFound ? "cannot read \(path.escapingControlCharacters): \(reason)" : reason }
}
