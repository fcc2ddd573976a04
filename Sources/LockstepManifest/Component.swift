/// The identity of a container in a manifest: its component and its key, which
/// is the container's `name` if given, else its `image_name` (subscriptions name
/// containers this way, as Replicated does with the image name).
public struct ContainerID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var component: String
    public var container: String

    public init(component: String, container: String) {
        self.component = component
        self.container = container
    }

    public var description: String { "\(component)/\(container)" }

    public static func < (a: ContainerID, b: ContainerID) -> Bool {
        (a.component, a.container) < (b.component, b.container)
    }
}

/// A component groups containers (`components:` in the manifest).
public struct Component: Sendable, Hashable, Encodable {
    public var name: String
    public var containers: [ManifestContainer]
    public var location: SourceLocation

    public init(name: String, containers: [ManifestContainer], location: SourceLocation) {
        self.name = name
        self.containers = containers
        self.location = location
    }

    public func container(_ key: String) -> ManifestContainer? {
        containers.first { $0.key == key }
    }

    private enum CodingKeys: String, CodingKey { case name, containers }
}
