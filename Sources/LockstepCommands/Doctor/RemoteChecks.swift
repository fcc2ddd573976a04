import Foundation

/// Remotes (signed channel repositories) this store follows: reachable, metadata fresh.
/// The store has no remotes table yet, so this says so plainly.
struct RemoteChecks {
    var storePath: String

    func run() -> [DoctorCheck] {
        [.pass("remotes", "no remotes")]
    }
}
