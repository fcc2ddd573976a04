import ArgumentParser
import Foundation
import LockstepLedger

/// Where the ledger key and the checkpoints file live: outside the store, so a
/// copy of the store (or someone who can write it) holds neither.
struct LedgerKeyOptions: ParsableArguments {
    @Option(
        name: .customLong("ledger-key"),
        help: ArgumentHelp(
            "The Ed25519 key that signs checkpoints (created, mode 0600, on first use).",
            discussion: "Default: $LOCKSTEP_LEDGER_KEY, else ~/.config/lockstep/ledger.key",
            valueName: "path"
        )
    )
    var ledgerKey: String?

    @Option(
        name: .customLong("checkpoints"),
        help: ArgumentHelp(
            "The file every signed checkpoint is appended to.",
            discussion: "Default: checkpoints, beside the ledger key",
            valueName: "path"
        )
    )
    var checkpoints: String?

    var keyPath: String {
        if let ledgerKey { return ledgerKey }
        let environment = ProcessInfo.processInfo.environment
        if let env = environment["LOCKSTEP_LEDGER_KEY"], !env.isEmpty { return env }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/lockstep/ledger.key"
    }

    /// The folder of the key: the checkpoints file and the config sealing key default to it.
    var keyFolder: String {
        (keyPath as NSString).deletingLastPathComponent
    }

    var checkpointsPath: String {
        checkpoints ?? (keyFolder.isEmpty ? "checkpoints" : keyFolder + "/checkpoints")
    }

    /// Password config values are sealed under `config.key`, beside the ledger key.
    var configSealer: ConfigSealer {
        ConfigSealer(keyPath: keyFolder.isEmpty ? "config.key" : keyFolder + "/config.key")
    }

    var location: LedgerKeyLocation {
        LedgerKeyLocation(keyPath: keyPath, checkpointsPath: checkpointsPath)
    }
}

extension KeyFileError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .tooOpen: .refused
        case .malformed: .invalidData
        case .unreadable, .cannotCreate: .failure
        }
    }

    var userMessage: String { description }
}

extension CheckpointFileError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .malformed: .invalidData
        case .unreadable, .cannotWrite: .failure
        }
    }

    var userMessage: String { description }
}

extension LedgerCheckpointError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .key(let error): error.exitStatus
        case .file(let error): error.exitStatus
        case .ledger(let error): error.exitStatus
        }
    }

    var userMessage: String { description }
}

extension LedgerKeyOptions {
    /// `given` as a verifier key (its text, or a file holding it), else the ledger key's own; nil without either.
    func verifier(_ given: String?) throws -> LedgerVerifierKey? {
        guard let given else { return try LedgerKey.load(path: keyPath)?.verifier }
        if let key = LedgerVerifierKey(given) { return key }
        if let data = FileManager.default.contents(atPath: given), let key = LedgerVerifierKey(String(decoding: data, as: UTF8.self)) {
            return key
        }
        throw ValidationError("--verifier: not a verifier key (name+id+base64) nor a file holding one: \(given)")
    }
}

extension SealedConfigUnavailable: ExitCoded {
    var exitStatus: ExitStatus { .refused }
    var userMessage: String { description }
}
