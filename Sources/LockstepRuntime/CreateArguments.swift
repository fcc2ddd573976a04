/// The argument vector of `<engine> create` for a spec. Pure, so tests can
/// assert that no environment value ever appears in it.
enum CreateArguments {
    static func build(_ spec: ContainerSpec, envFile: String?) -> [String] {
        var args = ["create", "--name", spec.name, "--pull", "never"]
        for (key, value) in spec.labels.sorted(by: { $0.key < $1.key }) {
            args += ["--label", "\(key)=\(value)"]
        }
        if let envFile { args += ["--env-file", envFile] }
        args += ["--network", spec.network.description]
        if spec.network.publishesPorts {
            for port in spec.ports { args += ["-p", port.publishArgument] }
        }
        for volume in spec.volumes { args += ["-v", volume.volumeArgument] }
        if spec.restart != .no { args += ["--restart", spec.restart.engineValue] }
        if let stopTimeout = spec.stopTimeout { args += ["--stop-timeout", String(stopTimeout)] }
        // docker's --entrypoint takes one executable; the rest of an entrypoint
        // array goes in front of the command, which both engines accept.
        var command = spec.command
        if let entrypoint = spec.entrypoint {
            args += ["--entrypoint", entrypoint.first ?? ""]
            if entrypoint.count > 1 { command = Array(entrypoint.dropFirst()) + (command ?? []) }
        }
        args.append("--")
        args.append(spec.image)
        args += command ?? []
        return args
    }
}
