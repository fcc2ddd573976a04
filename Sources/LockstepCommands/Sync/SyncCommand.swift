import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepLedger
import LockstepRepository
import LockstepSync

extension Lockstep {
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Verify a remote's signed channels and replace its mirror (customer).",
            discussion: """
                Runs the TUF client workflow (root chain, timestamp, snapshot, targets: signatures, thresholds, \
                versions that never go down, expiry, hashes, lengths, a size cap on every download). Only when \
                everything verifies is the mirror replaced, in one transaction. A refusal prints one line naming \
                what failed, exits 76 and leaves the store as it was. After an http(s) remote's sync, the \
                ledger's checkpoint goes to that server's witness, when it has one (`lockstep serve \
                --witness-key`); its cosignature is appended to the checkpoints file. A witness's refusal is a \
                warning and a ledger row, not a failed sync.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var keyOptions: LedgerKeyOptions

        @Argument(help: "The remote (default: every remote).")
        var name: String?

        @Flag(name: .customLong("accept-expired"), help: "Proceed on expired metadata; recorded in the ledger.")
        var acceptExpired = false

        func run() async throws {
            let store = try storeOptions.openStore()
            let catalog = try Catalog(store: store)
            let names = try name.map { [$0] } ?? catalog.remotes().map(\.name)
            if names.isEmpty { print("no remotes; add one with `lockstep remote add NAME URL --root FILE`") }
            let ledger = LockstepLedger.Ledger(store: store)
            for remote in names {
                try await Self.sync(remote, catalog: catalog, ledger: ledger, acceptExpired: acceptExpired)
            }
            await WitnessAfterSync(ledger: ledger, keyOptions: keyOptions).witness(remotes: names, catalog: catalog)
        }

        static func sync(_ remote: String, catalog: Catalog, ledger: LockstepLedger.Ledger, acceptExpired: Bool) async throws {
            let interactive = Terminal.standardErrorIsTerminal
            var progress: (@Sendable (String) -> Void)?
            if interactive {
                progress = { line in FileHandle.standardError.write(Data("\r\(remote): \(line)\u{1B}[K".utf8)) }
            }
            let report: SyncReport
            do {
                report = try await RemoteSync(catalog: catalog, ledger: ledger).sync(remote: remote, acceptExpired: acceptExpired, progress: progress)
            } catch let error as RepositoryError {
                if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                throw SyncRefusal(remote: remote, error: error)
            }
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            for role in report.acceptedExpired {
                Terminal.warn("\(remote): accepted expired \(role) metadata (--accept-expired, recorded in the ledger)")
            }
            if report.changed {
                print(
                    "\(remote): \(report.channels) channel(s), \(report.promotions) live promotion(s), \(report.manifestsDownloaded) new manifest(s); targets version \(report.versions.targets)"
                )
            } else {
                print("\(remote): up to date (timestamp version \(report.versions.timestamp), targets version \(report.versions.targets))")
            }
        }
    }
}

/// A sync refused by the TUF workflow: the mirror is untouched.
struct SyncRefusal: ExitCoded {
    let remote: String
    let error: RepositoryError

    var exitStatus: ExitStatus {
        switch error {
        case .transport, .notFound: return .unavailable
        case .io: return .storeError
        default: return .untrusted
        }
    }

    var userMessage: String { "sync \(remote) refused, mirror unchanged: \(error.description)" }
}

extension RepositoryError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .transport, .notFound: return .unavailable
        case .keys: return .refused
        case .io: return .storeError
        default: return .untrusted
        }
    }

    var userMessage: String { description }
}
