/// The labels lockstep puts on every container it creates (DESIGN.md §5).
public enum LockstepLabel {
    public static let install = "io.lockstep.install"
    public static let release = "io.lockstep.release"
    public static let component = "io.lockstep.component"
    public static let container = "io.lockstep.container"
    public static let runID = "io.lockstep.run-id"
    public static let specHash = "io.lockstep.spec-hash"

    /// Labels that change from run to run without changing the container.
    static let excludedFromSpecHash: Set<String> = [release, runID, specHash]
}

public enum ContainerNaming {
    /// `lockstep-<install>-<component>-<container>`, every part reduced to the
    /// characters engines accept in names.
    public static func name(install: String, component: String, container: String) -> String {
        ["lockstep", install, component, container].map(sanitize).joined(separator: "-")
    }

    /// Where a replaced database container waits, renamed, until its replacement's
    /// release succeeded (or comes back if it failed). The run id in the name says
    /// which apply parked it: only that apply, resumed, may put it back.
    public static func parked(_ name: String, runID: String) -> String {
        name + parkedInfix + runTag(runID)
    }

    /// Where a failed replacement steps while the parked container takes its name back.
    public static func failedReplacement(_ name: String, runID: String) -> String {
        name + "-failed-" + runTag(runID)
    }

    private static func runTag(_ runID: String) -> String {
        sanitize(String(runID.prefix(8)))
    }

    public static let parkedInfix = "-replaced-"

    /// Replaces anything outside `[a-zA-Z0-9_.-]` with `-`; an empty part becomes `_`.
    public static func sanitize(_ part: String) -> String {
        let cleaned = String(
            part.unicodeScalars.map { scalar -> Character in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": Character(scalar)
                default: "-"
                }
            }
        )
        return cleaned.isEmpty ? "_" : cleaned
    }
}

extension ContainerSpec {
    /// A copy with lockstep's labels set, the spec hash computed last (it does
    /// not cover the bookkeeping labels, so the order does not change it).
    public func labelled(install: String, release: String, component: String, container: String, runID: String) -> ContainerSpec {
        var copy = self
        copy.labels[LockstepLabel.install] = install
        copy.labels[LockstepLabel.release] = release
        copy.labels[LockstepLabel.component] = component
        copy.labels[LockstepLabel.container] = container
        copy.labels[LockstepLabel.runID] = runID
        copy.labels[LockstepLabel.specHash] = copy.specHash
        return copy
    }
}
