import Foundation
import GRDB
import LockstepCatalog
import LockstepLedger
import LockstepStore

/// What every page reads: the catalog and the ledger of one store.
struct ConsoleData: Sendable {
    let catalog: Catalog
    let ledger: Ledger
    let lastVerification = LastVerification()

    init(store: Store) throws {
        catalog = try Catalog(store: store, actor: "console")
        ledger = Ledger(store: store)
        try Self.gatherStatistics(store)
    }

    /// Without statistics SQLite takes the first index that fits a combined filter
    /// (`component` before `release_version`) and on a million rows reads 250,000 of them
    /// instead of 10,000: seconds instead of milliseconds. `ANALYZE` writes only SQLite's
    /// own sqlite_stat1 table, never a catalog or ledger row; it runs once per store.
    static func gatherStatistics(_ store: Store) throws {
        try store.database.write { db in
            let hasTable = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')") ?? false
            let analyzed = try hasTable && (Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_stat1 WHERE tbl = 'ledger_entry')") ?? false)
            if !analyzed { try db.execute(sql: "ANALYZE ledger_entry") }
        }
    }

    static func text(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateTimeSeparator(.space).time(includingFractionalSeconds: false))
            + " UTC"
    }

    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
