import Foundation
import LockstepTestSupport

/// A store filled through the CLI the way a vendor and a customer fill it (channels,
/// releases, promotions, a demotion, an installation, ledger rows), and the console on it.
struct ConsoleFixture {
    static let hostileNote = #"<script>alert('x')</script> "quoted""#
    static let hostileDescription = #"Tested "builds" <script>alert(1)</script>"#
    static let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/manifests/demo.yaml").path

    let cli: LockstepCLI

    init(ledgerRows: Int = 120) throws {
        cli = try LockstepCLI()
        let steps: [[String]] = [
            ["channel", "create", "Vendor", "--description", Self.hostileDescription],
            ["release", "create", "--manifest", Self.manifest, "--version", "1.0.0", "--notes", "First release", "--promote", "Stable"],
            [
                "release", "create", "--manifest", Self.manifest, "--version", "1.1.0", "--notes", "Adds the orders table", "--promote", "Stable",
                "--required",
            ],
            ["release", "create", "--manifest", Self.manifest, "--version", "1.2.0", "--notes", "Broken build", "--promote", "Stable"],
            ["release", "create", "--manifest", Self.manifest, "--version", "1.3.0", "--notes", Self.hostileNote, "--promote", "Stable"],
            ["channel", "demote", "Stable", "1.2.0"],
            ["install", "mark", "--install", "shop-eu", "--channel", "Stable", "--release", "1.0.0"],
        ]
        for step in steps {
            let output = try cli.run(arguments: step)
            guard output.status == 0 else { throw ServerStartError(description: "lockstep \(step.joined(separator: " ")): \(output.combined)") }
        }
        let filled = try cli.fillLedger(rows: ledgerRows, batch: 50)
        guard filled.status == 0 else { throw ServerStartError(description: "ledger-fill: \(filled.combined)") }
    }

    func startConsole(_ extra: [String] = []) throws -> BackgroundServer {
        try BackgroundServer(LockstepCLI.binaryPath, ["serve", "--console", "--store", cli.storePath, "--listen", "127.0.0.1:0"] + extra)
    }

    /// A token file the console accepts (mode 0600).
    func tokenFile(_ token: String, mode: mode_t = 0o600) throws -> String {
        let path = try cli.write("token-\(mode)", token + "\n")
        chmod(path, mode)
        return path
    }

    func remove() { cli.removeFolder() }
}
