import Foundation
import GRDB
import Testing

@testable import LockstepLedger

@Suite("Audit queries")
struct LedgerQueryTests {
    /// Rows that differ in one field each, so each filter has one right answer.
    static func seeded() throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        var rows: [NewLedgerEntry] = []
        for index in 1...12 {
            var entry = fixture.sample(index, status: index % 4 == 0 ? .failed : .succeeded)
            entry.installation = index % 2 == 0 ? "prod" : "staging"
            entry.releaseVersion = index <= 6 ? "1.0.0" : "2.0.0"
            entry.releaseSequence = index <= 6 ? 7 : 8
            entry.component = index % 3 == 0 ? "db" : "app"
            entry.image = index % 3 == 0 ? "postgres:15" : "acme/app:2"
            entry.kind = index == 12 ? .upgrade : .run
            rows.append(entry)
        }
        try fixture.ledger.append(contentsOf: rows)
        return fixture
    }

    static let cases: [(String, LedgerQuery, [Int64])] = [
        ("status", LedgerQuery(status: .failed), [12, 8, 4]),
        ("installation", LedgerQuery(installation: "staging"), [11, 9, 7, 5, 3, 1]),
        ("release version", LedgerQuery(release: .version("2.0.0")), [12, 11, 10, 9, 8, 7]),
        ("release sequence", LedgerQuery(release: .sequence(7)), [6, 5, 4, 3, 2, 1]),
        ("bare number as sequence", LedgerQuery(release: .init(argument: "8")), [12, 11, 10, 9, 8, 7]),
        ("component", LedgerQuery(component: "db"), [12, 9, 6, 3]),
        ("image", LedgerQuery(image: "postgres:15"), [12, 9, 6, 3]),
        ("kind", LedgerQuery(kind: .upgrade), [12]),
        ("combined", LedgerQuery(installation: "prod", status: .failed, component: "db"), [12]),
        ("limit", LedgerQuery(limit: 2), [12, 11]),
    ]

    @Test("each filter returns exactly the matching rows, newest first", arguments: cases)
    func filters(_ name: String, _ query: LedgerQuery, _ expected: [Int64]) throws {
        let fixture = try Self.seeded()
        #expect(try fixture.ledger.list(query).map(\.id) == expected, "filter: \(name)")
    }

    @Test("time bounds: since is inclusive, until exclusive")
    func timeRange() throws {
        let fixture = try Self.seeded()
        let recorded = try #require(try fixture.ledger.entry(id: 1)).recordedAt
        let at = try #require(LedgerTimestamp.date(from: recorded))
        #expect(try fixture.ledger.list(LedgerQuery(since: at)).count == 12)
        #expect(try fixture.ledger.list(LedgerQuery(since: at.addingTimeInterval(1))).isEmpty)
        #expect(try fixture.ledger.list(LedgerQuery(until: at)).isEmpty)
        #expect(try fixture.ledger.list(LedgerQuery(since: Date().addingTimeInterval(-3600), until: Date().addingTimeInterval(60))).count == 12)
    }

    static let planCases: [(String, LedgerQuery, String)] = [
        ("status since", LedgerQuery(since: Date(timeIntervalSince1970: 0), status: .failed), "ledger_by_status"),
        ("release", LedgerQuery(release: .version("1.0.0")), "ledger_by_release"),
        ("release sequence", LedgerQuery(release: .sequence(7)), "ledger_by_sequence"),
        ("installation", LedgerQuery(installation: "prod"), "ledger_by_installation"),
        ("component", LedgerQuery(component: "db"), "ledger_by_component"),
        ("image", LedgerQuery(image: "postgres:15"), "ledger_by_image"),
        ("since only", LedgerQuery(since: Date(timeIntervalSince1970: 0)), "ledger_by_time"),
        ("nothing", LedgerQuery(), "ledger_by_time"),
    ]

    @Test("audit queries are served by an index, never a full scan", arguments: planCases)
    func queryPlan(_ name: String, _ query: LedgerQuery, _ index: String) throws {
        let fixture = try Self.seeded()
        let (sql, arguments) = query.sql(selecting: LedgerEntry.selectList)
        let plan = try fixture.store.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
        let text = plan.joined(separator: "\n")
        #expect(text.contains("USING INDEX \(index)"), "\(name): \(text)")
        #expect(!plan.contains("SCAN ledger_entry"), "\(name): \(text)")
        #expect(!text.contains("TEMP B-TREE"), "\(name) sorts instead of reading in index order: \(text)")
    }

    static let timeCases: [(String, Double)] = [
        ("2025-11-25T17:42:00Z", 1_764_092_520),
        ("2025-11-25T17:42:00.250Z", 1_764_092_520.25),
        ("2025-11-25T18:42:00+01:00", 1_764_092_520),
        ("2025-11-25", 1_764_028_800),
        ("90s", 999_910),
        ("30m", 998_200),
        ("24h", 913_600),
        ("7d", 395_200),
        ("2w", -209_600),
    ]

    @Test("time arguments: ISO 8601 times and dates, and durations back from now", arguments: timeCases)
    func timeArguments(_ text: String, _ expected: Double) {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(LedgerTimestamp.bound(from: text, now: now)?.timeIntervalSince1970 == expected)
    }

    @Test("nonsense time arguments are rejected", arguments: ["yesterday", "24", "h", "-3h", "2025-13-45", ""])
    func badTimes(_ text: String) {
        #expect(LedgerTimestamp.bound(from: text) == nil)
    }

    @Test("stored times are fixed-width UTC with milliseconds, so they sort as text")
    func timestampFormat() {
        #expect(LedgerTimestamp.string(from: Date(timeIntervalSince1970: 1_764_092_520.25)) == "2025-11-25T17:42:00.250Z")
        #expect(LedgerTimestamp.string(from: Date(timeIntervalSince1970: 1_764_092_520)) == "2025-11-25T17:42:00.000Z")
    }
}
