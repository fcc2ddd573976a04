import Foundation

/// One line of `lockstep doctor`: what was checked, whether it holds, what was
/// found, and what to do when it does not.
struct DoctorCheck: Sendable, Encodable {
    var name: String
    var passed: Bool
    var detail: String
    var fix: String?

    static func pass(_ name: String, _ detail: String) -> DoctorCheck {
        DoctorCheck(name: name, passed: true, detail: detail, fix: nil)
    }

    static func fail(_ name: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(name: name, passed: false, detail: detail, fix: fix)
    }

    /// `pass  store mode: 0600` or `FAIL  store mode: 0644` with the fix indented under it.
    var text: String {
        var lines = ["\(passed ? "pass" : "FAIL")  \(name): \(detail)"]
        if let fix, !passed { lines.append("      fix: \(fix)") }
        return lines.joined(separator: "\n")
    }
}

/// File facts the checks share.
enum FileFacts {
    /// Permission bits (`0o600`), nil when there is no such file.
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    static func octal(_ mode: mode_t) -> String {
        "0" + String(mode, radix: 8)
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
