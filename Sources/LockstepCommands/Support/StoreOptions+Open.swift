import Foundation
import LockstepCatalog
import LockstepManifest
import LockstepStore

extension StoreOptions {
    func openStore() throws -> Store {
        try Store.open(path: storePath)
    }

    func openCatalog() throws -> Catalog {
        try Catalog(store: openStore())
    }
}

/// A file the user named, refused before it is read whole when it is a device, a
/// pipe or above `limit` bytes (a manifest's limit by default).
func readInputFile(_ path: String, limit: Int = LockstepManifest.Manifest.maximumSize) throws -> String {
    do {
        return try BoundedFile.read(path, limit: limit)
    } catch {
        switch error {
        case .tooLarge, .notRegularFile, .notText: throw InputFileError(path: path, reason: error.description, exitStatus: .invalidData)
        case .unreadable(_, let reason): throw InputFileError(path: path, reason: reason)
        }
    }
}
