import ArgumentParser
import Foundation
import LockstepLedger
import LockstepStore

extension Lockstep.Ledger {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List ledger rows, newest first.",
            discussion: "Times are ISO 8601 (2025-11-25, 2025-11-25T17:00:00Z) or a duration back from now (90s, 30m, 24h, 7d, 2w)."
        )

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: ArgumentHelp("Only rows recorded at or after this time.", valueName: "time"))
        var since: String?

        @Option(help: ArgumentHelp("Only rows recorded before this time.", valueName: "time"))
        var until: String?

        @Option(name: .customLong("install"), help: ArgumentHelp("Only this installation.", valueName: "name"))
        var installation: String?

        @Option(help: ArgumentHelp("Only this release: a version, or a sequence number.", valueName: "version|sequence"))
        var release: String?

        @Option(help: ArgumentHelp("Only rows with this status (running, succeeded, failed, …).", valueName: "status"))
        var status: String?

        @Option(help: ArgumentHelp("Only this component.", valueName: "name"))
        var component: String?

        @Option(help: ArgumentHelp("Only runs of this image reference.", valueName: "reference"))
        var image: String?

        @Option(help: ArgumentHelp("Only this kind: upgrade, step or run.", valueName: "kind"))
        var kind: LedgerKind?

        @Option(parsing: .unconditional, help: ArgumentHelp("At most this many rows; 0 for all.", valueName: "n"))
        var limit: Int = LedgerQuery.defaultLimit

        @Option(help: "newest (default) or oldest first.")
        var order: LedgerQuery.Order = .newestFirst

        @Option(help: "Output format: table, json or csv.")
        var output: LedgerOutputFormat = .table

        func validate() throws {
            for (name, value) in [("--since", since), ("--until", until)] {
                if let value, LedgerTimestamp.bound(from: value) == nil {
                    throw ValidationError("\(name) \(value): not an ISO 8601 time or date, nor a duration like 24h or 7d")
                }
            }
            if limit < 0 {
                throw ValidationError("--limit must be 0 (all) or more")
            }
        }

        func run() async throws {
            let now = Date()
            let query = LedgerQuery(
                since: since.flatMap { LedgerTimestamp.bound(from: $0, now: now) },
                until: until.flatMap { LedgerTimestamp.bound(from: $0, now: now) },
                installation: installation,
                release: release.map(LedgerQuery.Release.init(argument:)),
                status: status.map(LedgerStatus.init(rawValue:)),
                component: component,
                image: image,
                kind: kind,
                limit: limit == 0 ? nil : limit,
                order: order
            )
            let store = try storeOptions.openStore()
            let entries = try LockstepLedger.Ledger(store: store).list(query)
            switch output {
            case .table:
                if entries.isEmpty {
                    print("no matching ledger rows")
                } else {
                    print(
                        LedgerTable.render(headers: LedgerTable.listHeaders, rows: entries.map(LedgerTable.listRow), rightAligned: [0, 9]),
                        terminator: ""
                    )
                }
            case .json:
                print(try JSONOutput.encode(entries))
            case .csv:
                var text = LedgerCSV.header
                for entry in entries { text += LedgerCSV.line(entry) }
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
