import Foundation
import LockstepCatalog
import LockstepLedger
import LockstepSync

/// DESIGN section 13's witness, run without being asked: after `sync` and at the end
/// of every upgrade, the ledger's newest checkpoint goes to the server of each http(s)
/// remote, with a consistency proof from the size that server last cosigned, and the
/// cosigned note is appended to the checkpoints file.
///
/// The sync or upgrade has already happened when this runs, so nothing here fails the
/// command: a server without a witness (404, 405) is skipped quietly; a witness that
/// refuses (the ledger does not extend what it cosigned, or it does not trust the key)
/// is one `warning:` line on standard error and a `witness-refused` row in the ledger,
/// where `ledger ls --status failed` shows it; an unreachable witness is a warning only.
struct WitnessAfterSync {
    let ledger: LockstepLedger.Ledger
    let keyOptions: LedgerKeyOptions
    /// No notes on success (`--output json`); warnings are always printed.
    var quiet = false

    /// What happened with one remote's server.
    enum Outcome: Equatable {
        case notHTTP
        case noWitness
        case cosigned(size: Int64)
        case refused
        case failed
    }

    /// The server's root: `lockstep serve` answers `/witness/add-checkpoint` there,
    /// whatever folder of it the remote's repository lives in. Nil for a local remote.
    static func witnessBase(ofRemoteLocation location: String) -> String? {
        guard let url = URL(string: location), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)" + (url.port.map { ":\($0)" } ?? "")
    }

    /// Signs a checkpoint of the whole ledger (unless `signed` is given) and sends it to
    /// the witness of the server `location` names.
    @discardableResult
    func witness(remote: String, location: String, signed given: SignedCheckpoint? = nil) async -> Outcome {
        guard let base = Self.witnessBase(ofRemoteLocation: location) else { return .notHTTP }
        let key: LedgerKey
        let signed: SignedCheckpoint
        do {
            key = try LedgerKey.loadOrCreate(path: keyOptions.keyPath)
            signed = try given ?? SignedCheckpoint.sign(Checkpoint(ledger.treeHead()), with: key)
        } catch {
            Terminal.warn("\(remote): no checkpoint for the witness: \(error)")
            return .failed
        }
        let state = WitnessedSizes(path: keyOptions.checkpointsPath + ".witnessed")
        let origin = signed.checkpoint.origin
        let old = min(state.size(url: base, origin: origin), signed.checkpoint.size)
        do {
            switch try await WitnessClient(base: base).send(signed, oldSize: old, ledger: ledger, verifier: key.verifier) {
            case .noWitness:
                return .noWitness
            case .cosigned(let cosigned):
                try CheckpointFile.append(cosigned, path: keyOptions.checkpointsPath)
                state.record(url: base, origin: origin, size: cosigned.checkpoint.size)
                if !quiet {
                    let names = cosigned.note.signatures.dropFirst(signed.note.signatures.count).map(\.name).joined(separator: ", ")
                    Terminal.note("\(remote): checkpoint of \(cosigned.checkpoint.size) entries cosigned by \(names)")
                }
                return .cosigned(size: cosigned.checkpoint.size)
            }
        } catch let error as WitnessClientError {
            switch error {
            case .inconsistent, .refused:
                Terminal.warn("\(remote): \(error.description); the ledger records the refusal")
                record(refusal: error, remote: remote, size: signed.checkpoint.size)
                return .refused
            case .unreachable, .unexpected, .ledger:
                Terminal.warn("\(remote): the checkpoint was not witnessed: \(error.description)")
                return .failed
            }
        } catch {
            Terminal.warn("\(remote): the cosigned checkpoint was not kept: \(error)")
            return .failed
        }
    }

    /// Witnesses at the servers of every http(s) remote among `remotes` (names), once per server.
    func witness(remotes: [String], catalog: Catalog, signed: SignedCheckpoint? = nil) async {
        var seen = Set<String>()
        for name in remotes {
            guard let record = try? catalog.remote(named: name),
                let base = Self.witnessBase(ofRemoteLocation: record.location), seen.insert(base).inserted
            else { continue }
            await witness(remote: name, location: record.location, signed: signed)
        }
    }

    private func record(refusal: WitnessClientError, remote: String, size: Int64) {
        let entry = NewLedgerEntry(
            kind: .upgrade,
            event: "witness-refused",
            status: .failed,
            channel: "\(remote)/*",
            message: "checkpoint of \(size) entries not cosigned: \(refusal.description)"
        )
        do {
            try ledger.append(entry)
        } catch {
            Terminal.warn("\(remote): the witness's refusal was not recorded in the ledger: \(error)")
        }
    }
}
