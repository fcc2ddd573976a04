import Foundation
import LockstepLedger
import LockstepSync

/// One round with a witness, as `ledger witness` and the witnessing after `sync` and
/// `upgrade` both do it: the checkpoint goes out with a consistency proof from the size
/// that witness last cosigned, and its cosignature is appended to the checkpoints file.
struct WitnessExchange {
    let ledger: LockstepLedger.Ledger
    let keyOptions: LedgerKeyOptions

    enum Result {
        case noWitness
        /// The cosigned note, kept, and the names of the signatures the witness added.
        case cosigned(SignedCheckpoint, by: String)
    }

    func send(_ signed: SignedCheckpoint, to base: String, verifier: LedgerVerifierKey) async throws -> Result {
        let state = WitnessedSizes(path: keyOptions.checkpointsPath + ".witnessed")
        let origin = signed.checkpoint.origin
        let old = min(state.size(url: base, origin: origin), signed.checkpoint.size)
        switch try await WitnessClient(base: base).send(signed, oldSize: old, ledger: ledger, verifier: verifier) {
        case .noWitness:
            return .noWitness
        case .cosigned(let cosigned):
            try CheckpointFile.append(cosigned, path: keyOptions.checkpointsPath)
            state.record(url: base, origin: origin, size: cosigned.checkpoint.size)
            let names = cosigned.note.signatures.dropFirst(signed.note.signatures.count).map(\.name).joined(separator: ", ")
            return .cosigned(cosigned, by: names)
        }
    }
}

/// The size each witness last cosigned, per origin: `URL ORIGIN SIZE` lines beside the
/// checkpoints file, the last line winning. Only a hint: the witness says the size it holds.
struct WitnessedSizes {
    let path: String

    func size(url: String, origin: String) -> Int64 {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        let prefix = url + " " + origin + " "
        let last = String(decoding: data, as: UTF8.self).split(separator: "\n").last { $0.hasPrefix(prefix) }
        return last.flatMap { Int64($0.dropFirst(prefix.count)) } ?? 0
    }

    func record(url: String, origin: String, size: Int64) {
        guard let handle = FileHandle(forWritingAtPath: path) ?? createAndOpen() else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data("\(url) \(origin) \(size)\n".utf8))
    }

    private func createAndOpen() -> FileHandle? {
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        return FileHandle(forWritingAtPath: path)
    }
}
