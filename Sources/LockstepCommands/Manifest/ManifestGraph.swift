import ArgumentParser
import LockstepManifest

extension Lockstep.Manifest {
    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "graph",
            abstract: "Show which container each event starts.",
            discussion:
                "Roots are the containers no event starts. --format dot prints Graphviz input: lockstep manifest graph app.yaml --format dot | dot -Tsvg > graph.svg"
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, dot
        }

        @Argument(help: "The manifest YAML file.")
        var file: String

        @Option(name: .long, help: "Output format: text or dot.")
        var format: Format = .text

        func run() async throws {
            let manifest = try LockstepManifest.Manifest.load(contentsOfFile: file)
            let graph = EventGraph(manifest)
            print(format == .dot ? graph.renderDOT() : graph.renderText(), terminator: "")
        }
    }
}
