import Foundation
import GRDB
import LockstepLedger
import LockstepRunner
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
            guard
                let upgrade =
                    try UpgradeRecord
                    .filter(
                        UpgradeRecord.Columns.installation == installation && UpgradeRecord.Columns.status == UpgradeRecord.Status.running.rawValue
                    )
                    .order(UpgradeRecord.Columns.startedAt.desc)
                    .fetchOne(db)
            else { return nil }
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
                arguments: [state.rawValue, failure, Date(), upgradeID, position]
            )
        }
    }

    public func finish(_ upgradeID: String, status: UpgradeRecord.Status, failure: String? = nil) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE upgrade SET status = ?, failure = ?, finished_at = ? WHERE id = ?",
                arguments: [status.rawValue, failure, Date(), upgradeID]
            )
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
        .journal(operation: operation, reason: error.reasonWithoutSQL)
    }

    // MARK: RunJournal

    public func recordedExit(runID: String, containerName: String) async throws -> Int32? {
        try await asyncRead { db in
            try Int32.fetchOne(
                db,
                sql: "SELECT exit_code FROM container_exit WHERE run_id = ? AND container_name = ?",
                arguments: [runID, containerName]
            )
        }
    }

    public func recordExit(runID: String, containerName: String, exitCode: Int32) async throws {
        try await asyncWrite { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO container_exit (run_id, container_name, exit_code, recorded_at) VALUES (?, ?, ?, ?)",
                arguments: [runID, containerName, exitCode, Date()]
            )
        }
    }

    // MARK: Config values

    /// The values an installation was upgraded with, password values unsealed in
    /// memory. A sealed value that cannot be opened (no key, another key) must be
    /// in `given`, else `SealedConfigUnavailable` names every such value.
    public func savedConfig(installation: String, sealer: ConfigSealer?, given: Set<String> = []) throws -> [String: String] {
        let stored = try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT name, value FROM installation_config WHERE installation = ?", arguments: [installation])
            return Dictionary(rows.map { ($0["name"] as String, $0["value"] as String) }, uniquingKeysWith: { _, last in last })
        }
        var values: [String: String] = [:]
        var unavailable: [String] = []
        for (name, value) in stored {
            guard ConfigSealer.isSealed(value) else {
                values[name] = value
                continue
            }
            if let opened = sealer?.unseal(value, installation: installation, name: name) {
                values[name] = opened
            } else if !given.contains(name) {
                unavailable.append(name)
            }
        }
        if !unavailable.isEmpty {
            throw SealedConfigUnavailable(names: unavailable.sorted(), keyPath: sealer?.keyPath ?? "(no config key given)")
        }
        return values
    }

    /// Saves the values for later upgrades and resume. `secrets` (password values)
    /// are sealed with `sealer`, or not saved at all without one: never in clear.
    public func saveConfig(installation: String, values: [String: String], secrets: [String] = [], sealer: ConfigSealer?) throws {
        let secretValues = Set(secrets)
        var rows: [(String, String)] = []
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            if secretValues.contains(value) {
                guard let sealer else { continue }
                rows.append((name, try sealer.seal(value, installation: installation, name: name)))
            } else {
                rows.append((name, value))
            }
        }
        try Self.wrapping("write") {
            try store.database.writeWithoutTransaction { db in
                // Overwritten clear text from before sealing must not linger in free pages.
                try db.execute(sql: "PRAGMA secure_delete = ON")
                try db.inTransaction {
                    for (name, value) in rows {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO installation_config (installation, name, value) VALUES (?, ?, ?)",
                            arguments: [installation, name, value]
                        )
                    }
                    return .commit
                }
            }
        }
    }
}
