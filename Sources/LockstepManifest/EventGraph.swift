/// Which container is started by which event. Roots are the containers no
/// event starts; a container with several starting events starts on the first
/// that fires. Subscriptions to containers that do not exist are left out
/// (the linter reports them).
public struct EventGraph: Sendable {
    public struct Edge: Sendable, Hashable {
        public var event: EventID
        public var trigger: Trigger
        public var subscriber: ContainerID
        /// Where the subscription is written.
        public var location: SourceLocation
    }

    public let name: String
    /// Every container, in manifest order.
    public let containers: [ContainerID]
    public let edges: [Edge]
    let specs: [ContainerID: ManifestContainer]
    let events: [EventID: ManifestEvent]

    public init(_ manifest: Manifest) {
        self.init(name: manifest.name, components: manifest.components)
    }

    public init(_ manifest: RenderedManifest) {
        self.init(name: manifest.name, components: manifest.components)
    }

    public init(name: String, components: [Component]) {
        self.name = name
        var order: [ContainerID] = []
        var specs: [ContainerID: ManifestContainer] = [:]
        for container in components.flatMap(\.containers) where specs[container.id] == nil {
            order.append(container.id)
            specs[container.id] = container
        }
        var edges: [Edge] = []
        var events: [EventID: ManifestEvent] = [:]
        for id in order {
            for event in specs[id]!.publishEvents {
                let eventID = EventID(container: id, name: event.name)
                events[eventID] = events[eventID] ?? event
                for subscription in event.subscriptions where specs[subscription.target] != nil {
                    edges.append(Edge(event: eventID, trigger: event.trigger, subscriber: subscription.target, location: subscription.location))
                }
            }
        }
        self.containers = order
        self.specs = specs
        self.edges = edges
        self.events = events
    }

    public func container(_ id: ContainerID) -> ManifestContainer? { specs[id] }

    public func event(_ id: EventID) -> ManifestEvent? { events[id] }

    /// Containers no event starts: the runner starts them first.
    public var roots: [ContainerID] {
        let started = Set(edges.map(\.subscriber))
        return containers.filter { !started.contains($0) }
    }

    public func subscribers(of event: EventID) -> [ContainerID] {
        unique(edges.filter { $0.event == event }.map(\.subscriber))
    }

    /// The events any of which starts `container` (the first to fire wins).
    public func startingEvents(of container: ContainerID) -> [EventID] {
        unique(edges.filter { $0.subscriber == container }.map(\.event))
    }

    public func events(publishedBy container: ContainerID) -> [EventID] {
        (specs[container]?.publishEvents ?? []).map { EventID(container: container, name: $0.name) }
    }

    /// Containers that `container`'s events start.
    public func successors(of container: ContainerID) -> [ContainerID] {
        unique(edges.filter { $0.event.container == container }.map(\.subscriber))
    }

    /// Each cycle once, as the path of containers that wait on each other.
    public var cycles: [[ContainerID]] {
        stronglyConnectedComponents().compactMap { members -> [ContainerID]? in
            let set = Set(members)
            let start = containers.first { set.contains($0) }!
            if members.count == 1 && !successors(of: start).contains(start) { return nil }
            return pathBack(to: start, within: set)
        }
    }

    /// Containers ordered so that every container comes after those whose events start it;
    /// ties keep manifest order. Throws on a cycle.
    public func topologicalOrder() throws(ManifestError) -> [ContainerID] {
        if let cycle = cycles.first { throw .cycle(cycle) }
        var indegree: [ContainerID: Int] = [:]
        for id in containers { indegree[id] = 0 }
        for id in containers { for next in successors(of: id) { indegree[next, default: 0] += 1 } }
        var ready = containers.filter { indegree[$0] == 0 }
        var order: [ContainerID] = []
        while !ready.isEmpty {
            let id = ready.removeFirst()
            order.append(id)
            for next in successors(of: id) {
                indegree[next]! -= 1
                if indegree[next] == 0 {
                    let index = containers.firstIndex(of: next)!
                    let position = ready.firstIndex { containers.firstIndex(of: $0)! > index } ?? ready.endIndex
                    ready.insert(next, at: position)
                }
            }
        }
        return order
    }

    private func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }

    /// A shortest path start -> ... -> start inside one strongly connected component.
    private func pathBack(to start: ContainerID, within members: Set<ContainerID>) -> [ContainerID] {
        var previous: [ContainerID: ContainerID] = [:]
        var queue = [start]
        var visited: Set<ContainerID> = []
        while !queue.isEmpty {
            let current = queue.removeFirst()
            for next in successors(of: current) where members.contains(next) {
                if next == start {
                    var path = [current]
                    while let p = previous[path[0]] { path.insert(p, at: 0) }
                    return path
                }
                if visited.insert(next).inserted {
                    previous[next] = current
                    queue.append(next)
                }
            }
        }
        return [start]
    }

    /// Tarjan's algorithm over the container graph.
    private func stronglyConnectedComponents() -> [[ContainerID]] {
        var index = 0
        var indices: [ContainerID: Int] = [:]
        var lowlink: [ContainerID: Int] = [:]
        var stack: [ContainerID] = []
        var onStack: Set<ContainerID> = []
        var result: [[ContainerID]] = []

        func visit(_ v: ContainerID) {
            indices[v] = index
            lowlink[v] = index
            index += 1
            stack.append(v)
            onStack.insert(v)
            for w in successors(of: v) {
                if indices[w] == nil {
                    visit(w)
                    lowlink[v] = min(lowlink[v]!, lowlink[w]!)
                } else if onStack.contains(w) {
                    lowlink[v] = min(lowlink[v]!, indices[w]!)
                }
            }
            if lowlink[v] == indices[v] {
                var component: [ContainerID] = []
                while let w = stack.popLast() {
                    onStack.remove(w)
                    component.append(w)
                    if w == v { break }
                }
                result.append(component)
            }
        }
        for v in containers where indices[v] == nil { visit(v) }
        return result
    }
}
