import ArgumentParser
import Foundation

extension Lockstep {
    /// Checks what an upgrade depends on before one runs: the engine and its runtime
    /// settings, the store, the keys. Each check prints a pass or fail line, with a fix.
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the container engine, its runtime settings, the store and the keys.",
            discussion: """
                Each check prints `pass` or `FAIL` with what it found, and a fix under each failure. \
                Exit status 0 when every check passes, 1 when any fails. Reads only: it never creates \
                or changes a store, key or setting.
                """
        )

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: ArgumentHelp("Container engine to check: podman or docker (default: as `upgrade` chooses).", valueName: "engine"))
        var runtime: String?

        @Option(name: .customLong("containers-conf"), help: ArgumentHelp(
            "podman's settings file.", discussion: "Default: $CONTAINERS_CONF, else /etc/containers/containers.conf", valueName: "path"))
        var containersConf: String?

        @Option(name: .customLong("ledger-key"), help: ArgumentHelp(
            "The ledger's signing key.", discussion: "Default: $LOCKSTEP_LEDGER_KEY, else ~/.config/lockstep/ledger.key", valueName: "path"))
        var ledgerKey: String?

        @Option(name: .customLong("tuf-keys"), help: ArgumentHelp("A folder of TUF signing keys to check as well.", valueName: "folder"))
        var tufKeys: String?

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let conf = containersConf ?? environment["CONTAINERS_CONF"].flatMap { $0.isEmpty ? nil : $0 } ?? "/etc/containers/containers.conf"
            let key = ledgerKey ?? environment["LOCKSTEP_LEDGER_KEY"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.config") + "/lockstep/ledger.key"
            var checks = EngineChecks(requested: runtime, containersConf: conf).run()
            checks += StoreChecks(path: storeOptions.storePath).run()
            checks += KeyChecks(ledgerKey: key, tufKeys: tufKeys).run()
            checks += RemoteChecks(storePath: storeOptions.storePath).run()
            let failed = checks.filter { !$0.passed }.count
            if outputOptions.output == .json {
                try JSONOutput.print(checks)
            } else {
                for check in checks { print(check.text) }
                if failed == 0 { print("all \(checks.count) checks pass") }
            }
            if failed > 0 { throw DoctorFailure(failed: failed, total: checks.count) }
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
