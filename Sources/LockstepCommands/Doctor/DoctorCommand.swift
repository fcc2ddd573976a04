import ArgumentParser
import Foundation
import LockstepLedger
import LockstepStore

extension Lockstep {
    /// Checks what an upgrade depends on before one runs: the engine and its runtime
    /// settings, the store, the keys. Each check prints a pass or fail line, with a fix.
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check the container engine, its runtime settings, the store, the ledger and the keys.",
            discussion: """
                Each check prints `pass` or `FAIL` with what it found, and a fix under each failure. \
                Exit status 0 when every check passes, 74 when the store's pages are corrupt (SQLite's \
                quick_check), 1 when any other check fails. It never creates a store, key or setting.
                """
        )

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: ArgumentHelp("Container engine to check: podman or docker (default: as `upgrade` chooses).", valueName: "engine"))
        var runtime: String?

        @Option(
            name: .customLong("containers-conf"),
            help: ArgumentHelp(
                "podman's settings file.",
                discussion: "Default: $CONTAINERS_CONF, else /etc/containers/containers.conf",
                valueName: "path"
            )
        )
        var containersConf: String?

        @OptionGroup var keyOptions: LedgerKeyOptions

        @Option(name: .customLong("tuf-keys"), help: ArgumentHelp("A folder of TUF signing keys to check as well.", valueName: "folder"))
        var tufKeys: String?

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let conf = containersConf ?? environment["CONTAINERS_CONF"].flatMap { $0.isEmpty ? nil : $0 } ?? "/etc/containers/containers.conf"
            var checks = EngineChecks(requested: runtime, containersConf: conf).run()
            let storeChecks = StoreChecks(path: storeOptions.storePath).run()
            checks += storeChecks
            if storeChecks.allSatisfy(\.passed) { checks.append(ledgerCheck()) }
            checks += KeyChecks(ledgerKey: keyOptions.keyPath, checkpoints: keyOptions.checkpointsPath, tufKeys: tufKeys).run()
            // Remotes are read only from a store that checked out: doctor never migrates or creates one.
            if storeChecks.allSatisfy(\.passed), let remotes = try? storeOptions.openCatalog().remotes() {
                checks += await RemoteChecks(remotes: remotes).run()
            }
            let failed = checks.filter { !$0.passed }.count
            if outputOptions.output == .json {
                try JSONOutput.print(checks)
            } else {
                for check in checks { print(check.text) }
                if failed == 0 { print("all \(checks.count) checks pass") }
            }
            if let pages = checks.first(where: { $0.name == StoreChecks.pagesCheck && !$0.passed }) {
                throw StoreError.corrupt(path: storeOptions.storePath, detail: pages.detail)
            }
            if failed > 0 { throw DoctorFailure(failed: failed, total: checks.count) }
        }

        /// The ledger's hash chain, read only once the store itself checked out.
        private func ledgerCheck() -> DoctorCheck {
            do {
                let verification = try LockstepLedger.Ledger(store: try storeOptions.openStore()).verify()
                if case .broken = verification {
                    return .fail(
                        "ledger",
                        verification.description,
                        fix: "`lockstep ledger verify` names the first bad entry; restore the store from a backup"
                    )
                }
                return .pass("ledger", verification.description)
            } catch {
                return .fail("ledger", "\(error)", fix: "run `lockstep ledger verify` for the details")
            }
        }
    }
}

/// Some check failed; the lines above name each one and its fix.
struct DoctorFailure: ExitCoded {
    let failed: Int
    let total: Int
    var exitStatus: ExitStatus { .failure }
    var userMessage: String { "doctor: \(failed) of \(total) checks failed" }
}
