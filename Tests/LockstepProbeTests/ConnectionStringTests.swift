import Testing

@testable import LockstepProbe

@Suite("Connection strings")
struct ConnectionStringTests {
    @Test("URLs are parsed the way libpq reads them")
    func parsesURL() throws {
        let parsed = try ConnectionString("postgresql://app:p%40ss%2Fword@db.example:6543/inventory?sslmode=disable&application_name=x")
        #expect(parsed.format == .url)
        #expect(parsed.value(for: "user") == "app")
        #expect(parsed.value(for: "password") == "p@ss/word")
        #expect(parsed.value(for: "host") == "db.example")
        #expect(parsed.value(for: "port") == "6543")
        #expect(parsed.value(for: "dbname") == "inventory")
        #expect(parsed.value(for: "sslmode") == "disable")
    }

    @Test("key=value conninfo, with quoted and escaped values")
    func parsesConninfo() throws {
        let parsed = try ConnectionString(#"host=127.0.0.1 port = 5432 user=app password='it\'s a secret' dbname=app"#)
        #expect(parsed.format == .keywordValue)
        #expect(parsed.value(for: "password") == "it's a secret")
        #expect(parsed.value(for: "port") == "5432")
        #expect(parsed.redacted == "host=127.0.0.1 port=5432 user=app password=*** dbname=app")
    }

    @Test("A plain word is a database name, as for libpq")
    func plainDatabaseName() throws {
        let parsed = try ConnectionString("inventory")
        #expect(parsed.value(for: "dbname") == "inventory")
        #expect(parsed.redacted == "dbname=inventory")
    }

    @Test(
        "Redacted forms keep everything but the password",
        arguments: [
            ("postgresql://app:hunter2@127.0.0.1:5432/app", "postgresql://app:***@127.0.0.1:5432/app"),
            ("postgres://app@127.0.0.1/app", "postgres://app@127.0.0.1/app"),
            (
                "postgresql://app:hunter2@[::1]:5432,10.0.0.2:5433/app?sslmode=require",
                "postgresql://app:***@[::1]:5432,10.0.0.2:5433/app?sslmode=require"
            ),
            ("postgresql://127.0.0.1/app?user=app&password=hunter2", "postgresql://127.0.0.1/app?user=app&password=***"),
            ("postgresql://:hunter2@127.0.0.1/app", "postgresql://:***@127.0.0.1/app"),
            ("user=app password=hunter2 host=/tmp", "user=app password=*** host=/tmp"),
        ]
    )
    func redacts(input: String, expected: String) throws {
        let parsed = try ConnectionString(input)
        #expect(parsed.redacted == expected)
        #expect(!parsed.redacted.contains("hunter2"))
        #expect(PostgresProbe.redact(input) == expected)
    }

    @Test("Messages lose every spelling of the password and the raw string")
    func scrubsMessages() throws {
        let raw = "postgresql://app:p%40ss-w0rd@127.0.0.1:5432/app"
        let parsed = try ConnectionString(raw)
        let message = "invalid URI: \"\(raw)\"; password p@ss-w0rd or p%40ss-w0rd, env pg-env-secret"
        let scrubbed = parsed.redact(message, environment: ["PGPASSWORD": "pg-env-secret"])
        #expect(!scrubbed.contains("p@ss-w0rd"))
        #expect(!scrubbed.contains("p%40ss-w0rd"))
        #expect(!scrubbed.contains("pg-env-secret"))
        #expect(scrubbed.contains("postgresql://app:***@127.0.0.1:5432/app"))
    }

    @Test("A bare database name holds no secret: messages naming it are left as they are")
    func bareNameLeavesMessages() throws {
        let parsed = try ConnectionString("shop")
        let message = #"database "shop" does not exist; the shop team owns shop_db"#
        #expect(parsed.redact(message) == message)
    }

    @Test(
        "Malformed strings are refused without quoting their values",
        arguments: [
            "host=127.0.0.1 password=abc def",
            "host=127.0.0.1 password='unterminated",
            "postgresql://app:pa%zzss@127.0.0.1/app",
            "postgresql://app:secretpw@[::1/app",
            "postgresql://app:secretpw@127.0.0.1:notaport/app",
            "host=127.0.0.1 port=99999 password=secretpw",
        ]
    )
    func refusesMalformed(input: String) {
        #expect(throws: ConnectionStringError.self) { try ConnectionString(input) }
        do {
            _ = try ConnectionString(input)
        } catch {
            for secret in ["def", "unterminated", "pa%zzss", "secretpw", "notaport"] {
                #expect(!error.description.contains(secret))
            }
        }
        #expect(PostgresProbe.redact(input) == "<invalid connection string>")
    }
}

extension ConnectionStringTests {
    @Test("libpq's option errors keep keywords and plain values, mask other quoted words")
    func optionErrors() throws {
        let parsed = try ConnectionString("host=127.0.0.1 password=abc def=ghi sslmode=bogus")
        #expect(parsed.redactOptionError(#"invalid connection option "def""#) == #"invalid connection option "***""#)
        #expect(parsed.redactOptionError(#"invalid sslmode value: "bogus""#) == #"invalid sslmode value: "bogus""#)
    }
}

@Suite("Failure classification")
struct FailureClassifierTests {
    @Test(
        "Server messages map to SQLSTATEs and outcomes",
        arguments: [
            (
                #"connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "app""#,
                ProbeOutcome.authenticationFailed, "28P01"
            ),
            (
                #"connection to server at "127.0.0.1", port 5432 failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "x", database "y", no encryption"#,
                .authenticationFailed, "28000"
            ),
            (#"connection to server at "127.0.0.1", port 5432 failed: FATAL:  role "nobody" does not exist"#, .authenticationFailed, "28000"),
            (#"connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "nope" does not exist"#, .databaseMissing, "3D000"),
            (#"connection to server at "127.0.0.1", port 5432 failed: FATAL:  the database system is starting up"#, .rejecting, "57P03"),
            (
                #"connection to server at "127.0.0.1", port 5432 failed: FATAL:  the database system is not yet accepting connections"#, .rejecting,
                "57P03"
            ),
            (
                #"connection to server at "127.0.0.1", port 5432 failed: FATAL:  the database system is not accepting connections"#, .rejecting,
                "57P03"
            ),
            (#"connection to server at "127.0.0.1", port 5432 failed: FATAL:  sorry, too many clients already"#, .rejecting, "53300"),
            (#"connection to server at "127.0.0.1", port 5432 failed: Connection refused"#, .noResponse, nil),
            (#"connection to server at "127.0.0.1", port 5432 failed: timeout expired"#, .noResponse, nil),
        ] as [(String, ProbeOutcome, String?)]
    )
    func classifies(message: String, outcome: ProbeOutcome, sqlstate: String?) {
        let classified = FailureClassifier.classifyConnectFailure(message, needsPassword: false)
        #expect(classified.outcome == outcome)
        #expect(classified.sqlstate == sqlstate)
    }

    @Test("A missing password is an authentication failure")
    func needsPassword() {
        let classified = FailureClassifier.classifyConnectFailure("fe_sendauth: no password supplied", needsPassword: true)
        #expect(classified == .init(outcome: .authenticationFailed, sqlstate: "28P01"))
    }

    @Test("The server's words are kept without libpq's preamble, with the detail")
    func serverMessage() {
        let message =
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is not accepting connections\nDETAIL:  Hot standby mode is disabled.\n"
        #expect(FailureClassifier.serverMessage(message) == "the database system is not accepting connections (Hot standby mode is disabled.)")
    }
}

@Suite("Backoff")
struct BackoffTests {
    @Test("Delays grow from tens of milliseconds to about a second, with jitter")
    func grows() {
        var backoff = Backoff()
        let delays = (0..<30).map { _ in backoff.next() }
        #expect(delays[0] >= .milliseconds(10) && delays[0] <= .milliseconds(20))
        #expect(delays.allSatisfy { $0 <= .seconds(1) })
        #expect(delays.suffix(5).allSatisfy { $0 >= .milliseconds(500) })
        #expect(Set(delays.suffix(10)).count > 1, "jitter should vary capped delays")
        backoff.reset()
        #expect(backoff.next() <= .milliseconds(20))
    }

    @Test("Major versions scale to server_version_num")
    func minimumVersion() {
        #expect(ProbeOptions(connection: "", minimumVersion: 15).minimumVersionNumber == 150000)
        #expect(ProbeOptions(connection: "", minimumVersion: 150004).minimumVersionNumber == 150004)
        #expect(AttemptVerdict.versionText(150020) == "15.20")
        #expect(AttemptVerdict.versionText(90624) == "9.6.24")
    }
}
