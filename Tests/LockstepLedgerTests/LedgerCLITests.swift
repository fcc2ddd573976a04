import Foundation
import LockstepLedger
import Testing

/// The `lockstep ledger` commands as an auditor runs them: the built binary on a real store.
@Suite("lockstep ledger commands")
struct LedgerCLITests {
    let binary: String
    let fixture: LedgerFixture

    init() throws {
        binary = try ProcessRunner.lockstepBinary()
        fixture = try LedgerFixture()
        var rows = (1...50).map { fixture.sample($0) }
        rows[41].status = .failed
        rows[41].event = .failed
        rows[41].exitCode = 3
        rows[41].releaseVersion = "1.3.0"
        rows[41].message = "exit 3, \"boom\""
        try fixture.ledger.append(contentsOf: rows)
    }

    /// The ledger key and its checkpoints file live in the fixture's folder, never in ~/.config.
    func lockstep(_ arguments: String...) throws -> ProcessResult {
        try ProcessRunner.run(
            binary,
            ["ledger"] + arguments + ["--store", fixture.path],
            environment: ["LOCKSTEP_LEDGER_KEY": fixture.folder.appendingPathComponent("keys/ledger.key").path]
        )
    }

    @Test("verify: exit 0 and the row count on an intact ledger")
    func verifyIntact() throws {
        let result = try lockstep("verify")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("ledger intact: 50 entries, root "))
    }

    @Test("verify: exit 1 naming the edited row")
    func verifyEdited() throws {
        try fixture.sqlite(LedgerTamperTests.dropTriggers + "UPDATE ledger_entry SET exit_code = 0 WHERE id = 42")
        let result = try lockstep("verify")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: row 42: content does not match its hash (edited?)"))
        #expect(result.stdout.isEmpty)
    }

    @Test("verify: exit 1 naming the row after a deleted one")
    func verifyDeleted() throws {
        try fixture.sqlite(LedgerTamperTests.dropTriggers + "DELETE FROM ledger_entry WHERE id = 42")
        let result = try lockstep("verify")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: row 43: row 42 is missing before it (deleted?)"))
    }

    @Test("verify --output json reports the first bad row")
    func verifyJSON() throws {
        try fixture.sqlite(LedgerTamperTests.dropTriggers + "UPDATE ledger_entry SET host = 'elsewhere' WHERE id = 7")
        let result = try lockstep("verify", "--output", "json")
        #expect(result.status == 1)
        let report = try JSONDecoder().decode(LedgerVerificationReport.self, from: Data(result.stdout.utf8))
        #expect(report.intact == false)
        #expect(report.firstBadRow == 7)
    }

    @Test("ls filters and prints an aligned table, newest first")
    func listTable() throws {
        let result = try lockstep("ls", "--status", "failed", "--since", "1h")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("ID  RECORDED"))
        #expect(lines[1].hasPrefix("42  "))
        #expect(lines[1].contains("failed") && lines[1].contains("1.3.0 (#3)"))
        let all = try lockstep("ls", "--limit", "3")
        let table = all.stdout.split(separator: "\n").map(String.init)
        #expect(table.dropFirst().map { $0.split(separator: " ").first.map(String.init) } == ["50", "49", "48"])
        // Aligned: every row's status cell starts under the STATUS header.
        let column = try #require(table[0].range(of: "STATUS")).lowerBound.utf16Offset(in: table[0])
        for row in table.dropFirst() {
            let cell = try #require(row.range(of: " succeeded ", options: .backwards)).lowerBound.utf16Offset(in: row) + 1
            #expect(cell == column, "misaligned: \(row)")
        }
    }

    @Test("ls --release by version and by sequence")
    func listRelease() throws {
        let byVersion = try lockstep("ls", "--release", "1.3.0", "--output", "json")
        let entries = try JSONDecoder().decode([LedgerEntry].self, from: Data(byVersion.stdout.utf8))
        #expect(entries.map(\.id) == [42])
        let bySequence = try lockstep("ls", "--release", "3", "--limit", "0", "--output", "json")
        #expect(try JSONDecoder().decode([LedgerEntry].self, from: Data(bySequence.stdout.utf8)).count == 50)
    }

    @Test("ls --output csv quotes per RFC 4180")
    func listCSV() throws {
        let result = try lockstep("ls", "--status", "failed", "--output", "csv")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("id,recorded_at,kind,"))
        #expect(result.stdout.contains(#","exit 3, ""boom""","#))
        #expect(result.stdout.hasSuffix("\r\n"))
    }

    @Test("bad arguments are usage errors", arguments: [["ls", "--since", "yesterday"], ["ls", "--limit", "-1"], ["ls", "--kind", "deploy"]])
    func usage(_ arguments: [String]) throws {
        let result = try ProcessRunner.run(binary, ["ledger"] + arguments + ["--store", fixture.path])
        #expect(result.status == 64, "\(result.stderr)")
    }

    @Test("show prints every field and the log tail; an unknown id is not found")
    func show() throws {
        let result = try lockstep("show", "42")
        #expect(result.status == 0)
        #expect(result.stdout.contains("exit code:       3"))
        #expect(result.stdout.contains("command:         /bin/migrate 'step 42'"))
        #expect(result.stdout.contains("log tail:\nline 42\n"))
        let json = try lockstep("show", "42", "--output", "json")
        let entry = try JSONDecoder().decode(LedgerEntry.self, from: Data(json.stdout.utf8))
        #expect(entry == (try fixture.ledger.entry(id: 42)))
        let missing = try lockstep("show", "999")
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no ledger row 999"))
    }

    @Test("export writes every row with the chain, which an auditor can recheck")
    func export() throws {
        let file = fixture.folder.appendingPathComponent("audit.json").path
        let result = try lockstep("export", "--file", file)
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        struct Export: Decodable {
            var format: String
            var verification: LedgerVerificationReport
            var entries: [LedgerEntry]
        }
        let export = try JSONDecoder().decode(Export.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(export.format == "lockstep-ledger-export/1")
        #expect(export.verification.intact && export.verification.rows == 50)
        #expect(export.entries.map(\.id) == Array(1...50))
        var previous = LedgerHash.genesis
        for entry in export.entries {
            #expect(entry.previousHash == previous)
            #expect(LedgerHash.hash(fields: entry.hashedFields) == entry.rowHash)
            previous = entry.rowHash
        }
        #expect(export.verification.headHash == previous)

        let csv = try lockstep("export", "--output", "csv")
        #expect(csv.stdout.components(separatedBy: "\r\n").count == 52, "header, 50 rows, empty after the last CRLF")
    }

    @Test("export refuses a ledger that does not verify, unless forced")
    func exportRefused() throws {
        try fixture.sqlite(LedgerTamperTests.dropTriggers + "UPDATE ledger_entry SET message = 'fine' WHERE id = 42")
        let file = fixture.folder.appendingPathComponent("audit.json").path
        let refused = try lockstep("export", "--file", file)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("row 42"))
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path).allSatisfy { !$0.contains("partial") })

        let forced = try lockstep("export", "--file", file, "--force")
        #expect(forced.status == 1)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains(#""intact":false"#))
        #expect(text.contains(#""first_bad_row":42"#))
    }

    @Test("a file that is not a store is a store error")
    func notAStore() throws {
        let bogus = fixture.folder.appendingPathComponent("bogus.sqlite").path
        try Data("not sqlite at all, not even close, definitely longer than a header".utf8).write(to: URL(fileURLWithPath: bogus))
        let result = try ProcessRunner.run(binary, ["ledger", "verify", "--store", bogus])
        #expect(result.status == 74)
    }
}
