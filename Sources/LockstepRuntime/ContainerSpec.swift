/// How a container joins the network (DESIGN.md §5, `--network`).
public enum NetworkMode: Sendable, Hashable, CustomStringConvertible {
    /// The engine's default bridge; declared ports are published on the node address.
    case bridge
    /// The host's network namespace; ports need no publishing.
    case host
    /// An existing engine network; ports are published like for `bridge`.
    case named(String)

    public init(_ value: String) {
        switch value {
        case "bridge": self = .bridge
        case "host": self = .host
        default: self = .named(value)
        }
    }

    public var description: String {
        switch self {
        case .bridge: "bridge"
        case .host: "host"
        case .named(let name): name
        }
    }

    public var publishesPorts: Bool { self != .host }
}

public struct EnvironmentVariable: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public struct PortMapping: Sendable, Hashable {
    public enum Proto: String, Sendable, Hashable { case tcp, udp }

    /// The address the published port binds to: the installation's node address.
    public var hostAddress: String
    public var publicPort: Int
    public var privatePort: Int
    public var proto: Proto

    public init(hostAddress: String = "127.0.0.1", publicPort: Int, privatePort: Int, proto: Proto = .tcp) {
        self.hostAddress = hostAddress
        self.publicPort = publicPort
        self.privatePort = privatePort
        self.proto = proto
    }

    /// The `-p` value: `address:public:private/proto` (IPv6 addresses bracketed).
    public var publishArgument: String {
        let address = hostAddress.contains(":") && !hostAddress.hasPrefix("[") ? "[\(hostAddress)]" : hostAddress
        return "\(address):\(publicPort):\(privatePort)/\(proto.rawValue)"
    }
}

public struct VolumeMount: Sendable, Hashable {
    public var hostPath: String
    public var containerPath: String
    public var readOnly: Bool

    public init(hostPath: String, containerPath: String, readOnly: Bool = false) {
        self.hostPath = hostPath
        self.containerPath = containerPath
        self.readOnly = readOnly
    }

    public var volumeArgument: String {
        "\(hostPath):\(containerPath)" + (readOnly ? ":ro" : "")
    }
}

public enum RestartPolicy: Sendable, Hashable {
    case no, always, unlessStopped
    case onFailure(maxRetries: Int?)

    /// Accepts the engine spellings (`no`, `always`, `unless-stopped`, `on-failure[:N]`).
    public init?(_ value: String) {
        switch value {
        case "", "no", "never": self = .no
        case "always": self = .always
        case "unless-stopped": self = .unlessStopped
        case "on-failure": self = .onFailure(maxRetries: nil)
        default:
            guard value.hasPrefix("on-failure:"), let retries = Int(value.dropFirst("on-failure:".count)), retries >= 0
            else { return nil }
            self = .onFailure(maxRetries: retries)
        }
    }

    public var engineValue: String {
        switch self {
        case .no: "no"
        case .always: "always"
        case .unlessStopped: "unless-stopped"
        case .onFailure(nil): "on-failure"
        case .onFailure(let retries?): "on-failure:\(retries)"
        }
    }
}

/// Everything needed to create one container. A plain value: the runner builds
/// it from the manifest; `specHash` tells whether a running container still
/// matches it.
public struct ContainerSpec: Sendable, Hashable {
    public var name: String
    public var image: String
    /// Overrides the image's CMD when set.
    public var command: [String]?
    /// Overrides the image's ENTRYPOINT when set; `[]` clears it.
    public var entrypoint: [String]?
    /// In order: a later variable of the same name wins, as with `-e`.
    public var environment: [EnvironmentVariable]
    public var labels: [String: String]
    public var network: NetworkMode
    public var ports: [PortMapping]
    public var volumes: [VolumeMount]
    public var restart: RestartPolicy
    /// Seconds between the stop signal and SIGKILL.
    public var stopTimeout: Int?

    public init(
        name: String,
        image: String,
        command: [String]? = nil,
        entrypoint: [String]? = nil,
        environment: [(String, String)] = [],
        labels: [String: String] = [:],
        network: NetworkMode = .bridge,
        ports: [PortMapping] = [],
        volumes: [VolumeMount] = [],
        restart: RestartPolicy = .no,
        stopTimeout: Int? = nil
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.entrypoint = entrypoint
        self.environment = environment.map { EnvironmentVariable($0.0, $0.1) }
        self.labels = labels
        self.network = network
        self.ports = ports
        self.volumes = volumes
        self.restart = restart
        self.stopTimeout = stopTimeout
    }
}
