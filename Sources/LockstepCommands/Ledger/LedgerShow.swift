import ArgumentParser
import Foundation
import LockstepLedger
import LockstepStore

extension Lockstep.Ledger {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one ledger row with its log tail.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: ArgumentHelp("The row's id, as `ledger ls` shows it.", valueName: "id"))
        var id: Int64

        @Option(help: "Output format: table or json.")
        var output: OutputFormat = .table

        func run() async throws {
            let store = try storeOptions.openStore()
            guard let entry = try LockstepLedger.Ledger(store: store).entry(id: id) else {
                throw LedgerCommandError.notFound(id: id)
            }
            switch output {
            case .json:
                print(try JSONOutput.encode(entry))
            case .table:
                print(Self.render(entry), terminator: "")
            }
        }

        static func render(_ entry: LedgerEntry) -> String {
            let command = entry.commandArguments.map { $0.map(shellQuoted).joined(separator: " ") } ?? entry.command
            let fields: [(String, String?)] = [
                ("id", String(entry.id)),
                ("recorded at", entry.recordedAt),
                ("kind", entry.kind.rawValue),
                ("event", entry.event.rawValue),
                ("status", entry.status.rawValue),
                ("upgrade", entry.upgradeID),
                ("installation", entry.installation),
                ("channel", entry.channel),
                ("release", entry.releaseVersion == nil && entry.releaseSequence == nil ? nil : LedgerTable.release(entry)),
                ("manifest sha256", entry.manifestSHA256),
                ("component", entry.component),
                ("container", entry.container),
                ("image", entry.image),
                ("image id", entry.imageID),
                ("command", command),
                ("started at", entry.startedAt),
                ("finished at", entry.finishedAt),
                ("duration", entry.durationMs.map(LedgerTable.duration)),
                ("exit code", entry.exitCode.map { String($0) }),
                ("operator", entry.operatorName),
                ("host", entry.host),
                ("message", entry.message),
                ("previous hash", entry.previousHash),
                ("row hash", entry.rowHash),
            ]
            let width = fields.map(\.0.count).max() ?? 0
            var text = ""
            for (name, value) in fields {
                text += name + ":" + String(repeating: " ", count: width - name.count + 1) + (value.map(LedgerTable.flatten) ?? "-") + "\n"
            }
            if let variables = entry.environmentVariables, !variables.isEmpty {
                text += "environment:\n"
                for name in variables.keys.sorted() {
                    text += "  \(name)=\(variables[name] ?? "")\n"
                }
            } else if let environment = entry.environment {
                text += "environment: \(environment)\n"
            }
            if let log = entry.logTail, !log.isEmpty {
                text += "log tail:\n"
                text += log.hasSuffix("\n") ? log : log + "\n"
            } else {
                text += "log tail: -\n"
            }
            return text
        }

        /// So a shown command can be pasted back into a shell.
        static func shellQuoted(_ argument: String) -> String {
            let safe = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0) }
            if safe && !argument.isEmpty { return argument }
            return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }
}
