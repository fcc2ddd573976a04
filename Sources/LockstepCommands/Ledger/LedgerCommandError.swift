import ArgumentParser
import LockstepLedger

/// Outcomes of ledger commands that are not library errors.
enum LedgerCommandError: Error, ExitCoded {
    case notFound(id: Int64)
    case doesNotVerify(LedgerBreak)
    case exportRefused(LedgerBreak)
    case exportedBroken(LedgerBreak)
    case cannotWrite(path: String, reason: String)
    case contradicts(checkpoint: String, size: Int64)
    case auditFailed(String)
    case originNotHeld(file: String, heldOrigin: String, storeOrigin: String)
    case noStore(path: String)

    var exitStatus: ExitStatus {
        switch self {
        case .notFound, .noStore: .notFound
        case .doesNotVerify, .exportRefused, .exportedBroken, .cannotWrite, .contradicts, .auditFailed, .originNotHeld: .failure
        }
    }

    var userMessage: String {
        switch self {
        case .notFound(let id):
            return "no ledger row \(id); `lockstep ledger ls` lists the rows"
        case .doesNotVerify(let problem):
            return "\(problem.description); the \(problem.verifiedRows) rows before it verify"
        case .exportRefused(let problem):
            return
                "the ledger does not verify (\(problem.description)); nothing exported — `ledger export --force` exports it anyway, marked as not intact"
        case .exportedBroken(let problem):
            return "exported, but the ledger does not verify (\(problem.description)); the export says so"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .contradicts(let checkpoint, let size):
            return
                "the store contradicts checkpoint \(checkpoint) (size \(size)): its first \(size) entries do not hash to the signed root; `lockstep ledger verify --checkpoint \(checkpoint)` says more"
        case .auditFailed(let message):
            return message
        case .originNotHeld(let file, let heldOrigin, let storeOrigin):
            return
                "\(file) holds checkpoints of the ledger key for the log \(heldOrigin), none for this store's \(storeOrigin): the store's origin was changed, or the file is another store's (give this store's with --checkpoints)"
        case .noStore(let path):
            return "no store at \(path): nothing to verify (--store or LOCKSTEP_STORE names the store)"
        }
    }
}

extension LedgerError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .database, .store: .storeError
        case .alteredTree: .failure
        case .invalidEntry: .invalidData
        case .output: .failure
        }
    }

    var userMessage: String { description }
}

extension LedgerKind: ExpressibleByArgument {}
extension LedgerQuery.Order: ExpressibleByArgument {}
extension LedgerExportFormat: ExpressibleByArgument {}
