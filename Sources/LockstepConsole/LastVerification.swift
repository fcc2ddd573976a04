import Foundation
import LockstepLedger
import Synchronization

/// The outcome of the last full verification this console ran: a million-entry
/// verification takes seconds, so the ledger page shows the last one instead of
/// running its own on every request.
final class LastVerification: Sendable {
    private let outcome = Mutex<(verification: LedgerVerification, at: Date)?>(nil)

    var latest: (verification: LedgerVerification, at: Date)? { outcome.withLock { $0 } }

    func record(_ verification: LedgerVerification) {
        outcome.withLock { $0 = (verification, Date()) }
    }
}
