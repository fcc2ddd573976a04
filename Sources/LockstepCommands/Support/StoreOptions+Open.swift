import Foundation
import LockstepCatalog
import LockstepStore

extension StoreOptions {
    func openStore() throws -> Store {
        try Store.open(path: storePath)
    }

    func openCatalog() throws -> Catalog {
        try Catalog(store: openStore())
    }
}

func readInputFile(_ path: String) throws -> String {
    do {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputFileError(path: path, reason: "not UTF-8 text")
        }
        return text
    } catch let error as InputFileError {
        throw error
    } catch {
        throw InputFileError(path: path, reason: (error as NSError).localizedFailureReason ?? "no such file or not readable")
    }
}
