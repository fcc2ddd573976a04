import LockstepStore
import Synchronization

/// `quick_check` for `ledger verify`: it runs on the verify's threads while the
/// ledger is read (reading changes nothing), or first when the verify will write
/// (a tree to catch up), and once. A tree read from damaged pages proves nothing.
final class StorePageCheck: Sendable {
    let store: Store
    private let findings = Mutex<Result<[String], StoreError>?>(nil)

    init(store: Store) {
        self.store = store
    }

    /// Runs the check unless it ran already.
    func run() {
        guard findings.withLock({ $0 }) == nil else { return }
        let result = Result { () throws(StoreError) -> [String] in try store.quickCheck() }
        findings.withLock { $0 = $0 ?? result }
    }

    /// Throws `.corrupt` when SQLite found damaged pages (running the check if it has not run).
    func requireSoundPages() throws(StoreError) {
        run()
        if let problem = try findings.withLock({ $0 })!.get().first {
            throw .corrupt(path: store.path, detail: problem)
        }
    }
}
