import Foundation
import GRDB
import Testing

@testable import LockstepLedger

/// The ledger page's filters (installation, release, status, component) in every
/// combination, with and without a time range and a paging position: each is served
/// by the index named after its filters (V6), in time order, and returns exactly the
/// rows a plain filter over the whole ledger returns.
@Suite("Ledger filter combinations")
struct LedgerFilterIndexTests {
    enum Filter: String, CaseIterable, Sendable {
        case installation, release, status, component
    }

    /// Every non-empty subset of the filters, in the order the index names use.
    static let combinations: [[Filter]] = (1..<(1 << Filter.allCases.count)).map { mask in
        Filter.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
    }

    enum Bound: String, CaseIterable, Sendable {
        case none, timeRange, pagingPosition
    }

    /// 60 rows in which the filters vary independently, with rows lacking an
    /// installation, a release or a component (partial indexes leave those out).
    static func seeded() throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        let rows = (1...60).map { index in
            var entry = fixture.sample(index, status: index % 4 == 0 ? .failed : .succeeded)
            entry.installation = ["prod", "staging", nil][index % 3]
            entry.releaseVersion = index % 7 == 0 ? nil : (index % 2 == 0 ? "2.0.0" : "1.0.0")
            entry.releaseSequence = entry.releaseVersion == "2.0.0" ? 8 : 7
            if index % 11 == 0 {
                // A version label that is a bare number, as on a non-SemVer channel.
                entry.releaseVersion = "8"
                entry.releaseSequence = 30
            }
            entry.component = ["db", "app", nil][(index / 3) % 3]
            return entry
        }
        try fixture.ledger.append(contentsOf: rows)
        return fixture
    }

    static func query(
        _ filters: [Filter],
        _ bound: Bound,
        after cursor: LedgerQuery.Cursor? = nil,
        release: LedgerQuery.Release = .version("2.0.0")
    ) -> LedgerQuery {
        var query = LedgerQuery(limit: 51)
        for filter in filters {
            switch filter {
            case .installation: query.installation = "prod"
            case .release: query.release = release
            case .status: query.status = .failed
            case .component: query.component = "db"
            }
        }
        switch bound {
        case .none: break
        case .timeRange:
            query.since = Date(timeIntervalSince1970: 0)
            query.until = Date().addingTimeInterval(3600)
        case .pagingPosition:
            query.after = cursor ?? LedgerQuery.Cursor(recordedAt: "9999-12-31T00:00:00.000Z", id: 0)
        }
        return query
    }

    static func matches(_ entry: LedgerEntry, _ filters: [Filter], bareNumber: Bool = false) -> Bool {
        filters.allSatisfy { filter in
            switch filter {
            case .installation: entry.installation == "prod"
            case .release: bareNumber ? (entry.releaseSequence == 8 || entry.releaseVersion == "8") : entry.releaseVersion == "2.0.0"
            case .status: entry.status == .failed
            case .component: entry.component == "db"
            }
        }
    }

    static func indexName(_ filters: [Filter]) -> String {
        "ledger_by_" + filters.map(\.rawValue).joined(separator: "_")
    }

    static func plan(_ fixture: LedgerFixture, _ query: LedgerQuery) throws -> String {
        let (sql, arguments) = query.sql(selecting: LedgerEntry.selectList)
        return try fixture.store.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }.joined(separator: "\n")
    }

    @Test("every combination returns exactly the matching rows, newest first, and pages on", arguments: combinations)
    func results(_ filters: [Filter]) throws {
        let fixture = try Self.seeded()
        let everything = try fixture.ledger.list(LedgerQuery(limit: nil))
        let expected = everything.filter { Self.matches($0, filters) }.map(\.id)
        #expect(!expected.isEmpty || filters.count > 2, "the fixture should match \(filters)")
        for bound in [Bound.none, .timeRange] {
            #expect(try fixture.ledger.list(Self.query(filters, bound)).map(\.id) == expected, "\(filters), \(bound)")
        }
        if expected.count > 1, let second = everything.first(where: { $0.id == expected[1] }) {
            let rest = try fixture.ledger.list(Self.query(filters, .pagingPosition, after: .init(recordedAt: second.recordedAt, id: second.id)))
            #expect(rest.map(\.id) == Array(expected.dropFirst(2)), "\(filters) after the second row")
        }
    }

    @Test("every combination reads its own index in time order, with or without statistics", arguments: combinations)
    func plans(_ filters: [Filter]) throws {
        let fixture = try Self.seeded()
        for analyzed in [false, true] {
            if analyzed { try fixture.store.database.write { try $0.execute(sql: "ANALYZE ledger_entry") } }
            for bound in Bound.allCases {
                let text = try Self.plan(fixture, Self.query(filters, bound))
                let context = "\(filters), \(bound), analyzed: \(analyzed): \(text)"
                #expect(text.contains("USING INDEX \(Self.indexName(filters)) ("), "\(context)")
                #expect(!text.contains("TEMP B-TREE"), "sorts instead of reading in index order: \(context)")
            }
        }
    }

    /// `release=8` may name sequence 8 or version "8": two arms merged in time order.
    /// Which index the sequence arm reads is SQLite's choice by its statistics (on a
    /// million rows, ledger_by_sequence: BENCHMARKS.md); either way nothing is sorted.
    static let releaseCombinations = combinations.filter { $0.contains(.release) }

    @Test("a bare-number release: both arms, merged in time order from their indexes", arguments: releaseCombinations)
    func bareNumberRelease(_ filters: [Filter]) throws {
        let fixture = try Self.seeded()
        let everything = try fixture.ledger.list(LedgerQuery(limit: nil))
        let expected = everything.filter { Self.matches($0, filters, bareNumber: true) }.map(\.id)
        let bareNumber = LedgerQuery.Release(argument: "8")
        #expect(try fixture.ledger.list(Self.query(filters, .none, release: bareNumber)).map(\.id) == expected, "\(filters)")
        #expect(expected.contains { id in everything.first { $0.id == id }?.releaseVersion == "8" } || filters.count > 1)
        for analyzed in [false, true] {
            if analyzed { try fixture.store.database.write { try $0.execute(sql: "ANALYZE ledger_entry") } }
            for bound in Bound.allCases {
                let text = try Self.plan(fixture, Self.query(filters, bound, release: bareNumber))
                let context = "\(filters), \(bound), analyzed: \(analyzed): \(text)"
                #expect(text.contains("MERGE (UNION)"), "\(context)")
                #expect(text.contains("USING INDEX \(Self.indexName(filters)) ("), "\(context)")
                #expect(!text.contains("TEMP B-TREE"), "sorts instead of reading in index order: \(context)")
            }
        }
    }
}
