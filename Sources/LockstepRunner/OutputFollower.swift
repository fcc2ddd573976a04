import Foundation
import LockstepManifest
import LockstepRedaction
import LockstepRuntime

/// Shows an ephemeral container's output as it runs: each line, secrets masked, is told
/// as a milestone (the progress display prints it). The follow starts only once the
/// container has run for `startAfter`: a podman process running next to `wait` slows
/// it, which a short migration would pay for and a long one does not notice. Whatever
/// was not told live is told from the final log tail.
struct OutputFollower: Sendable {
    private let name: String
    private let masking: Redactor
    private let tell: (@Sendable (RunMilestone) -> Void)?
    /// The last lines told live (a few, to find where the final tail continues).
    private let follow: Task<[String], Never>?

    init(
        engine: any ContainerEngine,
        name: String,
        masking: Redactor,
        tell: (@Sendable (RunMilestone) -> Void)?,
        startAfter: Duration = .milliseconds(500)
    ) {
        self.name = name
        self.masking = masking
        self.tell = tell
        guard let tell else {
            follow = nil
            return
        }
        follow = Task {
            var recent: [String] = []
            guard (try? await Task.sleep(for: startAfter)) != nil else { return recent }
            for await line in engine.followLogs(name) {
                let shown = masking.redact(Self.withoutCarriageReturn(line))
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
        let tailLines = Self.lines(of: tail)
        for line in tailLines[Self.untold(in: tailLines, after: told)...] {
            tell(.output(container: name, line: line))
        }
    }

    /// Lines split at line feeds as the engine's follow does (a Swift `Character` split
    /// would keep "\r\n" whole), without their carriage returns.
    static func lines(of text: String) -> [String] {
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { withoutCarriageReturn(String($0)) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func withoutCarriageReturn(_ line: String) -> String {
        line.unicodeScalars.last == "\r" ? String(String.UnicodeScalarView(line.unicodeScalars.dropLast())) : line
    }

    /// What masks a container's output: every secret value and each line of a multi-line
    /// one (output is told line by line), and passwords in connection strings.
    static func masking(_ manifest: RenderedManifest) -> Redactor {
        // Short lines ("null", indentation) would garble everything they appear in.
        let secretLines = manifest.secrets.flatMap { Self.lines(of: $0) }.filter { $0.trimmingCharacters(in: .whitespaces).count >= 8 }
        return Redactor(secrets: manifest.secrets + secretLines)
    }

    /// Masked one line at a time, as the lines told live are, so the two can be matched.
    static func masked(_ text: String, with masking: Redactor) -> String {
        let lines = lines(of: text)
        return lines.isEmpty ? "" : lines.map { masking.redact($0) }.joined(separator: "\n") + "\n"
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
