import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepLedger
import LockstepRunner
import LockstepUpgrade
import Logging

extension Lockstep {
    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upgrade",
            abstract: "Upgrade an installation, walking every required release (customer).",
            discussion: """
                Takes the installation's lock, prints the plan and applies each step: PostgreSQL must be truly \
                ready, the migration container must exit 0, and only then does the new app start. An interrupted \
                upgrade is resumed by running `upgrade` (or `resume`) again. A first upgrade is the install.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var planOptions: PlanOptions
        @OptionGroup var runOptions: RunOptions
        @OptionGroup var outputOptions: OutputOptions
        @OptionGroup var keyOptions: LedgerKeyOptions
        @OptionGroup var progressOptions: ProgressOptions

        @Flag(name: .customLong("dry-run"), help: "Print the plan and run nothing (same as `lockstep plan`).")
        var dryRun = false

        @Flag(help: "Deploy the installed release again even though its last deploy succeeded.")
        var redeploy = false

        @Flag(help: "Do not sync a mirrored channel's remote first; plan from the mirror as it is.")
        var offline = false

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            if !offline, let channel = planOptions.channel, let remote = try catalog.mirrorRemote(ofChannelNamed: channel) {
                try await Sync.sync(remote, catalog: catalog, ledger: LockstepLedger.Ledger(store: catalog.store), acceptExpired: false)
            }
            if dryRun {
                let outcome = try PlanResolver(catalog: catalog).resolve(planOptions, previewFrom: nil)
                try PlanPrinter(format: outputOptions.output).print(outcome)
                return
            }
            var request = try runOptions.request(installation: planOptions.installation, target: planOptions.to, sealer: keyOptions.configSealer)
            request.channel = planOptions.channel
            request.allowDowngrade = planOptions.allowDowngrade
            request.confirmChannelSwitch = planOptions.yes
            request.redeploy = redeploy
            try await UpgradeExecution(
                catalog: catalog,
                runOptions: runOptions,
                output: outputOptions.output,
                keyOptions: keyOptions,
                verbose: progressOptions.verbose
            ).run(request)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Finish an interrupted upgrade where it stopped.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var runOptions: RunOptions
        @OptionGroup var outputOptions: OutputOptions
        @OptionGroup var keyOptions: LedgerKeyOptions
        @OptionGroup var progressOptions: ProgressOptions

        @Option(name: .customLong("install"), help: ArgumentHelp("Installation name.", valueName: "name"))
        var installation: String = Catalog.defaultInstallation

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            _ = try catalog.installation(named: installation)
            var request = try runOptions.request(installation: installation, target: "latest", sealer: keyOptions.configSealer)
            request.resumeOnly = true
            try await UpgradeExecution(
                catalog: catalog,
                runOptions: runOptions,
                output: outputOptions.output,
                keyOptions: keyOptions,
                verbose: progressOptions.verbose
            ).run(request)
        }
    }
}

/// Runs the coordinator with progress on the terminal and a final report.
struct UpgradeExecution {
    let catalog: Catalog
    let runOptions: RunOptions
    let output: OutputFormat
    let keyOptions: LedgerKeyOptions
    var verbose = false

    func run(_ request: UpgradeRequest) async throws {
        let engine = try await runOptions.containerEngine()
        let printer = UpgradeProgressPrinter(quiet: output == .json, verbose: verbose, installation: request.installation)
        let logger = printer.logger()
        let coordinator = UpgradeCoordinator(catalog: catalog, engine: engine, logger: logger, milestones: CrashPoint.fromEnvironment())
        let outcome: UpgradeOutcome
        do {
            outcome = try await coordinator.run(request) { printer.show($0) }
        } catch {
            printer.finish()
            await signCheckpoint(request)
            throw error
        }
        printer.finish(installation: request.installation, outcome: outcome)
        await signCheckpoint(request)
        if output == .json {
            try JSONOutput.print(UpgradeReportJSON(outcome, installation: request.installation, timeline: printer.timeline))
        } else if outcome.succeeded, let version = outcome.installedVersion {
            print("installation \(request.installation) runs \(version)")
        }
        if !outcome.succeeded {
            throw UpgradeFailure(
                message: outcome.failure ?? "the upgrade failed",
                installedVersion: outcome.installedVersion,
                cause: outcome.reports.last { !$0.succeeded }?.failureCause
            )
        }
    }

    /// Every upgrade, whatever its outcome, ends with a signed checkpoint of the
    /// ledger appended to the checkpoints file outside the store. The upgrade has
    /// already happened, so a checkpoint that cannot be written is a loud warning.
    /// The checkpoint then goes to the witness of the installation's remote, if it has one.
    private func signCheckpoint(_ request: UpgradeRequest) async {
        let ledger = LockstepLedger.Ledger(store: catalog.store)
        let signed: SignedCheckpoint
        do {
            signed = try ledger.checkpoint(at: keyOptions.location)
            if output != .json {
                Terminal.note("ledger checkpoint: \(signed.checkpoint.size) entries, appended to \(keyOptions.checkpointsPath)")
            }
        } catch {
            Terminal.warn("the ledger checkpoint was not written: \(error); run `lockstep ledger checkpoint` once that is fixed")
            return
        }
        guard let remote = installationRemote(request) else { return }
        await WitnessAfterSync(ledger: ledger, keyOptions: keyOptions, quiet: output == .json).witness(
            remotes: [remote],
            catalog: catalog,
            signed: signed
        )
    }

    /// The remote the installation's channel mirrors (the channel asked for, when the installation is new).
    private func installationRemote(_ request: UpgradeRequest) -> String? {
        if let installation = try? catalog.installationIfExists(named: request.installation),
            let remote = try? catalog.mirrorRemote(ofChannelID: installation.channelID)
        {
            return remote
        }
        return request.channel.flatMap { try? catalog.mirrorRemote(ofChannelNamed: $0) }
    }
}

/// How much of an upgrade is shown while it runs.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Show every event and log line, not one line per step.")
    var verbose = false
}
