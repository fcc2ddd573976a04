/// What a ledger row is about.
public enum LedgerKind: String, Codable, Sendable, CaseIterable {
    /// One `upgrade` invocation, from plan to end.
    case upgrade
    /// One step of an upgrade: applying one release.
    case step
    /// One container execution that lockstep started.
    case run
}

/// What happened. Open-ended (a raw string) so the upgrade code can record new
/// events without a schema change; the common ones are named.
public struct LedgerEvent: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let planned: LedgerEvent = "planned"
    public static let started: LedgerEvent = "started"
    public static let resumed: LedgerEvent = "resumed"
    public static let succeeded: LedgerEvent = "succeeded"
    public static let failed: LedgerEvent = "failed"
    public static let interrupted: LedgerEvent = "interrupted"
    public static let skipped: LedgerEvent = "skipped"
}

/// The state of the upgrade, step or run after the event: what `--status` filters on.
public struct LedgerStatus: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let pending: LedgerStatus = "pending"
    public static let running: LedgerStatus = "running"
    public static let succeeded: LedgerStatus = "succeeded"
    public static let failed: LedgerStatus = "failed"
    public static let interrupted: LedgerStatus = "interrupted"
    public static let skipped: LedgerStatus = "skipped"
    /// A run's container was unchanged and left running.
    public static let kept: LedgerStatus = "kept"
    /// A run's container was started, then stopped because the step failed.
    public static let stopped: LedgerStatus = "stopped"
}
