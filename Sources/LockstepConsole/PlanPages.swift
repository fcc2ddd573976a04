import Foundation
import LockstepCatalog
import LockstepPlanner
import LockstepPlanning

/// Path preview and installations: both ask the planner the way `plan` does
/// (PlanInputs builds the request from the store, Planner.plan answers).
extension ConsoleData {
    func planPage(channel: String?, from: String?, to: String?) throws -> ConsolePage {
        let channelNames = try catalog.channels().map(\.name)
        let chosen = channel.flatMap { $0.isEmpty ? nil : $0 } ?? Catalog.defaultChannel
        let target = to.flatMap { $0.isEmpty ? nil : $0 } ?? "latest"
        var data: [String: Any] = [
            "channels": channelNames.map { ["name": $0, "selected": $0 == chosen] },
            "from": from ?? "", "to": to ?? "",
        ]
        if let from, !from.isEmpty {
            do {
                let request = try PlanInputs(catalog: catalog).request(
                    origin: .preview(version: from),
                    channel: chosen,
                    target: target,
                    allowDowngrade: false,
                    confirmChannelSwitch: false
                )
                switch Planner.plan(request) {
                case .success(let plan):
                    data["plan"] =
                        [
                            "channel": plan.channel, "from": plan.from ?? "nothing installed", "target": plan.target,
                            "kind": Self.kindText(plan.kind),
                            "stepCount": plan.steps.count == 1 ? "1 step" : "\(plan.steps.count) steps", "warnings": plan.warnings,
                            "steps": plan.steps.map {
                                [
                                    "version": $0.version, "releaseSequence": $0.releaseSequence, "channelSequence": $0.channelSequence,
                                    "required": $0.required, "notes": $0.notes,
                                ]
                            },
                        ] as [String: Any]
                case .failure(let refusal):
                    data["refusal"] = refusal.message
                }
            } catch {
                data["refusal"] = String(describing: error)
            }
        }
        return ConsolePage(title: "Path preview", section: .plan, template: "plan", data: data)
    }

    func installationsPage() throws -> ConsolePage {
        let inputs = PlanInputs(catalog: catalog)
        let rows = try catalog.installations().map { installation -> [String: Any] in
            let channel = try catalog.channel(id: installation.channelID)
            let current = try installation.releaseSequence.map { try catalog.release(sequence: $0).version } ?? "nothing installed"
            var row: [String: Any] = [
                "name": installation.name, "ledgerLink": "/ledger?" + Self.queryString(["install": installation.name]),
                "channel": channel.name, "current": current,
                "status": installation.status.description, "statusClass": installation.status.rawValue,
                "newest": try catalog.latestLivePromotion(onChannel: channel.name)?.version ?? "none",
            ]
            do {
                let request = try inputs.request(
                    origin: .installation(installation),
                    channel: channel.name,
                    target: "latest",
                    allowDowngrade: false,
                    confirmChannelSwitch: false
                )
                switch Planner.plan(request) {
                case .success(let plan): row["pending"] = plan.steps.filter(\.required).map(\.version)
                case .failure(let refusal): row["planProblem"] = refusal.message
                }
            } catch {
                row["planProblem"] = String(describing: error)
            }
            if let last = try catalog.deployments(of: installation.name).max(by: { $0.at < $1.at }) {
                let version = (try? catalog.release(sequence: last.releaseSequence).version) ?? "release \(last.releaseSequence)"
                row["lastUpgrade"] = "\(version), \(last.status), \(Self.text(last.at))"
            } else {
                row["lastUpgrade"] = "never"
            }
            return row
        }
        return ConsolePage(
            title: "Installations",
            section: .installations,
            template: "installations",
            data: ["installations": rows, "hasInstallations": !rows.isEmpty]
        )
    }

    static func kindText(_ kind: PlanKind) -> String {
        switch kind {
        case .firstInstall: return "first install"
        case .redeploy: return "redeploy"
        case .upgrade: return "upgrade"
        case .downgrade: return "downgrade"
        case .channelSwitch: return "channel switch"
        }
    }
}
