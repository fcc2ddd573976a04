import ArgumentParser
import Foundation
import LockstepLedger
import LockstepStore

extension Lockstep.Ledger {
    /// Fills a store with synthetic rows through the real append path, for
    /// Benchmarks/ledger.sh and cross-process tests. Hidden: not for production stores.
    struct BenchFill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-fill",
            abstract: "Append synthetic rows (benchmarks and tests only).",
            shouldDisplay: false
        )

        @OptionGroup var storeOptions: StoreOptions

        @Option(parsing: .unconditional, help: "How many rows to append.")
        var rows: Int = 1_000_000

        @Option(parsing: .unconditional, help: "Rows per transaction.")
        var batch: Int = 10_000

        @Option(help: "Label for the synthetic installations, to tell writers apart.")
        var prefix: String = "site"

        func validate() throws {
            guard rows >= 0, batch >= 1 else { throw ValidationError("--rows must be 0 or more and --batch 1 or more") }
        }

        func run() async throws {
            let ledger = LockstepLedger.Ledger(store: try storeOptions.openStore())
            let start = Date()
            var done = 0
            while done < rows {
                let count = min(batch, rows - done)
                try ledger.append(contentsOf: (done..<(done + count)).map { Self.entry($0, prefix: prefix) }, redacting: ["s3cret-bench"])
                done += count
            }
            let seconds = Date().timeIntervalSince(start)
            FileHandle.standardError.write(Data("appended \(rows) rows in \(String(format: "%.1f", seconds)) s\n".utf8))
        }

        static let components = ["db", "migrate", "app", "worker"]

        /// A mix shaped like real use: 100 releases of 10,000 rows, 20 installations,
        /// mostly container runs, about 1 in 97 failed.
        static func entry(_ index: Int, prefix: String) -> NewLedgerEntry {
            let sequence = Int64(1 + (index / 10_000) % 100)
            let version = "1.\(sequence).0"
            let component = components[index % components.count]
            let failed = index % 97 == 0
            let kind: LedgerKind = index % 10 == 0 ? .step : .run
            let started = Date(timeIntervalSince1970: 1_760_000_000 + Double(index))
            return NewLedgerEntry(
                kind: kind, event: failed ? .failed : .succeeded, status: failed ? .failed : .succeeded,
                upgradeID: "00000000-0000-4000-8000-\(String(format: "%012d", index / 50))",
                installation: "\(prefix)-\(index % 20)", channel: "Stable",
                releaseSequence: sequence, releaseVersion: version,
                manifestSHA256: String(repeating: "ab", count: 32),
                component: component, container: component == "migrate" ? "schema" : "main",
                image: "registry.example.com/acme/\(component):\(version)",
                imageID: "sha256:" + String(repeating: "cd", count: 32),
                command: component == "migrate" ? ["/bin/migrate", "--to", version] : nil,
                environment: ["PGHOST": "127.0.0.1", "PGPASSWORD": "s3cret-bench"],
                startedAt: started, finishedAt: started.addingTimeInterval(1.5),
                exitCode: kind == .run ? (failed ? 1 : 0) : nil,
                logTail: failed ? "applying 0042_add_index\nERROR: relation already exists\n" : "done\n",
                message: failed ? "migration container exited 1" : nil
            )
        }
    }
}
