import ArgumentParser
import Foundation
import LockstepLedger
import LockstepManifest
import LockstepRunner
import LockstepRuntime
import LockstepUpgrade

/// How releases are run: engine, network, config values, failure handling.
struct RunOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Container engine: podman or docker (default: $LOCKSTEP_RUNTIME, else whichever is installed).", valueName: "engine"))
    var runtime: EngineKind?

    @Option(
        help: ArgumentHelp(
            "Container engine API: unix:///path/to.sock or tcp://host:port, or cli (default: $LOCKSTEP_ENGINE, $CONTAINER_HOST, $DOCKER_HOST, a default socket that answers, else the CLI).",
            valueName: "url"
        )
    )
    var engine: String?

    @Option(
        help: ArgumentHelp(
            "bridge (publish ports on the node address), host, or an existing engine network; remembered per installation.",
            valueName: "mode"
        )
    )
    var network: NetworkMode?

    @Option(
        name: .customLong("node-address"),
        help: ArgumentHelp("The node's address for NodePrivateIPAddress and published ports (default 127.0.0.1).", valueName: "address")
    )
    var nodeAddress: String?

    @Option(help: ArgumentHelp("Config values file (YAML mapping name: value).", valueName: "file"))
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("A config value, name=value (repeatable).", valueName: "name=value"))
    var settings: [String] = []

    @Option(
        name: .customLong("on-failure"),
        help: ArgumentHelp("After a failed step: restore (start the previous app again) or stop.", valueName: "restore|stop")
    )
    var onFailure: RunnerOptions.OnFailure = .restore

    @Flag(name: .customLong("raw-port-listen"), help: "Treat port-listen on a postgres image as a bare TCP check.")
    var rawPortListen = false

    @Flag(name: .customLong("db-lock"), help: "Hold pg_advisory_lock on the database while a migration runs.")
    var databaseLock = false

    @Option(
        name: .customLong("lock-timeout"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "How long to wait for another upgrade of the installation (30s, 15m, 12h; a bare number is seconds).",
            valueName: "duration"
        )
    )
    var lockTimeout = DurationArgument(seconds: 60)

    func validate() throws {
        for setting in settings where !setting.contains("=") {
            throw ValidationError("--set \(setting): expected name=value")
        }
        if let engine, engine != "cli", EngineEndpoint(engine) == nil {
            throw ValidationError("--engine must be unix:///path/to/socket, tcp://host:port or cli")
        }
    }

    func configValues() throws -> [String: String] {
        var values = try config.map { try ConfigValues.load(yamlFile: $0).values } ?? [:]
        values.merge(try ConfigValues.parse(setArguments: settings).values) { _, new in new }
        return values
    }

    /// What `upgrade` and `resume` share; each then sets what only it asks for.
    func request(installation: String, target: String, sealer: ConfigSealer) throws -> UpgradeRequest {
        UpgradeRequest(
            installation: installation,
            target: target,
            configValues: try configValues(),
            nodeAddress: nodeAddress,
            network: network?.description,
            onFailure: onFailure,
            rawPortListen: rawPortListen,
            databaseLock: databaseLock,
            lockTimeout: lockTimeout.duration,
            configSealer: sealer
        )
    }

    func containerEngine() async throws -> any ContainerEngine {
        try await EngineSelection().select(engine: engine, runtime: runtime?.rawValue)
    }
}

extension RunnerOptions.OnFailure: ExpressibleByArgument {}
extension EngineKind: ExpressibleByArgument {}

extension NetworkMode: ExpressibleByArgument {
    /// `bridge`, `host`, or the name of an existing engine network.
    public init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        self.init(argument)
    }
}
