import Foundation
import LockstepCatalog
import LockstepStore

/// A store in a fresh temporary folder, removed when the test is done with it.
final class TemporaryStore {
    let folder: URL
    let path: String
    let store: Store
    let catalog: Catalog

    init(actor: String = "vendor-test") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("store.sqlite").path
        store = try Store.open(path: path)
        catalog = try Catalog(store: store, actor: actor)
    }

    deinit {
        try? store.database.close()
        try? FileManager.default.removeItem(at: folder)
    }
}
