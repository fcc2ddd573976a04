import Foundation
import LockstepLedger
import LockstepStore

/// `LockstepBenchmarks ledger-fill --store PATH [--rows N] [--batch N] [--prefix P]`:
/// fills a store with synthetic rows through the real append path, for
/// Benchmarks/ledger.sh and the ledger's cross-process test. It lives here, not in
/// `lockstep`, so the shipped binary has no command that writes made-up audit rows.
enum LedgerFill {
    static func run(_ arguments: [String]) throws {
        func option(_ name: String, _ fallback: String) -> String {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            return arguments[index + 1]
        }
        let path = option("--store", "")
        guard !path.isEmpty, let rows = Int(option("--rows", "1000000")), let batch = Int(option("--batch", "10000")), rows >= 0, batch >= 1 else {
            FileHandle.standardError.write(
                Data("usage: LockstepBenchmarks ledger-fill --store PATH [--rows N>=0] [--batch N>=1] [--prefix P]\n".utf8)
            )
            exit(64)
        }
        let prefix = option("--prefix", "site")
        let ledger = Ledger(store: try Store.open(path: path))
        let start = Date()
        var done = 0
        while done < rows {
            let count = min(batch, rows - done)
            try ledger.append(contentsOf: (done..<(done + count)).map { entry($0, prefix: prefix) }, redacting: ["s3cret-bench"])
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
            kind: kind,
            event: failed ? .failed : .succeeded,
            status: failed ? .failed : .succeeded,
            upgradeID: "00000000-0000-4000-8000-\(String(format: "%012d", index / 50))",
            installation: "\(prefix)-\(index % 20)",
            channel: "Stable",
            releaseSequence: sequence,
            releaseVersion: version,
            manifestSHA256: String(repeating: "ab", count: 32),
            component: component,
            container: component == "migrate" ? "schema" : "main",
            image: "registry.example.com/acme/\(component):\(version)",
            imageID: "sha256:" + String(repeating: "cd", count: 32),
            command: component == "migrate" ? ["/bin/migrate", "--to", version] : nil,
            environment: ["PGHOST": "127.0.0.1", "PGPASSWORD": "s3cret-bench"],
            startedAt: started,
            finishedAt: started.addingTimeInterval(1.5),
            exitCode: kind == .run ? (failed ? 1 : 0) : nil,
            logTail: failed ? "applying 0042_add_index\nERROR: relation already exists\n" : "done\n",
            message: failed ? "migration container exited 1" : nil
        )
    }
}
