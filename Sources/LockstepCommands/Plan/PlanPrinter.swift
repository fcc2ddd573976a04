import Foundation
import LockstepPlanner

/// Prints a plan as a table or as the JSON scripts rely on
/// (`steps[].version`, `steps[].channelSequence`, `steps[].required`; refusals carry `reason`).
struct PlanPrinter {
    let format: OutputFormat

    struct RefusalJSON: Encodable {
        let refused = true
        var reason: String
        var message: String
        var nearest: [String]
    }

    /// Written by `PlanJSONWriter`; `Encodable` so that tests compare it with `JSONOutput`.
    struct PlanJSON: Encodable {
        var installation: String?
        var kind: String
        var channel: String
        var from: String?
        var target: String
        var steps: [PlanStep]
        var warnings: [String]
    }

    func print(_ outcome: PlanResolver.Outcome) throws {
        switch outcome.result {
        case .failure(let refusal):
            if format == .json {
                try JSONOutput.print(RefusalJSON(reason: refusal.reason.rawValue, message: refusal.message, nearest: refusal.nearest))
            }
            throw refusal
        case .success(let plan):
            for warning in plan.warnings { Terminal.warn(warning) }
            switch format {
            case .json:
                let json = PlanJSON(
                    installation: outcome.installation,
                    kind: plan.kind.rawValue,
                    channel: plan.channel,
                    from: plan.from,
                    target: plan.target,
                    steps: plan.steps,
                    warnings: plan.warnings
                )
                Swift.print(String(decoding: PlanJSONWriter.encode(json), as: UTF8.self))
            case .table:
                Swift.print(Self.table(plan, installation: outcome.installation))
            }
        }
    }

    static func table(_ plan: UpgradePlan, installation: String?) -> String {
        let who = installation.map { "installation \($0)" } ?? "preview"
        let from = plan.from ?? "nothing installed"
        let stepsWord = plan.steps.count == 1 ? "step" : "steps"
        var lines = ["\(who) on \(plan.channel): \(from) -> \(plan.target) (\(plan.kind), \(plan.steps.count) \(stepsWord))"]
        var table = TextTable("STEP", "VERSION", "CHANNEL SEQ", "REQUIRED", "NOTES")
        for (index, step) in plan.steps.enumerated() {
            table.append([
                "\(index + 1)/\(plan.steps.count)", step.version, String(step.channelSequence), step.required ? "required" : "", step.notes,
            ])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
