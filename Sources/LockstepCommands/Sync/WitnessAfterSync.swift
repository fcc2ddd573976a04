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

    /// The server's root: `lockstep serve` answers `/witness/add-checkpoint` there,
    /// whatever folder of it the remote's repository lives in. Nil for a local remote.
    static func witnessBase(ofRemoteLocation location: String) -> String? {
        guard let url = URL(string: location), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)" + (url.port.map { ":\($0)" } ?? "")
    }

    /// Sends `signed` to the witness at the server root `base`.
    private func witness(remote: String, base: String, signed: SignedCheckpoint, key: LedgerKey) async {
        do {
            let exchange = WitnessExchange(ledger: ledger, keyOptions: keyOptions)
            if case .cosigned(let cosigned, let names) = try await exchange.send(signed, to: base, verifier: key.verifier), !quiet {
                Terminal.note("\(remote): checkpoint of \(cosigned.checkpoint.size) entries cosigned by \(names)")
            }
        } catch let error as WitnessClientError {
            switch error {
            case .inconsistent, .refused:
                Terminal.warn("\(remote): \(error.description); the ledger records the refusal")
                record(refusal: error, remote: remote, size: signed.checkpoint.size)
            case .unreachable, .unexpected, .ledger:
                Terminal.warn("\(remote): the checkpoint was not witnessed: \(error.description)")
            }
        } catch {
            Terminal.warn("\(remote): the cosigned checkpoint was not kept: \(error)")
        }
    }

    /// Witnesses at the servers of every http(s) remote among `remotes` (names), once per
    /// server, with one checkpoint: `signed`, or one of the whole ledger signed here.
    func witness(remotes: [String], catalog: Catalog, signed given: SignedCheckpoint? = nil) async {
        var seen = Set<String>()
        let servers = remotes.compactMap { name -> (name: String, base: String)? in
            guard let record = try? catalog.remote(named: name),
                let base = Self.witnessBase(ofRemoteLocation: record.location), seen.insert(base).inserted
            else { return nil }
            return (name, base)
        }
        guard let first = servers.first else { return }
        let key: LedgerKey
        let signed: SignedCheckpoint
        do {
            key = try LedgerKey.loadOrCreate(path: keyOptions.keyPath)
            signed = try given ?? ledger.signedCheckpoint(with: key)
        } catch {
            Terminal.warn("\(first.name): no checkpoint for the witness: \(error)")
            return
        }
        for server in servers {
            await witness(remote: server.name, base: server.base, signed: signed, key: key)
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
