import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepPlanner
import LockstepPlanning

extension Lockstep {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show an installation: channel, current release, pending required steps, newest available."
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var outputOptions: OutputOptions

        @Option(name: .customLong("install"), help: ArgumentHelp("Installation name.", valueName: "name"))
        var installation: String = Catalog.defaultInstallation

        struct Report: Encodable {
            var installation: String
            var channel: String
            var current: String?
            var currentSequence: Int64?
            var status: String
            var newest: String?
            var upToDate: Bool
            var pendingRequired: [PlanStep]
            var blocked: String?
        }

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let record = try catalog.installation(named: installation)
            let channelName = try PlanInputs(catalog: catalog).channelName(requested: nil, installation: record)
            let current = try record.releaseSequence.map { try catalog.release(sequence: $0) }
            let request = try PlanInputs(catalog: catalog).request(
                origin: .installation(record),
                channel: channelName,
                target: "latest",
                allowDowngrade: false,
                confirmChannelSwitch: false
            )
            var report = Report(
                installation: record.name,
                channel: channelName,
                current: current?.version,
                currentSequence: current?.sequence,
                status: record.status.rawValue,
                newest: nil,
                upToDate: false,
                pendingRequired: [],
                blocked: nil
            )
            switch Planner.plan(request) {
            case .success(let plan):
                report.newest = plan.target
                report.upToDate = plan.kind == .redeploy
                report.pendingRequired = plan.kind == .redeploy ? [] : plan.steps.filter(\.required)
            case .failure(let refusal):
                report.blocked = refusal.message
            }
            switch outputOptions.output {
            case .json:
                try JSONOutput.print(report)
            case .table:
                print(
                    """
                    installation: \(report.installation)
                    channel:      \(report.channel)
                    current:      \(report.current.map { "\($0) (sequence \(report.currentSequence ?? 0))" } ?? "nothing installed")
                    status:       \(report.status)
                    newest:       \(report.newest ?? "-")\(report.upToDate ? " (up to date)" : "")
                    """
                )
                if let blocked = report.blocked {
                    print("blocked:      \(blocked)")
                } else if !report.upToDate {
                    let versions = report.pendingRequired.map(\.version)
                    print("required:     \(versions.isEmpty ? "none pending" : versions.joined(separator: ", "))")
                }
            }
        }
    }
}
