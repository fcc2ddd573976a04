import Foundation
import LockstepRunner
import GRDB
import LockstepStore

/// The durable journal of upgrades and of ephemeral containers' exit codes.
/// Each write is its own transaction and reaches the disk before the action it guards.
public struct UpgradeJournal: RunJournal {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// The unfinished upgrade of an installation, if a previous run was interrupted.
    public func unfinished(installation: String) throws -> (UpgradeRecord, [UpgradeStepRecord])? {
        try read { db in
            guard let upgrade = try UpgradeRecord
                .filter(UpgradeRecord.Columns.installation == installation && UpgradeRecord.Columns.status == UpgradeRecord.Status.running.rawValue)
                .order(UpgradeRecord.Columns.startedAt.desc)
                .fetchOne(db) else { return nil }
            return (upgrade, try steps(db, upgrade.id))
        }
    }

    public func begin(_ upgrade: UpgradeRecord, steps: [UpgradeStepRecord]) throws {
        try write { db in
            try upgrade.insert(db)
            for step in steps { try step.insert(db) }
        }
    }

    public func setStep(_ upgradeID: String, position: Int, state: UpgradeStepRecord.State, failure: String? = nil) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE upgrade_step SET state = ?, failure = ?, updated_at = ? WHERE upgrade_id = ? AND position = ?",
                arguments: [state.rawValue, failure, Date(), upgradeID, position])
        }
    }

    public func finish(_ upgradeID: String, status: UpgradeRecord.Status, failure: String? = nil) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE upgrade SET status = ?, failure = ?, finished_at = ? WHERE id = ?",
                arguments: [status.rawValue, failure, Date(), upgradeID])
        }
    }

    public func steps(of upgradeID: String) throws -> [UpgradeStepRecord] {
        try read { db in try steps(db, upgradeID) }
    }

    private func steps(_ db: Database, _ upgradeID: String) throws -> [UpgradeStepRecord] {
        try UpgradeStepRecord.filter(UpgradeStepRecord.Columns.upgradeID == upgradeID).order(UpgradeStepRecord.Columns.position).fetchAll(db)
    }

    // Database failures reach the user as `UpgradeError.journal`, never as GRDB's text.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.wrapping("read") { try store.database.read(body) }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.wrapping("write") { try store.database.write(body) }
    }

    private func asyncRead<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do { return try await store.database.read(body) } catch let error as DatabaseError { throw Self.journalError("read", error) }
    }

    private func asyncWrite<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do { return try await store.database.write(body) } catch let error as DatabaseError { throw Self.journalError("write", error) }
    }

    private static func wrapping<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError { throw journalError(operation, error) }
    }

    private static func journalError(_ operation: String, _ error: DatabaseError) -> UpgradeError {
        .journal(operation: operation, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
    }

    // MARK: RunJournal

    public func recordedExit(runID: String, containerName: String) async throws -> Int32? {
        try await asyncRead { db in
            try Int32.fetchOne(db, sql: "SELECT exit_code FROM container_exit WHERE run_id = ? AND container_name = ?", arguments: [runID, containerName])
        }
    }

    public func recordExit(runID: String, containerName: String, exitCode: Int32) async throws {
        try await asyncWrite { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO container_exit (run_id, container_name, exit_code, recorded_at) VALUES (?, ?, ?, ?)",
                arguments: [runID, containerName, exitCode, Date()])
        }
    }

    // MARK: Config values

    public func savedConfig(installation: String) throws -> [String: String] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT name, value FROM installation_config WHERE installation = ?", arguments: [installation])
            return Dictionary(rows.map { ($0["name"] as String, $0["value"] as String) }, uniquingKeysWith: { _, last in last })
        }
    }

    public func saveConfig(installation: String, values: [String: String]) throws {
        try write { db in
            for (name, value) in values {
                try db.execute(sql: "INSERT OR REPLACE INTO installation_config (installation, name, value) VALUES (?, ?, ?)", arguments: [installation, name, value])
            }
        }
    }
}
