import ArgumentParser
import Foundation
import LockstepManifest
import LockstepStore

/// The root command: one binary for vendors, customers and auditors.
public struct Lockstep: AsyncParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "lockstep",
        abstract: "Ship self-hosted releases; upgrade through every required migration, with an audit ledger.",
        version: version,
        subcommands: [
            Release.self, Channel.self, CatalogCommand.self,
            Install.self, Status.self, Plan.self,
            Upgrade.self, Resume.self, Probe.self, Manifest.self, Ledger.self, Doctor.self,
            Serve.self,
        ]
    )

    public init() {}

    /// Parses the process arguments, runs the command and returns the exit status,
    /// so that `main` stays a single line and errors map to documented exit codes.
    public static func execute(_ arguments: [String]? = nil) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return report(error)
        }
    }

    static func report(_ error: any Error) -> Int32 {
        if let storeError = StoreError(sqliteFailure: error, path: nil) {
            // A read-only, corrupt or full store met in the middle of a command: a sentence, not SQL.
            return report(storeError)
        }
        if let coded = error as? any ExitCoded {
            // Messages quote names from documents and flags: one line each, escapes shown.
            FileHandle.standardError.write(Data("error: \(coded.userMessage.escapingControlCharacters(keepingNewlines: true))\n".utf8))
            return coded.exitStatus.rawValue
        }
        let code = exitCode(for: error)
        if code.isSuccess {
            // --help and --version arrive here as errors with exit code 0.
            print(fullMessage(for: error))
        } else {
            let message = fullMessage(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data("\(message.escapingControlCharacters(keepingNewlines: true))\n".utf8))
            }
        }
        return code.rawValue
    }
}
