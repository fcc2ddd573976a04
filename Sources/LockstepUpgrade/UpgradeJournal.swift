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
        try store.database.read { db in
            guard let upgrade = try UpgradeRecord
                .filter(UpgradeRecord.Columns.installation == installation && UpgradeRecord.Columns.status == "running")
                .order(UpgradeRecord.Columns.startedAt.desc)
                .fetchOne(db) else { return nil }
            return (upgrade, try steps(db, upgrade.id))
        }
    }

    public func begin(_ upgrade: UpgradeRecord, steps: [UpgradeStepRecord]) throws {
        try store.database.write { db in
            try upgrade.insert(db)
            for step in steps { try step.insert(db) }
        }
    }

    public func setStep(_ upgradeID: String, position: Int, state: UpgradeStepRecord.State, failure: String? = nil) throws {
        try store.database.write { db in
            try db.execute(
                sql: "UPDATE upgrade_step SET state = ?, failure = ?, updated_at = ? WHERE upgrade_id = ? AND position = ?",
                arguments: [state.rawValue, failure, Date(), upgradeID, position])
        }
    }

    public func finish(_ upgradeID: String, status: String, failure: String? = nil) throws {
        try store.database.write { db in
            try db.execute(
                sql: "UPDATE upgrade SET status = ?, failure = ?, finished_at = ? WHERE id = ?",
                arguments: [status, failure, Date(), upgradeID])
        }
    }

    public func steps(of upgradeID: String) throws -> [UpgradeStepRecord] {
        try store.database.read { db in try steps(db, upgradeID) }
    }

    private func steps(_ db: Database, _ upgradeID: String) throws -> [UpgradeStepRecord] {
        try UpgradeStepRecord.filter(UpgradeStepRecord.Columns.upgradeID == upgradeID).order(UpgradeStepRecord.Columns.position).fetchAll(db)
    }

    // MARK: RunJournal

    public func recordedExit(runID: String, containerName: String) async -> Int32? {
        try? await store.database.read { db in
            try Int32.fetchOne(db, sql: "SELECT exit_code FROM container_exit WHERE run_id = ? AND container_name = ?", arguments: [runID, containerName])
        }
    }

    public func recordExit(runID: String, containerName: String, exitCode: Int32) async {
        try? await store.database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO container_exit (run_id, container_name, exit_code, recorded_at) VALUES (?, ?, ?, ?)",
                arguments: [runID, containerName, exitCode, Date()])
        }
    }

    // MARK: Config values

    public func savedConfig(installation: String) throws -> [String: String] {
        try store.database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT name, value FROM installation_config WHERE installation = ?", arguments: [installation])
            return Dictionary(rows.map { ($0["name"] as String, $0["value"] as String) }, uniquingKeysWith: { _, last in last })
        }
    }

    public func saveConfig(installation: String, values: [String: String]) throws {
        try store.database.write { db in
            for (name, value) in values {
                try db.execute(sql: "INSERT OR REPLACE INTO installation_config (installation, name, value) VALUES (?, ?, ?)", arguments: [installation, name, value])
            }
        }
    }
}
