import LockstepManifest
import LockstepRuntime

/// Turns a rendered manifest container into the engine's spec, with lockstep's
/// deterministic name and labels.
struct ContainerSpecBuilder {
    let options: RunnerOptions
    let nodeAddress: String

    func spec(for container: ManifestContainer) -> ContainerSpec {
        let ports: [LockstepRuntime.PortMapping] =
            options.network.publishesPorts
            ? container.ports.map { port in
                LockstepRuntime.PortMapping(
                    hostAddress: nodeAddress,
                    publicPort: port.publicPort ?? port.privatePort,
                    privatePort: port.privatePort,
                    proto: port.portType.rawValue == "udp" ? .udp : .tcp
                )
            }
            : []
        let volumes = container.volumes.map {
            LockstepRuntime.VolumeMount(hostPath: $0.hostPath, containerPath: $0.containerPath, readOnly: $0.options.contains("ro"))
        }
        let restart = container.restart.flatMap { LockstepRuntime.RestartPolicy($0.engineArgument) } ?? .no
        let spec = ContainerSpec(
            name: ContainerNaming.name(install: options.installation, component: container.component, container: container.key),
            image: container.imageReference,
            command: container.cmd,
            entrypoint: container.entrypoint,
            environment: container.envVars.map { ($0.name, $0.value) },
            network: options.network,
            ports: ports,
            volumes: volumes,
            restart: restart,
            stopTimeout: container.stopTimeout.map { Int($0.components.seconds) }
        )
        return spec.labelled(
            install: options.installation,
            release: options.releaseLabel,
            component: container.component,
            container: container.key,
            runID: options.runID
        )
    }
}
