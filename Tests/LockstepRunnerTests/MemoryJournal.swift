import LockstepRunner

/// A `RunJournal` kept in memory: what an interrupted apply would have recorded durably.
actor MemoryJournal: RunJournal {
    private var exits: [String: Int32] = [:]
    private(set) var recorded: [(runID: String, containerName: String, exitCode: Int32)] = []

    init(_ preset: [(runID: String, containerName: String, exitCode: Int32)] = []) {
        for entry in preset { exits[entry.runID + "\u{0}" + entry.containerName] = entry.exitCode }
    }

    func recordedExit(runID: String, containerName: String) async throws -> Int32? {
        exits[runID + "\u{0}" + containerName]
    }

    func recordExit(runID: String, containerName: String, exitCode: Int32) async throws {
        exits[runID + "\u{0}" + containerName] = exitCode
        recorded.append((runID, containerName, exitCode))
    }
}
