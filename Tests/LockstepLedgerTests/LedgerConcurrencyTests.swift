import Foundation
import GRDB
import LockstepLedger
import LockstepStore
import Testing

@Suite("Concurrent writers keep one valid chain")
struct LedgerConcurrencyTests {
    @Test("tasks appending through separate connections to one file")
    func separateConnections() async throws {
        let fixture = try LedgerFixture()
        let path = fixture.path
        let writers = 4
        let perWriter = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let ledger = Ledger(store: try Store.open(path: path))
                    for index in 0..<perWriter {
                        var entry = NewLedgerEntry(kind: .run, event: .succeeded, status: .succeeded, installation: "writer-\(writer)")
                        entry.message = "append \(index)"
                        if index % 10 == 0 {
                            try ledger.append(contentsOf: [entry, entry])
                        } else {
                            try ledger.append(entry)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let expected = writers * (perWriter + perWriter / 10)
        let verification = try fixture.ledger.verify()
        #expect(verification.isIntact, "\(verification)")
        if case .intact(let rows, _) = verification { #expect(rows == expected) }
        for writer in 0..<writers {
            #expect(try fixture.ledger.list(LedgerQuery(installation: "writer-\(writer)", limit: nil)).count == expected / writers)
        }
    }

    @Test("several lockstep processes appending to one store at once")
    func separateProcesses() throws {
        // The fill command lives in the benchmarks executable, beside `lockstep`.
        let binary = URL(fileURLWithPath: try ProcessRunner.lockstepBinary()).deletingLastPathComponent().appendingPathComponent("LockstepBenchmarks")
            .path
        let fixture = try LedgerFixture()
        let path = fixture.path
        let processes = 4
        let rows = 150
        // Batches of 1 to 4 rows: many short transactions contending for the write lock.
        let results = try ProcessRunner.runAll(
            (0..<processes).map { writer in
                (binary, ["ledger-fill", "--store", path, "--rows", "\(rows)", "--batch", "\(writer + 1)", "--prefix", "proc\(writer)"])
            }
        )
        for result in results {
            #expect(result.status == 0, "ledger-fill failed: \(result.stderr)")
        }
        let verification = try fixture.ledger.verify()
        #expect(verification.isIntact, "\(verification)")
        if case .intact(let count, _) = verification { #expect(count == processes * rows) }
        let ids = try fixture.store.database.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM ledger_entry ORDER BY id") }
        #expect(ids == Array(1...Int64(processes * rows)))
        for writer in 0..<processes {
            let mine = try fixture.ledger.list(LedgerQuery(limit: nil)).filter { $0.installation?.hasPrefix("proc\(writer)-") == true }
            #expect(mine.count == rows)
        }
    }
}
