import ArgumentParser
import Foundation

/// Where the store lives; shared by every command that reads or writes it.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Path of the SQLite store.",
            discussion: "Default: $LOCKSTEP_STORE, else ~/.local/share/lockstep/lockstep.sqlite",
            valueName: "path"
        )
    )
    var store: String?

    var storePath: String {
        if let store { return store }
        if let env = ProcessInfo.processInfo.environment["LOCKSTEP_STORE"], !env.isEmpty { return env }
        let base =
            ProcessInfo.processInfo.environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (Self.homeDirectory + "/.local/share")
        return base + "/lockstep/lockstep.sqlite"
    }

    /// `$HOME` as the user set it (a service, a test, a sudo wrapper), else the passwd entry's.
    static var homeDirectory: String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json
}

struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table or json.")
    var output: OutputFormat = .table
}
