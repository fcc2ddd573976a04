import Foundation

/// Collects the argument vectors a container engine runs (its `commandObserver`).
public final class CommandLog: @unchecked Sendable {
    private let lock = NSLock()
    private var commands: [[String]] = []

    public init() {}

    public func record(_ arguments: [String]) {
        lock.withLock { commands.append(arguments) }
    }

    public var all: [[String]] { lock.withLock { commands } }
}
