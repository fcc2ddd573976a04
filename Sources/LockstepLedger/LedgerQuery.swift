import Foundation
import GRDB

/// An audit query. Every filter is optional; each one alone is served by an
/// index of `V2__ledger.sql`, and each combination of installation, release,
/// status and component by one of `V6__ledger_filter_indexes.sql`, so a query
/// reads only the rows it returns.
public struct LedgerQuery: Sendable, Equatable {
    public enum Order: String, Sendable, CaseIterable {
        case newestFirst = "newest"
        case oldestFirst = "oldest"
    }

    /// A release by version label, by vendor sequence, or (for a bare number) either.
    public enum Release: Sendable, Equatable {
        case version(String)
        case sequence(Int64)
        case versionOrSequence(String, Int64)

        /// `42` may be a sequence or a version label on a non-SemVer channel; anything else is a version.
        public init(argument: String) {
            if !argument.isEmpty, argument.allSatisfy(\.isASCII), argument.allSatisfy(\.isNumber), let number = Int64(argument) {
                self = .versionOrSequence(argument, number)
            } else {
                self = .version(argument)
            }
        }
    }

    public static let defaultLimit = 100

    /// A keyset position: rows strictly past this (recorded_at, id) in the query's order.
    /// Paging by position instead of OFFSET keeps page N as cheap as page 1.
    public struct Cursor: Sendable, Equatable {
        public var recordedAt: String
        public var id: Int64
        public init(recordedAt: String, id: Int64) {
            self.recordedAt = recordedAt
            self.id = id
        }
    }

    /// Recorded at or after.
    public var since: Date?
    /// Recorded before.
    public var until: Date?
    public var installation: String?
    public var release: Release?
    public var status: LedgerStatus?
    public var component: String?
    public var image: String?
    public var kind: LedgerKind?
    public var upgradeID: String?
    /// At most this many rows; nil for all.
    public var limit: Int?
    public var order: Order
    /// Continue after this row (the last one of the previous page).
    public var after: Cursor?

    public init(
        since: Date? = nil,
        until: Date? = nil,
        installation: String? = nil,
        release: Release? = nil,
        status: LedgerStatus? = nil,
        component: String? = nil,
        image: String? = nil,
        kind: LedgerKind? = nil,
        upgradeID: String? = nil,
        limit: Int? = LedgerQuery.defaultLimit,
        order: Order = .newestFirst
    ) {
        self.since = since
        self.until = until
        self.installation = installation
        self.release = release
        self.status = status
        self.component = component
        self.image = image
        self.kind = kind
        self.upgradeID = upgradeID
        self.limit = limit
        self.order = order
    }

    /// The SELECT for this query. Ordering by (recorded_at, id) rather than id
    /// alone lets each (columns…, recorded_at) index deliver rows already sorted.
    func sql(selecting columns: String) -> (String, StatementArguments) {
        var sql: String
        var arguments: StatementArguments
        if case .versionOrSequence(let version, let sequence) = release {
            // With `sequence = ? OR version = ?` SQLite collects both sets and sorts
            // them: every row of the release, for a page of 50. Two arms, each read in
            // time order from its own index and merged, stop at the limit; UNION keeps
            // a row that both arms find once.
            var bySequence = self
            bySequence.release = .sequence(sequence)
            var byVersion = self
            byVersion.release = .version(version)
            let (second, secondArguments) = byVersion.select(columns)
            (sql, arguments) = bySequence.select(columns)
            sql += " UNION " + second
            arguments += secondArguments
        } else {
            (sql, arguments) = select(columns)
        }
        let direction = order == .newestFirst ? "DESC" : "ASC"
        sql += " ORDER BY recorded_at \(direction), id \(direction)"
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        return (sql, arguments)
    }

    private func select(_ columns: String) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        func add(_ condition: String, _ values: [(any DatabaseValueConvertible)?]) {
            conditions.append(condition)
            arguments += StatementArguments(values)
        }
        if let since { add("recorded_at >= ?", [LedgerTimestamp.string(from: since)]) }
        if let until { add("recorded_at < ?", [LedgerTimestamp.string(from: until)]) }
        if let installation { add("installation = ?", [installation]) }
        switch release {
        case .version(let version): add("release_version = ?", [version])
        case .sequence(let sequence): add("release_sequence = ?", [sequence])
        case .versionOrSequence, nil: break
        }
        if let status { add("status = ?", [status.rawValue]) }
        if let component { add("component = ?", [component]) }
        if let image { add("image = ?", [image]) }
        if let kind { add("kind = ?", [kind.rawValue]) }
        if let upgradeID { add("upgrade_id = ?", [upgradeID]) }
        if let after {
            add("(recorded_at, id) \(order == .newestFirst ? "<" : ">") (?, ?)", [after.recordedAt, after.id])
        }
        var sql = "SELECT \(columns) FROM ledger_entry"
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.joined(separator: " AND ")
        }
        return (sql, arguments)
    }
}
