import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepPlanner
import LockstepPlanning

extension Lockstep {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Show the steps `upgrade --to` would walk, without running anything.",
            discussion: """
                Same as `lockstep upgrade --dry-run`. With --from VERSION --channel C, previews the path \
                of a customer on VERSION without any installation (vendors use it before marking a release required).
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var planOptions: PlanOptions
        @OptionGroup var outputOptions: OutputOptions

        @Option(help: ArgumentHelp("Preview from this version instead of an installation (needs --channel).", valueName: "version"))
        var from: String?

        func validate() throws {
            if from != nil && planOptions.channel == nil {
                throw ValidationError("--from needs --channel: a preview has no installation to take the channel from")
            }
        }

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let outcome = try PlanResolver(catalog: catalog).resolve(planOptions, previewFrom: from)
            try PlanPrinter(format: outputOptions.output).print(outcome)
        }
    }
}

/// Turns plan flags into the planner's answer for an installation or a preview.
struct PlanResolver {
    let catalog: Catalog

    struct Outcome {
        var installation: String?
        var result: Result<UpgradePlan, PlanRefusal>
    }

    func resolve(_ options: PlanOptions, previewFrom: String?) throws -> Outcome {
        if let previewFrom {
            let request = try PlanInputs(catalog: catalog).request(
                origin: .preview(version: previewFrom),
                channel: options.channel ?? Catalog.defaultChannel,
                target: options.to,
                allowDowngrade: options.allowDowngrade,
                confirmChannelSwitch: options.yes
            )
            return Outcome(installation: nil, result: Planner.plan(request))
        }
        let installation = try catalog.installationIfExists(named: options.installation)
        let inputs = PlanInputs(catalog: catalog)
        let channelName = try inputs.channelName(requested: options.channel, installation: installation)
        let origin: PlanOrigin = installation.map { .installation($0) } ?? .none
        let request = try inputs.request(
            origin: origin,
            channel: channelName,
            target: options.to,
            allowDowngrade: options.allowDowngrade,
            confirmChannelSwitch: options.yes
        )
        return Outcome(installation: options.installation, result: Planner.plan(request))
    }
}
