import Foundation
import LockstepLedger

/// The ledger with filters and keyset paging, one entry, and the chain's verification.
extension ConsoleData {
    static let pageSize = 50
    static let statuses = ["pending", "running", "succeeded", "failed", "interrupted", "skipped"]

    func ledgerPage(_ parameters: [String: String]) throws -> ConsolePage {
        var query = LedgerQuery(limit: Self.pageSize + 1)
        var problems: [String] = []
        let value = { (name: String) -> String? in parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let since = value("since") {
            if let date = LedgerTimestamp.bound(from: since) {
                query.since = date
            } else {
                problems.append("Since: \(since) is not a time (use 24h, 7d or 2026-11-01).")
            }
        }
        if let until = value("until") {
            if let date = LedgerTimestamp.bound(from: until) {
                query.until = date
            } else {
                problems.append("Until: \(until) is not a time (use 24h, 7d or 2026-11-01).")
            }
        }
        query.installation = value("install")
        query.release = value("release").map(LedgerQuery.Release.init(argument:))
        query.status = value("status").map(LedgerStatus.init(rawValue:))
        query.component = value("component")
        if let after = value("after") {
            if let cursor = Self.cursor(after) {
                query.after = cursor
            } else {
                problems.append("The page position is not valid; start again from the first page.")
            }
        }
        let rows = problems.isEmpty ? try ledger.list(query) : []
        let shown = rows.prefix(Self.pageSize)
        var data: [String: Any] = [
            "filters": [
                "since": parameters["since"] ?? "", "until": parameters["until"] ?? "", "install": parameters["install"] ?? "",
                "release": parameters["release"] ?? "", "component": parameters["component"] ?? "",
            ],
            "statuses": Self.statuses.map { ["name": $0, "selected": $0 == parameters["status"]] },
            "entries": shown.map(Self.row), "hasEntries": !shown.isEmpty,
            "log": try logState(),
        ]
        if !problems.isEmpty { data["problem"] = problems.joined(separator: " ") }
        if rows.count > Self.pageSize, let last = shown.last {
            var next = parameters.filter { $0.key != "after" && !$0.value.isEmpty }
            next["after"] = "\(last.recordedAt)_\(last.id)"
            data["next"] = "/ledger?" + Self.queryString(next)
        }
        return ConsolePage(title: "Ledger", section: .ledger, template: "ledger", data: data)
    }

    func entryPage(id: Int64) throws -> ConsolePage {
        guard let entry = try ledger.entry(id: id) else {
            return .message("Entry not found", "The ledger has no entry \(id).", status: 404)
        }
        let fields: [(String, String?)] = [
            ("Id", String(entry.id)), ("Recorded", entry.recordedAt), ("Kind", entry.kind.rawValue), ("Event", entry.event.rawValue),
            ("Status", entry.status.rawValue), ("Upgrade", entry.upgradeID), ("Installation", entry.installation), ("Channel", entry.channel),
            ("Release", Self.release(entry)), ("Manifest SHA-256", entry.manifestSHA256), ("Component", entry.component),
            ("Container", entry.container), ("Image", entry.image), ("Image ID", entry.imageID), ("Command", entry.command),
            ("Environment", entry.environment), ("Started", entry.startedAt), ("Finished", entry.finishedAt),
            ("Duration", entry.durationMs.map { "\($0) ms" }), ("Exit code", entry.exitCode.map(String.init)),
            ("Operator", entry.operatorName), ("Host", entry.host), ("Message", entry.message), ("Row hash", entry.rowHash),
        ]
        let data: [String: Any] = [
            "fields": fields.compactMap { name, value in value.map { ["name": name, "value": $0] } },
            "logTail": entry.logTail ?? "",
        ]
        return ConsolePage(title: "Ledger entry \(entry.id)", section: .ledger, template: "entry", data: data)
    }

    func verifyPage() throws -> ConsolePage {
        let started = ContinuousClock.now
        let verification = try ledger.verify()
        let elapsed = ContinuousClock.now - started
        lastVerification.record(verification)
        let data: [String: Any] = [
            "state": verification.isIntact ? "Intact. \(verification.description)" : "Broken. \(verification.description)",
            "stateClass": Self.stateClass(verification),
            "elapsed": elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated)),
        ]
        return ConsolePage(title: "Ledger verification", section: .ledger, template: "verify", data: data)
    }

    /// What the ledger page says of the log: the stored tree's head costs O(log n) to
    /// read; a full verification is only shown as this console last ran it.
    func logState() throws -> [String: Any] {
        let head = try ledger.storedTreeHead()
        var state: [String: Any] = ["size": head.size, "root": head.root.base64]
        if let last = lastVerification.latest {
            state["verified"] = [
                "intact": last.verification.isIntact, "stateClass": Self.stateClass(last.verification),
                "at": Self.iso(last.at), "description": last.verification.description,
            ]
        }
        return state
    }

    private static func stateClass(_ verification: LedgerVerification) -> String {
        verification.isIntact ? "ok" : "error"
    }

    static func row(_ entry: LedgerEntry) -> [String: Any] {
        [
            "id": entry.id, "recordedAt": entry.recordedAt, "kind": entry.kind.rawValue, "event": entry.event.rawValue,
            "status": entry.status.rawValue, "installation": entry.installation ?? "", "release": release(entry) ?? "",
            "component": entry.component ?? "", "message": entry.message ?? "",
        ]
    }

    static func release(_ entry: LedgerEntry) -> String? {
        switch (entry.releaseVersion, entry.releaseSequence) {
        case (let version?, let sequence?): return "\(version) (#\(sequence))"
        case (let version?, nil): return version
        case (nil, let sequence?): return "#\(sequence)"
        case (nil, nil): return nil
        }
    }

    /// `RECORDED_AT_ID`, as the "older entries" link writes it.
    static func cursor(_ text: String) -> LedgerQuery.Cursor? {
        guard let split = text.lastIndex(of: "_"), let id = Int64(text[text.index(after: split)...]) else { return nil }
        return LedgerQuery.Cursor(recordedAt: String(text[..<split]), id: id)
    }

    static func queryString(_ parameters: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return parameters.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
