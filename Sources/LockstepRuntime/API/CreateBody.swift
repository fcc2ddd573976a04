import Foundation

/// The JSON body of `POST /containers/create` for a spec. Environment values
/// travel here, in the request body, never on a command line.
struct CreateBody: Encodable {
    struct PortBinding: Encodable {
        var HostIp: String
        var HostPort: String
    }

    struct Restart: Encodable {
        var Name: String
        var MaximumRetryCount: Int
    }

    struct Host: Encodable {
        var NetworkMode: String
        var PortBindings: [String: [PortBinding]]
        var Binds: [String]
        var RestartPolicy: Restart
    }

    var Image: String
    var Cmd: [String]?
    var Entrypoint: [String]?
    var Env: [String]
    var Labels: [String: String]
    var ExposedPorts: [String: [String: String]]
    var StopTimeout: Int?
    var HostConfig: Host

    init(_ spec: ContainerSpec) {
        Image = spec.image
        Cmd = spec.command
        // An empty entrypoint clears the image's, which the API spells as one empty string.
        Entrypoint = spec.entrypoint.map { $0.isEmpty ? [""] : $0 }
        Env = spec.environment.map { "\($0.name)=\($0.value)" }
        Labels = spec.labels
        StopTimeout = spec.stopTimeout
        var bindings: [String: [PortBinding]] = [:]
        if spec.network.publishesPorts {
            for port in spec.ports {
                bindings["\(port.privatePort)/\(port.proto.rawValue)", default: []]
                    .append(PortBinding(HostIp: port.hostAddress, HostPort: String(port.publicPort)))
            }
        }
        ExposedPorts = bindings.mapValues { _ in [:] }
        let restart: Restart =
            switch spec.restart {
            case .no: Restart(Name: "no", MaximumRetryCount: 0)
            case .always: Restart(Name: "always", MaximumRetryCount: 0)
            case .unlessStopped: Restart(Name: "unless-stopped", MaximumRetryCount: 0)
            case .onFailure(let retries): Restart(Name: "on-failure", MaximumRetryCount: retries ?? 0)
            }
        HostConfig = .init(
            NetworkMode: spec.network.description,
            PortBindings: bindings,
            Binds: spec.volumes.map(\.volumeArgument),
            RestartPolicy: restart
        )
    }

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(self)
    }
}

/// `GET /containers/json` rows. The list has no exit code field; docker and podman
/// both put it in `Status` ("Exited (3) 2 minutes ago").
struct ListRow: Decodable {
    var Id: String
    var Names: [String]?
    var Image: String?
    var ImageID: String?
    var State: String?
    var Status: String?
    var Labels: [String: String]?

    var summary: ContainerSummary {
        var name = Names?.first ?? Id
        if name.hasPrefix("/") { name.removeFirst() }
        return ContainerSummary(
            id: Id,
            name: name,
            image: Image ?? "",
            imageID: ImageDigest.bare(ImageID ?? ""),
            status: ContainerStatus(engineValue: State ?? "unknown"),
            exitCode: exitCode,
            labels: Labels ?? [:]
        )
    }

    var exitCode: Int32 {
        guard let status = Status, status.hasPrefix("Exited ("),
            let close = status.firstIndex(of: ")")
        else { return 0 }
        return Int32(status[status.index(status.startIndex, offsetBy: "Exited (".count)..<close]) ?? 0
    }
}
