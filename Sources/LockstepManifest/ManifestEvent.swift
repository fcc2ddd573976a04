/// What makes an event fire (see DESIGN section 3).
public enum Trigger: String, Sendable, Hashable, CaseIterable, Codable {
    /// A TCP connect to the port in `data` succeeds.
    case portListen = "port-listen"
    /// lockstep's readiness probe passes for the connection string in `data`.
    case postgresReady = "postgres-ready"
    case containerStart = "container-start"
    /// The container exited with status 0.
    case containerStop = "container-stop"
    /// `args` run inside the container until they exit 0.
    case exec
}

/// An event a container publishes, and the containers it starts.
public struct ManifestEvent: Sendable, Hashable, Encodable {
    /// Replicated's default: 10 minutes.
    public static let defaultTimeout: Duration = .seconds(600)
    /// The longest event timeout or stop timeout a manifest may ask for (30 days): far
    /// beyond any real wait, and far from overflowing a deadline.
    public static let maximumTimeoutSeconds = 30 * 86_400

    public var name: String
    public var trigger: Trigger
    public var data: String?
    public var args: [String]
    /// nil: wait forever (`timeout: -1`).
    public var timeout: Duration?
    public var subscriptions: [Subscription]
    public var location: SourceLocation
    /// Where `data` is written, for messages about it.
    public var dataLocation: SourceLocation?
    public var triggerLocation: SourceLocation?

    public init(
        name: String,
        trigger: Trigger,
        data: String? = nil,
        args: [String] = [],
        timeout: Duration? = ManifestEvent.defaultTimeout,
        subscriptions: [Subscription] = [],
        location: SourceLocation,
        dataLocation: SourceLocation? = nil,
        triggerLocation: SourceLocation? = nil
    ) {
        self.name = name
        self.trigger = trigger
        self.data = data
        self.args = args
        self.timeout = timeout
        self.subscriptions = subscriptions
        self.location = location
        self.dataLocation = dataLocation
        self.triggerLocation = triggerLocation
    }

    private enum CodingKeys: String, CodingKey {
        case name, trigger, data, args, timeout, subscriptions
    }
}

/// `component`/`container`/`action` of a subscription. Only `start` exists.
public struct Subscription: Sendable, Hashable, Encodable {
    public var component: String
    public var container: String
    public var location: SourceLocation
    public var componentLocation: SourceLocation
    public var containerLocation: SourceLocation

    public init(
        component: String,
        container: String,
        location: SourceLocation,
        componentLocation: SourceLocation? = nil,
        containerLocation: SourceLocation? = nil
    ) {
        self.component = component
        self.container = container
        self.location = location
        self.componentLocation = componentLocation ?? location
        self.containerLocation = containerLocation ?? location
    }

    public var target: ContainerID { ContainerID(component: component, container: container) }

    private enum CodingKeys: String, CodingKey { case component, container }
}

/// An event is named by its publishing container and its name.
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var container: ContainerID
    public var name: String

    public init(container: ContainerID, name: String) {
        self.container = container
        self.name = name
    }

    public var description: String { "\(container): \"\(name)\"" }

    public static func < (a: EventID, b: EventID) -> Bool {
        (a.container, a.name) < (b.container, b.name)
    }
}
