import LockstepManifest
import Testing

@Suite("Event graph")
struct EventGraphTests {
    let db = ContainerID(component: "db", container: "postgres")
    let migrate = ContainerID(component: "migrate", container: "inventory")
    let web = ContainerID(component: "web", container: "inventory")

    private func inventoryGraph() throws -> EventGraph {
        EventGraph(try Manifest.load(text: try exampleText("inventory.yaml"), file: "inventory.yaml"))
    }

    @Test("the inventory example: db is the root, its readiness starts the migration, whose exit starts web")
    func inventory() throws {
        let graph = try inventoryGraph()
        let ready = EventID(container: db, name: "database accepts writes")
        let finished = EventID(container: migrate, name: "migration finished")
        #expect(graph.roots == [db])
        #expect(graph.subscribers(of: ready) == [migrate])
        #expect(graph.subscribers(of: finished) == [web])
        #expect(graph.startingEvents(of: web) == [finished])
        #expect(graph.startingEvents(of: db).isEmpty)
        #expect(graph.cycles.isEmpty)
        #expect(try graph.topologicalOrder() == [db, migrate, web])
        #expect(
            graph.edges.map { "\($0.event.container) -> \($0.subscriber) [\($0.trigger.rawValue)]" } == [
                "db/postgres -> migrate/inventory [postgres-ready]",
                "migrate/inventory -> web/inventory [container-stop]",
            ]
        )
    }

    @Test("text rendering lists roots and each event with what it starts")
    func text() throws {
        #expect(
            try inventoryGraph().renderText() == """
                roots: db/postgres
                db/postgres  [root]
                  on "database accepts writes" (postgres-ready) -> start migrate/inventory
                migrate/inventory (ephemeral)  [started by db/postgres: "database accepts writes"]
                  on "migration finished" (container-stop) -> start web/inventory
                web/inventory  [started by migrate/inventory: "migration finished"]

                """
        )
    }

    @Test("DOT rendering has one edge per subscription, labelled with event and trigger")
    func dot() throws {
        let dot = try inventoryGraph().renderDOT()
        #expect(dot.hasPrefix("digraph \"inventory\" {"))
        #expect(dot.contains(#""db/postgres" -> "migrate/inventory" [label="database accepts writes\n(postgres-ready)"];"#))
        #expect(dot.contains(#""migrate/inventory" -> "web/inventory" [label="migration finished\n(container-stop)"];"#))
        #expect(dot.contains(#""migrate/inventory" [label="migrate/inventory\n(ephemeral)", style=dashed];"#))
        #expect(dot.components(separatedBy: " -> ").count - 1 == 2)
        #expect(dot.hasSuffix("}\n"))
    }

    @Test("several starting events, roots, and cycles")
    func shapes() throws {
        func container(_ component: String, _ events: [ManifestEvent] = []) -> Component {
            let location = SourceLocation(file: "x", line: 1, column: 1)
            return Component(
                name: component,
                containers: [
                    ManifestContainer(component: component, imageName: "img", version: "1", publishEvents: events, location: location)
                ],
                location: location
            )
        }
        func event(_ name: String, starts targets: [String]) -> ManifestEvent {
            let location = SourceLocation(file: "x", line: 1, column: 1)
            return ManifestEvent(
                name: name,
                trigger: .containerStart,
                subscriptions: targets.map {
                    Subscription(component: $0, container: "img", location: location)
                },
                location: location
            )
        }
        let id = { (name: String) in ContainerID(component: name, container: "img") }
        let fanIn = EventGraph(
            name: "f",
            components: [
                container("a", [event("e1", starts: ["c"])]),
                container("b", [event("e2", starts: ["c"])]),
                container("c"),
            ]
        )
        #expect(fanIn.roots == [id("a"), id("b")])
        #expect(fanIn.startingEvents(of: id("c")) == [EventID(container: id("a"), name: "e1"), EventID(container: id("b"), name: "e2")])
        #expect(try fanIn.topologicalOrder() == [id("a"), id("b"), id("c")])

        let cyclic = EventGraph(
            name: "c",
            components: [
                container("r", [event("go", starts: ["x"])]),
                container("x", [event("e", starts: ["y"])]),
                container("y", [event("e", starts: ["x"])]),
                container("s", [event("self", starts: ["s"])]),
            ]
        )
        #expect(cyclic.cycles == [[id("x"), id("y")], [id("s")]])
        #expect(cyclic.roots == [id("r")])
        #expect(throws: ManifestError.self) { try cyclic.topologicalOrder() }
    }
}
