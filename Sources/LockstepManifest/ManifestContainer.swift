/// One container of a component, as the manifest declares it. In a
/// `RenderedManifest` every templated string is resolved.
///
/// The `Encodable` form leaves out source locations, so that it can be hashed
/// into a spec hash that does not change when lines move.
public struct ManifestContainer: Sendable, Hashable, Encodable {
    public var component: String
    public var source: String
    public var imageName: String
    public var version: String
    public var name: String?
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var envVars: [EnvVar]
    public var ephemeral: Bool
    public var ports: [PortMapping]
    public var volumes: [VolumeMount]
    public var restart: RestartPolicy?
    public var stopTimeout: Duration?
    public var publishEvents: [ManifestEvent]
    public var location: SourceLocation

    public init(
        component: String,
        source: String = "public",
        imageName: String,
        version: String,
        name: String? = nil,
        cmd: [String]? = nil,
        entrypoint: [String]? = nil,
        envVars: [EnvVar] = [],
        ephemeral: Bool = false,
        ports: [PortMapping] = [],
        volumes: [VolumeMount] = [],
        restart: RestartPolicy? = nil,
        stopTimeout: Duration? = nil,
        publishEvents: [ManifestEvent] = [],
        location: SourceLocation
    ) {
        self.component = component
        self.source = source
        self.imageName = imageName
        self.version = version
        self.name = name
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.envVars = envVars
        self.ephemeral = ephemeral
        self.ports = ports
        self.volumes = volumes
        self.restart = restart
        self.stopTimeout = stopTimeout
        self.publishEvents = publishEvents
        self.location = location
    }

    /// The key subscriptions use: `name` if given, else `image_name`.
    public var key: String { name ?? imageName }

    public var id: ContainerID { ContainerID(component: component, container: key) }

    /// What to hand the engine: `image_name:version`. `public` and `replicated`
    /// sources (and `localhost/` images built locally) need no registry prefix.
    public var imageReference: String {
        "\(imageName):\(version)"
    }

    /// True for the official `postgres` image (any registry or namespace):
    /// a `port-listen` on it is probed as `postgres-ready`.
    public var isPostgresImage: Bool {
        imageName.split(separator: "/").last.map(String.init) == "postgres"
    }

    /// Whether `event`, one this container publishes, says a database accepts work:
    /// `postgres-ready`, or `port-listen` on a postgres image.
    public func isDatabaseEvent(_ event: ManifestEvent) -> Bool {
        event.trigger == .postgresReady || (event.trigger == .portListen && isPostgresImage)
    }

    private enum CodingKeys: String, CodingKey {
        case component, source, imageName, version, name, cmd, entrypoint, envVars, ephemeral
        case ports, volumes, restart, stopTimeout, publishEvents
    }
}

public struct EnvVar: Sendable, Hashable, Encodable {
    public var name: String
    public var value: String
    /// `static_val`: used verbatim, templates are not expanded.
    public var isStatic: Bool

    public init(name: String, value: String, isStatic: Bool = false) {
        self.name = name
        self.value = value
        self.isStatic = isStatic
    }
}

public enum PortProtocol: String, Sendable, Hashable, Codable {
    case tcp, udp
}

public struct PortMapping: Sendable, Hashable, Encodable {
    public var privatePort: Int
    /// nil: not published on the node.
    public var publicPort: Int?
    public var portType: PortProtocol

    public init(privatePort: Int, publicPort: Int? = nil, portType: PortProtocol = .tcp) {
        self.privatePort = privatePort
        self.publicPort = publicPort
        self.portType = portType
    }
}

public struct VolumeMount: Sendable, Hashable, Encodable {
    public var hostPath: String
    public var containerPath: String
    /// Mount options such as `ro`, `z`.
    public var options: [String]

    public init(hostPath: String, containerPath: String, options: [String] = []) {
        self.hostPath = hostPath
        self.containerPath = containerPath
        self.options = options
    }
}

/// `restart:` as a string (`always`, `on-failure`, `unless-stopped`, `no`) or
/// Replicated's mapping `{policy: on-failure, max: 3}`.
public enum RestartPolicy: Sendable, Hashable, Encodable {
    case no
    case always
    case unlessStopped
    case onFailure(maxRetries: Int?)

    /// The value of the engine's `--restart` flag.
    public var engineArgument: String {
        switch self {
        case .no: return "no"
        case .always: return "always"
        case .unlessStopped: return "unless-stopped"
        case let .onFailure(max): return max.map { "on-failure:\($0)" } ?? "on-failure"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(engineArgument)
    }
}
