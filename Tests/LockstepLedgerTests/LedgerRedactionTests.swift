import Foundation
import LockstepLedger
import Testing

@Suite("Secrets never reach the ledger")
struct LedgerRedactionTests {
    static let secret = #"hunter2-"Pa$$/w\rd"#

    @Test("secrets given to append appear in no stored column, nor in the file's bytes")
    func secretsNotStored() throws {
        let fixture = try LedgerFixture()
        let secret = Self.secret
        var entry = fixture.sample(1, status: .failed)
        entry.command = ["/bin/migrate", "--password", secret, "--url=postgres://app:\(secret)@127.0.0.1:5432/app"]
        entry.environment = ["APP_DB_PASS": secret, "DATABASE_URL": "postgres://app:\(secret)@127.0.0.1/app", "PGHOST": "127.0.0.1"]
        entry.logTail = "connecting with \(secret)\nFATAL: password authentication failed for \(secret)\n"
        entry.message = "migration failed (password \(secret))"
        entry.secrets = [secret]
        let other = "second-secret-value"
        var second = fixture.sample(2)
        second.message = "rotated to \(other)"
        try fixture.ledger.append(contentsOf: [entry, second], redacting: [other])

        let dump = try fixture.sqlite(".dump ledger_entry")
        #expect(dump.contains("migration failed (password ***)"))
        #expect(!dump.contains("hunter2"))
        #expect(!dump.contains(other))
        try fixture.store.database.close()
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: fixture.path + suffix))) ?? Data()
            #expect(bytes.range(of: Data("hunter2".utf8)) == nil, "secret found in store\(suffix)")
            #expect(bytes.range(of: Data(other.utf8)) == nil, "secret found in store\(suffix)")
        }
    }

    @Test("stored values show the mask where the secret was")
    func maskedValues() throws {
        let fixture = try LedgerFixture()
        var entry = fixture.sample(1)
        entry.command = ["psql", "--password=\(Self.secret)"]
        entry.environment = ["APP_DB_PASS": Self.secret, "PGHOST": "127.0.0.1"]
        let stored = try fixture.ledger.append(entry, redacting: [Self.secret])
        #expect(stored.commandArguments == ["psql", "--password=***"])
        #expect(stored.environmentVariables == ["APP_DB_PASS": "***", "PGHOST": "127.0.0.1"])
    }
}

@Suite("CSV output")
struct LedgerCSVTests {
    @Test(
        "fields are quoted per RFC 4180",
        arguments: [
            ("plain", "plain"),
            ("a,b", #""a,b""#),
            (#"say "hi""#, #""say ""hi""""#),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r", "\"cr\r\""),
            ("", ""),
        ]
    )
    func quoting(_ value: String, _ expected: String) {
        #expect(LedgerCSV.field(value) == expected)
    }

    @Test("a row has one field per column and ends with CRLF")
    func row() throws {
        let fixture = try LedgerFixture()
        var entry = fixture.sample(1)
        entry.message = "a, \"quoted\"\nmessage"
        let stored = try fixture.ledger.append(entry)
        let line = LedgerCSV.line(stored)
        #expect(line.hasSuffix("\r\n"))
        #expect(line.contains(#""a, ""quoted""\#nmessage""#))
        #expect(line.contains(#""[""/bin/migrate"",""step 1""]""#))
        #expect(LedgerCSV.header == LedgerEntry.columnNames.joined(separator: ",") + "\r\n")
    }
}
