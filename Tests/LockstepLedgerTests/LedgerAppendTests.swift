import Foundation
import Testing

@testable import LockstepLedger

@Suite("Appending and reading the ledger")
struct LedgerAppendTests {
    @Test("an appended row reads back with id, time, hashes and every field")
    func appendAndShow() throws {
        let fixture = try LedgerFixture()
        let stored = try fixture.ledger.append(fixture.sample(1))
        #expect(stored.id == 1)
        #expect(stored.previousHash == LedgerHash.genesis)
        #expect(stored.rowHash.count == 64)
        #expect(stored.durationMs == 2000, "duration is computed from started and finished")
        #expect(stored.command == #"["/bin/migrate","step 1"]"#)
        #expect(stored.environment == #"{"PGHOST":"127.0.0.1"}"#)
        #expect(stored.startedAt == "2023-11-14T22:13:20.000Z")
        #expect(LedgerTimestamp.date(from: stored.recordedAt).map { abs($0.timeIntervalSinceNow) < 60 } == true)

        let read = try #require(try fixture.ledger.entry(id: 1))
        #expect(read == stored)
        #expect(read.commandArguments == ["/bin/migrate", "step 1"])
        #expect(try fixture.ledger.entry(id: 2) == nil)
    }

    @Test("rows chain: each previous_hash is the row_hash before it")
    func chainLinks() throws {
        let fixture = try LedgerFixture()
        let first = try fixture.fill(3)
        let second = try fixture.ledger.append(fixture.sample(4))
        let all = first + [second]
        #expect(all.map(\.id) == [1, 2, 3, 4])
        for (before, after) in zip(all, all.dropFirst()) {
            #expect(after.previousHash == before.rowHash)
        }
        #expect(Set(all.map(\.rowHash)).count == 4)
        #expect(try fixture.ledger.verify() == .intact(rows: 4, headHash: second.rowHash))
    }

    @Test("list is newest first with a default limit; oldest-first and no limit on request")
    func ordering() throws {
        let fixture = try LedgerFixture()
        try fixture.fill(150)
        let newest = try fixture.ledger.list()
        #expect(newest.count == LedgerQuery.defaultLimit)
        #expect(newest.first?.id == 150)
        #expect(newest.map(\.id) == Array((51...150).reversed()))
        let oldest = try fixture.ledger.list(LedgerQuery(limit: 5, order: .oldestFirst))
        #expect(oldest.map(\.id) == [1, 2, 3, 4, 5])
        #expect(try fixture.ledger.list(LedgerQuery(limit: nil)).count == 150)
    }

    @Test("a long log keeps its end, cut at a character boundary")
    func logTail() throws {
        let fixture = try LedgerFixture()
        var entry = fixture.sample(1)
        entry.logTail = "é" + String(repeating: "x", count: Ledger.logTailLimit - 2) + "END"
        let stored = try fixture.ledger.append(entry)
        let tail = try #require(stored.logTail)
        #expect(tail.hasSuffix("xEND"))
        #expect(tail.utf8.count <= Ledger.logTailLimit)
        #expect(!tail.contains("\u{FFFD}"))
        #expect(try fixture.ledger.verify().isIntact)
    }

    @Test("operator and host are filled in when the caller leaves them out")
    func origin() throws {
        let fixture = try LedgerFixture()
        let stored = try fixture.ledger.append(NewLedgerEntry(kind: .upgrade, event: .started, status: .running))
        #expect(!stored.operatorName.isEmpty)
        #expect(stored.host == ProcessInfo.processInfo.hostName)
    }

    @Test("an empty batch appends nothing")
    func emptyBatch() throws {
        let fixture = try LedgerFixture()
        #expect(try fixture.ledger.append(contentsOf: []).isEmpty)
        #expect(try fixture.ledger.verify() == .intact(rows: 0, headHash: LedgerHash.genesis))
    }
}
