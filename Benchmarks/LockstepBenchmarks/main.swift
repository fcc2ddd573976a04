import Foundation
import LockstepCatalog
import LockstepPlanner
import LockstepPlanning
import LockstepStore

// Planner benchmarks for issue 2, in-process. Usage:
//   LockstepBenchmarks planner --store PATH [--releases N]
//   LockstepBenchmarks ledger-fill --store PATH [--rows N] [--batch N] [--prefix P]  (LedgerFill.swift)
//   LockstepBenchmarks ledger-ops --store PATH --ledger-key FILE --checkpoints FILE [--iterations N]  (LedgerOps.swift)
// Fills the store (kept for Benchmarks/run-planner.sh, which times the `lockstep`
// processes with hyperfine) and prints a Markdown table.

let arguments = CommandLine.arguments
if arguments.dropFirst().first == "ledger-fill" {
    try LedgerFill.run(Array(arguments.dropFirst(2)))
    exit(0)
}
if arguments.dropFirst().first == "ledger-ops" {
    try LedgerOps.run(Array(arguments.dropFirst(2)))
    exit(0)
}
func option(_ name: String, default value: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}
let releaseCount = Int(option("--releases", default: "100000"))!

func measure(_ runs: Int, _ body: () throws -> Void) rethrows -> (median: Double, p90: Double) {
    var samples: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    samples.sort()
    return (samples[samples.count / 2], samples[min(samples.count - 1, samples.count * 9 / 10)])
}

let storePath = option("--store", default: "")
guard !storePath.isEmpty, !FileManager.default.fileExists(atPath: storePath) else {
    fatalError("--store PATH: a new store file to fill")
}
let folder = URL(fileURLWithPath: storePath).deletingLastPathComponent()

// One channel of N releases, every tenth required, promoted in version order.
let manifest = "name: bench\ncomponents: []\n"
func version(_ index: Int) -> String { "\(index / 10000).\(index / 100 % 100).\(index % 100)" }
let document = CatalogDocument(
    defaults: .init(manifest: manifest, manifestFile: nil),
    channels: [.init(name: "Bench", description: "benchmark", semver: true)],
    releases: (0..<releaseCount).map { .init(version: version($0), notes: nil, manifest: nil, manifestFile: nil) },
    promotions: (0..<releaseCount).map { .init(channel: "Bench", release: version($0), required: $0 % 10 == 5, demoted: nil, notes: nil) }
)
let store = try Store.open(path: storePath)
let catalog = try Catalog(store: store, actor: "bench")
let fillStart = ContinuousClock.now
_ = try catalog.importDocument(document, file: folder.path + "/bench.yaml")
let fillTime = ContinuousClock.now - fillStart
try catalog.markInstalled(name: "default", channel: "Bench", release: version(0))

var rows: [(String, Double, Double, String)] = []

// The planner alone, over the whole channel history (100k entries, already in order).
let full = try catalog.promotions(onChannel: "Bench")
let benchChannel = try catalog.channel(named: "Bench")
let history = ChannelHistory(benchChannel, promotions: full)
let installed = InstalledState(version: version(0), releaseSequence: 1, channel: history)
var steps = 0
let fullPlan = measure(20) {
    if case .success(let plan) = Planner.plan(PlanRequest(installed: installed, channel: history, target: .latest)) { steps = plan.steps.count }
}
rows.append(("planner alone, whole channel history (\(releaseCount) entries) -> \(steps) steps", fullPlan.median, fullPlan.p90, "in-process"))

// The planner alone, over the slice `plan` reads (required releases in range + target).
let slice = try catalog.planningSlice(channel: "Bench", target: "latest", installedReleaseSequence: 1, installedVersion: version(0))
let sliceHistory = slice.history
let slicePlan = measure(20) {
    _ = Planner.plan(
        PlanRequest(installed: InstalledState(version: version(0), releaseSequence: 1, channel: sliceHistory), channel: sliceHistory, target: .latest)
    )
}
rows.append(("planner alone, planning slice (\(slice.entries.count) entries) -> \(steps) steps", slicePlan.median, slicePlan.p90, "in-process"))

// Growth with steps, not releases: plan from near the end (few steps) on the same channel.
let nearEnd = releaseCount - 200
let shortSlice = try catalog.planningSlice(
    channel: "Bench",
    target: "latest",
    installedReleaseSequence: Int64(nearEnd + 1),
    installedVersion: version(nearEnd)
)
let shortHistory = shortSlice.history
let shortPlan = measure(20) {
    _ = try? catalog.planningSlice(
        channel: "Bench",
        target: "latest",
        installedReleaseSequence: Int64(nearEnd + 1),
        installedVersion: version(nearEnd)
    )
    _ = Planner.plan(
        PlanRequest(
            installed: InstalledState(version: version(nearEnd), releaseSequence: Int64(nearEnd + 1), channel: shortHistory),
            channel: shortHistory,
            target: .latest
        )
    )
}
rows.append(("store read + planner, from release \(nearEnd) (20 steps)", shortPlan.median, shortPlan.p90, "in-process"))
let longRead = measure(10) {
    _ = try? catalog.planningSlice(channel: "Bench", target: "latest", installedReleaseSequence: 1, installedVersion: version(0))
}
rows.append(("store read of the planning slice, from the oldest release", longRead.median, longRead.p90, "in-process"))
// The vendor's preview (`plan --from 0.0.0 --channel Bench --to latest`) without the process and the printing.
var previewSteps = 0
let preview = measure(10) {
    let request = try? PlanInputs(catalog: catalog).request(
        origin: .preview(version: version(0)),
        channel: "Bench",
        target: "latest",
        allowDowngrade: false,
        confirmChannelSwitch: false
    )
    if let request, case .success(let plan) = Planner.plan(request) { previewSteps = plan.steps.count }
}
rows.append(("preview from \(version(0)): store read + planner -> \(previewSteps) steps", preview.median, preview.p90, "in-process"))

print("Store with \(releaseCount) releases on one channel (\(releaseCount / 10) required), filled through `catalog import` in \(fillTime).")
print("")
print("| measurement | median ms | p90 ms | how |")
print("|---|---:|---:|---|")
for row in rows {
    print("| \(row.0) | \(String(format: "%.2f", row.1)) | \(String(format: "%.2f", row.2)) | \(row.3) |")
}
