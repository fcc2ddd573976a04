import Foundation
import LockstepLedger
import LockstepStore

/// `LockstepBenchmarks ledger-ops --store PATH --ledger-key FILE --checkpoints FILE [--iterations N]`:
/// times the Merkle log's single operations inside one process (no process start in
/// the figures), for Benchmarks/ledger.sh. It appends rows, so it lives here, not in
/// the shipped `lockstep`.
enum LedgerOps {
    static func run(_ arguments: [String]) throws {
        func option(_ name: String, _ fallback: String) -> String {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            return arguments[index + 1]
        }
        let storePath = option("--store", "")
        let keyPath = option("--ledger-key", "")
        let checkpointsPath = option("--checkpoints", "")
        guard !storePath.isEmpty, !keyPath.isEmpty, !checkpointsPath.isEmpty, let iterations = Int(option("--iterations", "200")), iterations >= 1
        else {
            FileHandle.standardError.write(
                Data("usage: LockstepBenchmarks ledger-ops --store PATH --ledger-key FILE --checkpoints FILE [--iterations N>=1]\n".utf8)
            )
            exit(64)
        }
        let ledger = Ledger(store: try Store.open(path: storePath))
        _ = try ledger.treeHead()
        let key = try LedgerKey.loadOrCreate(path: keyPath)
        var size = try ledger.treeHead().size
        // What one durable commit costs on this disk, whatever it writes: the floor under an append.
        let database = ledger.store.database
        func execute(_ sql: String) throws { try database.write { try $0.execute(sql: sql) } }
        try execute("CREATE TABLE IF NOT EXISTS bench_ops_scratch (id INTEGER PRIMARY KEY, value TEXT)")
        let commit = try Self.time(iterations) {
            try database.write {
                try $0.execute(sql: "INSERT INTO bench_ops_scratch (value) VALUES (?)", arguments: [String(repeating: "x", count: 600)])
            }
        }
        try execute("DROP TABLE bench_ops_scratch")
        var appendCPU: [Double] = []
        let append = try Self.time(iterations) {
            let cpu = Self.threadCPU()
            try ledger.append(LedgerFill.entry(Int(size), prefix: "ops"), redacting: ["s3cret-bench"])
            appendCPU.append(Self.threadCPU() - cpu)
            size += 1
        }
        let checkpoint = try Self.time(iterations) {
            let signed = SignedCheckpoint.sign(Checkpoint(try ledger.treeHead()), with: key)
            try CheckpointFile.append(signed, path: checkpointsPath)
        }
        // What the fsync an append skips costs when it is paid: one append, then a checkpoint.
        let appendThenCheckpoint = try Self.time(max(1, iterations / 3)) {
            try ledger.append(LedgerFill.entry(Int(size), prefix: "ops"), redacting: ["s3cret-bench"])
            size += 1
            try CheckpointFile.append(SignedCheckpoint.sign(Checkpoint(try ledger.treeHead()), with: key), path: checkpointsPath)
        }
        var generator = SystemRandomNumberGenerator()
        let prove = try Self.time(iterations) {
            _ = try ledger.inclusionProof(id: Int64.random(in: 1...size, using: &generator))
        }
        let consistency = try Self.time(iterations) {
            _ = try ledger.consistencyProof(oldSize: Int64.random(in: 1...size, using: &generator), size: size)
        }
        print("| operation (in process, \(size) entries) | median ms | p95 ms | max ms |")
        print("|---|---|---|---|")
        for (name, samples) in [
            ("baseline: commit of one 600-byte row into a scratch table (WAL, synchronous=FULL)", commit),
            ("append one entry (own transaction, stored hashes, tree size; WAL, synchronous=NORMAL)", append),
            ("  the same appends, CPU time of this thread", appendCPU),
            ("checkpoint: tree head + Ed25519 note + append to checkpoints file (fsync)", checkpoint),
            ("one append followed by a checkpoint (WAL fsync, then the checkpoints file's)", appendThenCheckpoint),
            ("inclusion proof of a random entry", prove),
            ("consistency proof from a random size", consistency),
        ] {
            let sorted = samples.sorted()
            func at(_ q: Double) -> String { String(format: "%.3f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]) }
            print("| \(name) | \(at(0.5)) | \(at(0.95)) | \(String(format: "%.3f", sorted.last!)) |")
        }
    }

    /// This thread's CPU time in ms: the figure a loaded machine does not inflate.
    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1e6
    }

    static func time(_ iterations: Int, _ body: () throws -> Void) throws -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        return samples
    }
}
