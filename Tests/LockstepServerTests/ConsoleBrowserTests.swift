import Foundation
import LockstepTestSupport
import Testing

/// Each console page loaded by a real browser (Debian's headless Chromium, from
/// scripts/install-deps.sh): the text a person reads, and a screenshot kept under
/// docs/screenshots/ for the README.
@Suite(.serialized)
struct ConsoleBrowserTests {
    static let chromium = "/usr/bin/chromium"
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/screenshots")

    struct Page {
        var name: String
        var path: String
        var texts: [String]
    }

    static let pages = [
        Page(
            name: "channels",
            path: "/channels",
            texts: [
                "Channels", "Stable", "1.1.0", "required", "demoted", "Adds the orders table",
                "&lt;script&gt;alert('x')&lt;/script&gt; \"quoted\"", "Tested \"builds\" &lt;script&gt;alert(1)&lt;/script&gt;",
            ]
        ),
        Page(
            name: "release",
            path: "/releases/2",
            texts: ["Release 1.1.0", "No problems found.", "db/postgres", "migrate/migrate", "default: ***", "Stable #2"]
        ),
        Page(
            name: "path-preview",
            path: "/plan?channel=Stable&from=1.0.0&to=latest",
            texts: ["Preview on Stable: 1.0.0 → 1.3.0 (upgrade, 2 steps)", "1.1.0", "required"]
        ),
        Page(name: "installations", path: "/installations", texts: ["shop-eu", "Stable", "1.0.0", "1.3.0"]),
        Page(name: "ledger", path: "/ledger?status=failed", texts: ["Ledger", "failed", "migration container exited 1"]),
        Page(name: "ledger-entry", path: "/ledger/2", texts: ["Ledger entry 2", "Log tail", "registry.example.com/acme/migrate:1.1.0", "***"]),
        Page(name: "ledger-verification", path: "/ledger/verify", texts: ["Intact.", "ledger intact: 120 rows"]),
    ]

    @Test func everyPageReadsRightInChromium() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.chromium), "chromium is missing: run scripts/install-deps.sh")
        let fixture = try ConsoleFixture(ledgerRows: 120)
        defer { fixture.remove() }
        let console = try fixture.startConsole()
        defer { _ = console.stop() }
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)

        for page in Self.pages {
            let url = console.base + page.path
            let dom = try Self.browser(["--dump-dom", url], in: fixture.cli.folder)
            for text in page.texts {
                #expect(dom.contains(text), "\(page.path) does not show \(text)")
            }
            #expect(!dom.contains("<script"), "\(page.path) holds a script element")
            #expect(!dom.contains("s3cret-bench") && !dom.contains("demo-secret"), "\(page.path) shows a secret")

            let shot = Self.screenshots.appendingPathComponent("\(page.name).png")
            try? FileManager.default.removeItem(at: shot)
            _ = try Self.browser(["--hide-scrollbars", "--window-size=1280,900", "--screenshot=\(shot.path)", url], in: fixture.cli.folder)
            let png = try Data(contentsOf: shot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(page.name).png is not a PNG")
            #expect(png.count > 20_000, "\(page.name).png looks blank")
        }
        // The stylesheet came from the console itself (the CSP allows no other source).
        #expect(console.stderr.contains("\"GET /static/console.css HTTP/1.1\" 200"))
    }

    /// Runs headless Chromium with a throwaway profile; as root it needs --no-sandbox.
    static func browser(_ arguments: [String], in folder: URL) throws -> String {
        let profile = folder.appendingPathComponent("chromium-profile").path
        let output = try HostProcess.run(
            Self.chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
            ] + arguments
        )
        guard output.status == 0 else { throw ServerStartError(description: "chromium \(arguments): \(output.stderr)") }
        return output.stdout
    }
}
