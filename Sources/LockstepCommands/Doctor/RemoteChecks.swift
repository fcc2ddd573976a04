import Foundation
import LockstepCatalog
import LockstepRepository

/// Remotes (signed channel repositories) this store follows: each one reachable where
/// it has a location, and the metadata last verified from it not expired, so that the
/// next `sync` or `upgrade` is not the moment a stale or unreachable vendor shows up.
struct RemoteChecks {
    var remotes: [RemoteRecord]
    var now = Date()

    func run() async -> [DoctorCheck] {
        guard !remotes.isEmpty else { return [.pass("remotes", "none (`lockstep remote add` follows a vendor's channels)")] }
        var checks: [DoctorCheck] = []
        for remote in remotes {
            checks.append(await reachability(of: remote))
            checks.append(freshness(of: remote))
        }
        return checks
    }

    private func reachability(of remote: RemoteRecord) async -> DoctorCheck {
        let name = "remote \(remote.name) reachable"
        guard !remote.location.isEmpty else { return .pass(name, "no location: it is updated by `lockstep bundle import`") }
        let transport: any RepositoryTransport =
            remote.location.hasPrefix("http://") || remote.location.hasPrefix("https://")
            ? HTTPTransport(base: remote.location, timeout: .seconds(5)) : DirectoryTransport(root: URL(fileURLWithPath: remote.location))
        do {
            _ = try await transport.fetch("metadata/timestamp.json", maxLength: 1 << 20)
            return .pass(name, "\(remote.location) answers")
        } catch {
            return .fail(name, "\(remote.location): \(error)", fix: "check the address and the network; `lockstep remote show \(remote.name)`")
        }
    }

    /// The expiry dates of the metadata this store trusts, earliest first.
    private func freshness(of remote: RemoteRecord) -> DoctorCheck {
        let name = "remote \(remote.name) metadata"
        let files = remote.trustedFiles
        let expiries = ["timestamp", "snapshot", "targets", "root"].compactMap { role in
            files[role].flatMap(Self.expiry).map { (role, $0) }
        }
        guard remote.syncedAt != nil, let earliest = expiries.min(by: { $0.1 < $1.1 }) else {
            return .fail(name, "never synced", fix: "`lockstep sync \(remote.name)` (or `lockstep bundle import` for an air-gapped host)")
        }
        let when = ISO8601DateFormatter().string(from: earliest.1)
        if earliest.1 <= now {
            return .fail(
                name,
                "\(earliest.0) metadata expired at \(when)",
                fix: "`lockstep sync \(remote.name)`; if it is still expired, the vendor has not refreshed it: ask them"
            )
        }
        return .pass(name, "fresh; \(earliest.0) metadata expires at \(when)")
    }

    static func expiry(_ metadata: Data) -> Date? {
        guard let object = try? JSONSerialization.jsonObject(with: metadata) as? [String: Any],
            let signed = object["signed"] as? [String: Any], let text = signed["expires"] as? String
        else { return nil }
        return ISO8601DateFormatter().date(from: text)
    }
}
