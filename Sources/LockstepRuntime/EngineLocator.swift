import Foundation

public enum EngineKind: String, Sendable, Hashable, CaseIterable {
    case podman, docker
}

/// Which engine to drive: `--runtime`, else `LOCKSTEP_RUNTIME`, else the first
/// of podman, docker found on PATH.
public struct EngineLocator: Sendable {
    public var environment: [String: String]
    /// Overrides `PATH` from `environment` (tests use it to hide engines).
    public var searchPath: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, searchPath: String? = nil) {
        self.environment = environment
        self.searchPath = searchPath
    }

    public var effectivePath: String {
        searchPath ?? environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    }

    /// `requested` is the `--runtime` value, if given.
    public func locate(requested: String? = nil) throws(RuntimeError) -> (kind: EngineKind, executable: URL) {
        let choice =
            requested.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LOCKSTEP_RUNTIME"].flatMap { $0.isEmpty ? nil : $0 }
        if let choice {
            guard let kind = EngineKind(rawValue: choice.lowercased()) else { throw .unknownEngine(choice) }
            guard let url = find(kind.rawValue) else {
                throw .engineNotInstalled(requested: kind, searchPath: effectivePath)
            }
            return (kind, url)
        }
        for kind in EngineKind.allCases {
            if let url = find(kind.rawValue) { return (kind, url) }
        }
        throw .engineNotInstalled(requested: nil, searchPath: effectivePath)
    }

    func find(_ executable: String) -> URL? {
        for directory in effectivePath.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(executable)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
