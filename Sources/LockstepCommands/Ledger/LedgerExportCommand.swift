import ArgumentParser
import Foundation
import LockstepLedger
import LockstepStore

extension Lockstep.Ledger {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the verified ledger, with its hash chain, for an auditor.",
            discussion: """
                Every row in id order with all columns, including previous_hash and row_hash; the \
                JSON form also states the hash scheme and the verification result, so the chain \
                can be rechecked independently. Refused (exit 1) when the ledger does not verify, \
                unless --force.
                """
        )

        @OptionGroup var storeOptions: StoreOptions

        @Option(name: [.long, .customLong("format")], help: "Output format: json, csv or jsonl (one entry a line, with its Merkle leaf).")
        var output: LedgerExportFormat = .json

        @Option(help: ArgumentHelp("Write to this file (mode 0600) instead of standard output.", valueName: "path"))
        var file: String?

        @Flag(help: "Export even when the ledger does not verify (still exits 1).")
        var force = false

        func run() async throws {
            let store = try storeOptions.openStore()
            let ledger = LockstepLedger.Ledger(store: store)
            let verification: LedgerVerification
            if let file {
                verification = try Self.export(ledger, format: output, force: force, toFile: file)
            } else {
                let handle = FileHandle.standardOutput
                verification = try ledger.export(output, force: force) { handle.write(Data($0.utf8)) }
            }
            if case .broken(let problem) = verification {
                throw force ? LedgerCommandError.exportedBroken(problem) : LedgerCommandError.exportRefused(problem)
            }
        }

        /// Written beside the target and renamed at the end, so a refused or failed
        /// export never leaves a partial file where an auditor expects a complete one.
        static func export(_ ledger: LockstepLedger.Ledger, format: LedgerExportFormat, force: Bool, toFile path: String) throws -> LedgerVerification
        {
            let target = URL(fileURLWithPath: path)
            let temporary = target.deletingLastPathComponent().appendingPathComponent(
                ".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial"
            )
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = try? FileHandle(forWritingTo: temporary)
            else {
                throw LedgerCommandError.cannotWrite(path: path, reason: "the folder does not exist or is not writable")
            }
            var wrote = false
            defer {
                try? handle.close()
                if !wrote { try? FileManager.default.removeItem(at: temporary) }
            }
            let verification = try ledger.export(format, force: force) { try handle.write(contentsOf: Data($0.utf8)) }
            guard verification.isIntact || force else { return verification }
            do {
                try handle.synchronize()
                try handle.close()
                if FileManager.default.fileExists(atPath: target.path) {
                    _ = try FileManager.default.replaceItemAt(target, withItemAt: temporary)
                } else {
                    try FileManager.default.moveItem(at: temporary, to: target)
                }
                wrote = true
            } catch {
                throw LedgerCommandError.cannotWrite(path: path, reason: error.localizedDescription)
            }
            return verification
        }
    }
}
