import Foundation

/// Private keys: present, and readable by their owner alone.
struct KeyChecks {
    var ledgerKey: String
    /// The checkpoints file beside the key: once it exists, a missing key is a lost key.
    var checkpoints: String
    var tufKeys: String?

    func run() -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        if FileFacts.mode(ledgerKey) == nil && FileFacts.mode(checkpoints) == nil {
            checks.append(.pass("ledger key", "none yet at \(ledgerKey); the first upgrade creates it, 0600"))
        } else if FileFacts.mode(ledgerKey) == nil {
            checks.append(
                .fail(
                    "ledger key",
                    "no key at \(ledgerKey), but \(checkpoints) holds checkpoints signed with one",
                    fix: "put the key back from a backup, or pass --ledger-key to where it is"
                )
            )
        } else {
            checks.append(keyFile("ledger key", ledgerKey, missingFix: ""))
        }
        let configKey = (ledgerKey as NSString).deletingLastPathComponent + "/config.key"
        if FileFacts.mode(configKey) != nil { checks.append(keyFile("config key", configKey, missingFix: "")) }
        guard let tufKeys else { return checks }
        guard FileFacts.isDirectory(tufKeys) else {
            checks.append(.fail("TUF keys", "no folder at \(tufKeys)", fix: "pass --tuf-keys to the folder holding the repository's signing keys"))
            return checks
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: tufKeys)) ?? []).sorted().filter { !$0.hasPrefix(".") }
        guard !files.isEmpty else {
            checks.append(.fail("TUF keys", "\(tufKeys) holds no keys", fix: "generate the repository's keys into \(tufKeys)"))
            return checks
        }
        for file in files where !FileFacts.isDirectory(tufKeys + "/" + file) {
            checks.append(keyFile("TUF key \(file)", tufKeys + "/" + file, missingFix: ""))
        }
        return checks
    }

    private func keyFile(_ name: String, _ path: String, missingFix: String) -> DoctorCheck {
        guard let mode = FileFacts.mode(path) else { return .fail(name, "no key at \(path)", fix: missingFix) }
        guard mode & 0o077 == 0 else {
            return .fail(name, "\(path) is \(FileFacts.octal(mode)); others can read a private key", fix: "chmod 600 \(path)")
        }
        return .pass(name, "\(path), \(FileFacts.octal(mode))")
    }
}
