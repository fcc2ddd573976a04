import Foundation
import LockstepStore

/// The store file: there, readable by its owner alone, on this binary's schema,
/// and with sound pages. Read-only: doctor never creates or migrates a store.
struct StoreChecks {
    var path: String
    static let pagesCheck = "store pages"

    func run() -> [DoctorCheck] {
        guard let mode = FileFacts.mode(path) else {
            return [
                .fail(
                    "store",
                    "no store at \(path)",
                    fix: "pass --store (or set LOCKSTEP_STORE) to the store in use; a first `lockstep channel ls` creates one here"
                )
            ]
        }
        var checks: [DoctorCheck] = [.pass("store", path)]
        checks.append(
            mode == 0o600
                ? .pass("store mode", "0600, its owner alone reads it")
                : .fail("store mode", "\(FileFacts.octal(mode)); the store holds the journal and ledger and must be 0600", fix: "chmod 600 \(path)")
        )
        let health: StoreHealth
        do {
            health = try StoreHealth.inspect(path: path)
        } catch {
            if case .corrupt(_, let detail) = error {
                checks.append(
                    .fail(Self.pagesCheck, detail, fix: "restore the store from a backup; `sqlite3 \(path) .recover` may save what is left")
                )
            } else {
                checks.append(.fail("store schema", error.description, fix: "point --store at a lockstep store, or restore one from a backup"))
            }
            return checks
        }
        if !health.unknown.isEmpty {
            checks.append(
                .fail(
                    "store schema",
                    "written by a newer lockstep (migrations \(health.unknown.joined(separator: ", ")) unknown to this binary)",
                    fix: "use the lockstep that wrote it, or a newer one"
                )
            )
        } else if !health.missing.isEmpty {
            checks.append(
                .fail(
                    "store schema",
                    "version \(health.schemaVersion) of \(health.known.count); \(health.missing.joined(separator: ", ")) not applied",
                    fix: "run any lockstep command that writes, such as `lockstep channel ls`, to migrate it"
                )
            )
        } else {
            checks.append(.pass("store schema", "version \(health.schemaVersion), this binary's"))
        }
        checks.append(
            health.problems.isEmpty
                ? .pass(Self.pagesCheck, "quick_check found nothing wrong")
                : .fail(
                    Self.pagesCheck,
                    "quick_check: \(health.problems.prefix(3).joined(separator: "; "))",
                    fix: "restore the store from a backup; `sqlite3 \(path) .recover` may save what is left"
                )
        )
        return checks
    }
}
