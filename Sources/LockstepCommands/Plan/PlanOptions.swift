import ArgumentParser
import LockstepCatalog

/// The flags `plan` and `upgrade` share.
struct PlanOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Target: `latest` or a version on the channel.", valueName: "latest|version"))
    var to: String

    @Option(help: ArgumentHelp("Channel to upgrade from (default: the installation's; Stable for a new one).", valueName: "channel"))
    var channel: String?

    @Option(name: .customLong("install"), help: ArgumentHelp("Installation name.", valueName: "name"))
    var installation: String = Catalog.defaultInstallation

    @Flag(name: .customLong("allow-downgrade"), help: "Allow a target older than the installed release.")
    var allowDowngrade = false

    @Flag(help: "Confirm a switch between channels whose versions cannot be compared.")
    var yes = false

    func validate() throws {
        guard !to.isEmpty else { throw ValidationError("--to needs `latest` or a version") }
    }
}
