import Foundation

/// Who is acting, by one rule for every record lockstep keeps (catalog rows, upgrades,
/// ledger entries): `LOCKSTEP_USER` when set, else the account of the effective uid,
/// else `USER`; under `sudo`, the person who typed it is named too, because an auditor
/// cares more about that than about "root".
public enum Operator {
    /// Read once: who runs a process does not change while it runs.
    public static let current: String = name(
        environment: ProcessInfo.processInfo.environment,
        effectiveAccount: account(of: geteuid()),
        uid: geteuid()
    )

    static func name(environment: [String: String], effectiveAccount: String?, uid: uid_t) -> String {
        var name: String
        if let explicit = environment["LOCKSTEP_USER"], !explicit.isEmpty {
            name = explicit
        } else if let effectiveAccount, !effectiveAccount.isEmpty {
            name = effectiveAccount
        } else if let user = environment["USER"], !user.isEmpty {
            name = user
        } else {
            name = "uid \(uid)"
        }
        if let sudoUser = environment["SUDO_USER"], !sudoUser.isEmpty, sudoUser != name {
            name += " (sudo from \(sudoUser))"
        }
        return name
    }

    private static func account(of uid: uid_t) -> String? {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
