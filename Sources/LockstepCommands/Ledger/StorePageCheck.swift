import LockstepStore
import Synchronization

/// `quick_check` for `ledger verify`: it runs on the verify's threads while the
/// ledger is read, and its findings are asked for afterwards (running it then if
/// the verify stopped before it ran). A tree read from damaged pages proves nothing.
final class StorePageCheck: Sendable {
    let store: Store
    private let findings = Mutex<Result<[String], StoreError>?>(nil)

    init(store: Store) {
        self.store = store
    }

    func run() {
        let result = Result { () throws(StoreError) -> [String] in try store.quickCheck() }
        findings.withLock { $0 = result }
    }

    /// Throws `.corrupt` when SQLite found damaged pages.
    func requireSoundPages() throws(StoreError) {
        if findings.withLock({ $0 }) == nil { run() }
        let result = findings.withLock { $0 }!
        if let problem = try result.get().first {
            throw .corrupt(path: store.path, detail: problem)
        }
    }
}
