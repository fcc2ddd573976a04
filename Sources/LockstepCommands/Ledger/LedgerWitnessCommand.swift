import ArgumentParser
import Foundation
import LockstepLedger
import LockstepSync

extension Lockstep.Ledger {
    struct WitnessCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "witness",
            abstract: "Have a witness cosign the ledger's newest checkpoint.",
            discussion: """
                Signs a checkpoint of the whole ledger, sends it to URL/witness/add-checkpoint (a \
                `lockstep serve --witness-key`) with a consistency proof from the size that witness last \
                cosigned, and appends the cosigned note to the checkpoints file. The witness keeps the \
                newest checkpoint of each ledger and refuses one that does not extend it: a store \
                rewritten after a cosignature cannot get another. A server without a witness is skipped. \
                Exit 1 when the witness says the ledger was rewritten, 67 when it refuses the signature, \
                69 when it cannot be reached.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var keyOptions: LedgerKeyOptions

        @Argument(help: ArgumentHelp("The witness's base URL (http or https).", valueName: "url"))
        var url: String

        func validate() throws {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ValidationError("URL must start with http:// or https://: \(url)")
            }
        }

        func run() async throws {
            let ledger = LockstepLedger.Ledger(store: try storeOptions.openStore())
            let signed = try ledger.checkpoint(at: keyOptions.location)
            let key = try LedgerKey.loadOrCreate(path: keyOptions.keyPath)
            let state = WitnessedSizes(path: keyOptions.checkpointsPath + ".witnessed")
            let origin = signed.checkpoint.origin
            let old = min(state.size(url: url, origin: origin), signed.checkpoint.size)
            switch try await WitnessClient(base: url).send(signed, oldSize: old, ledger: ledger, verifier: key.verifier) {
            case .noWitness:
                Terminal.note("\(url) has no witness; checkpoint of \(signed.checkpoint.size) entries kept locally")
            case .cosigned(let cosigned):
                try CheckpointFile.append(cosigned, path: keyOptions.checkpointsPath)
                state.record(url: url, origin: origin, size: cosigned.checkpoint.size)
                let names = cosigned.note.signatures.dropFirst(signed.note.signatures.count).map(\.name).joined(separator: ", ")
                Terminal.note("checkpoint of \(cosigned.checkpoint.size) entries cosigned by \(names)")
            }
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

extension WitnessClientError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .inconsistent: .failure
        case .refused: .refused
        case .unreachable, .unexpected: .unavailable
        case .ledger(let error): error.exitStatus
        }
    }

    var userMessage: String { description }
}

extension WitnessRefusal: ExitCoded {
    var exitStatus: ExitStatus { .storeError }
    var userMessage: String { description }
}
