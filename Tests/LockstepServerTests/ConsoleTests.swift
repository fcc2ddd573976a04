import Foundation
import Testing

/// The console over HTTP, asked by curl: escaping, headers, the token, paging.
@Suite(.serialized)
struct ConsoleTests {
    static let pages = [
        "/channels", "/releases/2", "/plan?channel=Stable&from=1.0.0&to=latest", "/installations", "/ledger", "/ledger/3", "/ledger/verify",
    ]

    @Test func storeValuesComeOutInertWithSecurityHeaders() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let console = try fixture.startConsole()
        defer { _ = console.stop() }

        let channels = try Curl.request(console.base + "/channels")
        #expect(channels.status == 200)
        #expect(channels.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;quoted&quot;"))
        #expect(channels.body.contains("Tested &quot;builds&quot; &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!channels.body.lowercased().contains("<script"))
        #expect(channels["content-security-policy"]?.contains("default-src 'none'") == true)
        #expect(channels["content-security-policy"]?.contains("script-src") == false)
        #expect(channels["x-content-type-options"] == "nosniff")
        #expect(channels["content-type"] == "text/html; charset=utf-8")

        let plan = try Curl.request(console.base + "/plan?channel=Stable&from=1.0.0&to=latest")
        #expect(!plan.body.lowercased().contains("<script"))
        #expect(plan.body.contains("&lt;script&gt;"))
        for page in Self.pages {
            let response = try Curl.request(console.base + page)
            #expect(response.status == 200, "\(page)")
            #expect(!response.body.lowercased().contains("<script"), "\(page)")
            #expect(!response.body.contains("demo-secret"), "\(page) shows the password")
        }
        #expect(try Curl.request(console.base + "/releases/99").status == 404)
        #expect(try Curl.request(console.base + "/channels", method: "POST").status == 405)
    }

    @Test func theLedgerPageShowsTheLogsStateAndTheLastVerification() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let console = try fixture.startConsole()
        defer { _ = console.stop() }

        let before = try Curl.request(console.base + "/ledger").body
        #expect(before.contains("Not verified since this console started."))
        let verify = try Curl.request(console.base + "/ledger/verify").body
        let rows = try #require(verify.firstMatch(of: /ledger intact: ([0-9]+) rows/)?.1)
        let after = try Curl.request(console.base + "/ledger").body
        #expect(after.contains("The log holds \(rows) entries in its Merkle tree"))
        #expect(after.contains("Last verified by this console at"))
        #expect(after.contains("<span class=\"ok\">ledger intact: \(rows) rows"))
        #expect(!after.contains("Not verified since"))
    }

    @Test func withATokenEveryRequestNeedsIt() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let token = "s3cret-console-token-42"
        let console = try fixture.startConsole(["--token-file", try fixture.tokenFile(token)])
        defer { _ = console.stop() }

        for page in Self.pages + ["/", "/static/console.css", "/nope"] {
            let response = try Curl.request(console.base + page)
            #expect(response.status == 401, "\(page)")
            #expect(!response.body.contains("Adds the orders table"))
        }
        #expect(try Curl.request(console.base + "/channels", headers: ["Cookie": "lockstep_console=forged"]).status == 401)
        #expect(try Curl.request(console.base + "/login", method: "POST", form: "token=wrong").status == 401)

        let login = try Curl.request(console.base + "/login", method: "POST", form: "token=\(token)")
        #expect(login.status == 303)
        let cookie = try #require(login["set-cookie"]).components(separatedBy: ";")[0]
        #expect(!cookie.contains(token))
        for page in Self.pages {
            #expect(try Curl.request(console.base + page, headers: ["Cookie": cookie]).status == 200, "\(page)")
        }
        #expect(try Curl.request(console.base + "/channels", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        #expect(!console.stderr.contains(token))
    }

    @Test func refusesToStartUnprotectedBeyondLoopback() throws {
        let fixture = try ConsoleFixture(ledgerRows: 0)
        defer { fixture.remove() }
        let open = try fixture.cli.run("serve", "--console", "--listen", "198.51.100.7:8080")
        #expect(open.status == 64)
        #expect(open.stderr.contains("--listen 198.51.100.7:8080 is not a loopback address: the console refuses to start there without --token-file"))
        let loose = try fixture.cli.run(
            "serve",
            "--console",
            "--listen",
            "127.0.0.1:0",
            "--token-file",
            try fixture.tokenFile("s3cret-console-token-42", mode: 0o644)
        )
        #expect(loose.status == 64)
        #expect(loose.stderr.contains("readable by others; chmod 600 it"))
        let both = try fixture.cli.run("serve", "/tmp", "--console")
        #expect(both.status == 64)
    }

    @Test func ledgerPagesByPositionWithFilters() throws {
        let fixture = try ConsoleFixture(ledgerRows: 300)
        defer { fixture.remove() }
        let console = try fixture.startConsole()
        defer { _ = console.stop() }

        var url = console.base + "/ledger?component=migrate"
        var seen: [Int] = []
        var pages = 0
        while pages < 10 {
            let page = try Curl.request(url)
            #expect(page.status == 200)
            seen += Self.entryIDs(page.body)
            pages += 1
            guard let next = Self.nextLink(page.body) else { break }
            url = console.base + next
        }
        // bench-fill cycles through four components: 75 of its 300 rows are migrations,
        // newest first, each exactly once across the two pages.
        #expect(seen.count == 75)
        #expect(seen == seen.sorted(by: >))
        #expect(Set(seen).count == seen.count)
        #expect(pages == 2)

        let failed = try Curl.request(console.base + "/ledger?status=failed&install=nobody")
        #expect(failed.body.contains("No entries match."))
        let bad = try Curl.request(console.base + "/ledger?since=yesterday-ish")
        #expect(bad.body.contains("Since: yesterday-ish is not a time"))
    }

    static func entryIDs(_ html: String) -> [Int] {
        let pattern = try! NSRegularExpression(pattern: #"<a href="/ledger/([0-9]+)">"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range(at: 1), in: html).flatMap { Int(html[$0]) }
        }
    }

    static func nextLink(_ html: String) -> String? {
        guard let range = html.range(of: #"href="(/ledger\?[^"]*)" rel="next""#, options: .regularExpression) else { return nil }
        return String(html[range].dropFirst(6).dropLast(12)).replacingOccurrences(of: "&amp;", with: "&")
    }
}
