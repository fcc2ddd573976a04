import Foundation
import LockstepCatalog
import LockstepLedger
import LockstepStore

/// What every page reads: the catalog and the ledger of one store.
struct ConsoleData: Sendable {
    let catalog: Catalog
    let ledger: Ledger

    init(store: Store) throws {
        catalog = try Catalog(store: store, actor: "console")
        ledger = Ledger(store: store)
    }

    static func text(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateTimeSeparator(.space).time(includingFractionalSeconds: false)) + " UTC"
    }

    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
