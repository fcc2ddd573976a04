import Foundation
import Synchronization

/// The outcome of the last full verification this console ran: a million-entry
/// verification takes seconds, so the ledger page shows the last one instead of
/// running its own on every request.
final class LastVerification: Sendable {
    struct Outcome: Sendable {
        let intact: Bool
        let description: String
        let at: Date
    }

    private let outcome = Mutex<Outcome?>(nil)

    var latest: Outcome? { outcome.withLock { $0 } }

    func record(intact: Bool, description: String) {
        outcome.withLock { $0 = Outcome(intact: intact, description: description, at: Date()) }
    }
}
