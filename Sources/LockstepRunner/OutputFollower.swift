import LockstepManifest
import LockstepRuntime

/// Shows an ephemeral container's output as it runs: each line, secrets masked, is told
/// as a milestone (the progress display prints it). The follow starts only once the
/// container has run for `startAfter`: a podman process running next to `wait` slows
/// it, which a short migration would pay for and a long one does not notice. Whatever
/// was not told live is told from the final log tail.
struct OutputFollower: Sendable {
    private let name: String
    private let manifest: RenderedManifest
    private let tell: (@Sendable (RunMilestone) -> Void)?
    /// The last lines told live (a few, to find where the final tail continues).
    private let follow: Task<[String], Never>?

    init(
        engine: any ContainerEngine, name: String, manifest: RenderedManifest,
        tell: (@Sendable (RunMilestone) -> Void)?, startAfter: Duration = .milliseconds(500)
    ) {
        self.name = name
        self.manifest = manifest
        self.tell = tell
        guard let tell else {
            follow = nil
            return
        }
        follow = Task {
            var recent: [String] = []
            guard (try? await Task.sleep(for: startAfter)) != nil else { return recent }
            for await line in engine.followLogs(name) {
                let shown = manifest.redact(line)
                tell(.output(container: name, line: shown))
                recent.append(shown)
                if recent.count > Self.overlap { recent.removeFirst() }
            }
            return recent
        }
    }

    static let overlap = 5

    /// Ends the follow and tells the lines of `tail` (the container's final log tail,
    /// already masked) that came after the last one told live.
    func finish(tail: String) async {
        guard let tell else { return }
        follow?.cancel()
        let told = await follow?.value ?? []
        let lines = tail.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let tailLines = lines.last == "" ? Array(lines.dropLast()) : lines
        for line in tailLines[Self.untold(in: tailLines, after: told)...] {
            tell(.output(container: name, line: line))
        }
    }

    /// Where the untold part of `tail` begins: after the last place where the lines told
    /// live end; at 0 when they do not appear in it.
    static func untold(in tail: [String], after told: [String]) -> Int {
        guard !told.isEmpty else { return 0 }
        var end = tail.count
        while end > 0 {
            let length = min(told.count, end)
            if Array(tail[(end - length)..<end]) == Array(told.suffix(length)) { return end }
            end -= 1
        }
        return 0
    }
}
