import Foundation
import LockstepRuntime

/// The container engine, the runtime it uses and the settings this kind of host
/// needs (DESIGN section 10): runc, and default ulimits for nofile and nproc.
struct EngineChecks {
    var requested: String?
    var containersConf: String

    static let requiredUlimits = ["nofile=1024:1024", "nproc=1024:1024"]

    func run() -> [DoctorCheck] {
        let located: (kind: EngineKind, executable: URL)
        do {
            located = try EngineLocator().locate(requested: requested)
        } catch {
            return [
                .fail("engine", error.description, fix: "install podman and runc (scripts/install-deps.sh does), or name the engine with --runtime")
            ]
        }
        let path = located.executable.path
        var checks: [DoctorCheck] = []
        let version = Self.capture(path, ["version", "--format", located.kind == .podman ? "{{.Client.Version}}" : "{{.Client.Version}}"])
        guard let version, !version.isEmpty else {
            return [
                .fail(
                    "engine",
                    "\(located.kind) at \(path) does not answer `\(located.kind) version`",
                    fix: "run `\(path) info` to see why, and fix the engine's installation"
                )
            ]
        }
        checks.append(.pass("engine", "\(located.kind) \(version) at \(path)"))
        guard located.kind == .podman else {
            checks.append(.pass("engine runtime", "docker: its runtime settings are docker's own; nothing to check"))
            return checks
        }
        let runtime = Self.capture(path, ["info", "--format", "{{.Host.OCIRuntime.Name}}"]) ?? ""
        checks.append(
            runtime == "runc"
                ? .pass("engine runtime", "podman uses runc")
                : .fail(
                    "engine runtime",
                    "podman uses \(runtime.isEmpty ? "an unknown runtime (podman info failed)" : runtime), not runc (crun fails on cgroups and rlimits on this kind of host)",
                    fix: "set `runtime = \"runc\"` under [engine] in \(containersConf)"
                )
        )
        checks.append(contentsOf: configurationChecks())
        return checks
    }

    /// `[engine] runtime = "runc"` and `[containers] default_ulimits` in containers.conf.
    func configurationChecks() -> [DoctorCheck] {
        guard let text = try? String(contentsOfFile: containersConf, encoding: .utf8) else {
            return [
                .fail(
                    "containers.conf",
                    "\(containersConf) is missing or unreadable",
                    fix: "run scripts/setup-podman.sh, which writes it with runc and the default ulimits"
                )
            ]
        }
        let settings = ContainersConf(text)
        var checks: [DoctorCheck] = []
        if settings.value("engine", "runtime") == "\"runc\"" {
            checks.append(.pass("containers.conf runtime", "\(containersConf) sets runtime = \"runc\""))
        } else {
            checks.append(
                .fail(
                    "containers.conf runtime",
                    "\(containersConf) does not set runtime = \"runc\" under [engine]",
                    fix: "add `runtime = \"runc\"` under [engine] in \(containersConf)"
                )
            )
        }
        let ulimits = settings.value("containers", "default_ulimits") ?? ""
        let absent = Self.requiredUlimits.filter { !ulimits.contains("\"\($0)\"") }
        if absent.isEmpty {
            checks.append(.pass("containers.conf ulimits", "default_ulimits has \(Self.requiredUlimits.joined(separator: " and "))"))
        } else {
            checks.append(
                .fail(
                    "containers.conf ulimits",
                    "default_ulimits in \(containersConf) lacks \(absent.joined(separator: " and "))",
                    fix: "set `default_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]` under [containers] in \(containersConf)"
                )
            )
        }
        return checks
    }

    /// The program's first line of standard output, nil when it fails.
    static func capture(_ executable: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
    }
}

/// Just enough of containers.conf (TOML) for `doctor`: `key = value` lines by
/// section, comments dropped, arrays kept as written on one line.
struct ContainersConf {
    private var values: [String: String] = [:]

    init(_ text: String) {
        var section = ""
        for raw in text.split(whereSeparator: \.isNewline) {
            let line =
                raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            } else if let equals = line.firstIndex(of: "=") {
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                values[section + "." + key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            }
        }
    }

    func value(_ section: String, _ key: String) -> String? {
        values[section + "." + key]
    }
}
