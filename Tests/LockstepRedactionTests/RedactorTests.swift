import LockstepRedaction
import Testing

/// The one masking rule, as every module applies it: output, logs, failure text and the ledger.
@Suite struct RedactorTests {
    @Test(
        "Redactor masks given secrets, longest first",
        arguments: [
            ("user pw=abc123 and abc", ["abc", "abc123"], "user pw=*** and ***"),
            ("nothing here", ["abc"], "nothing here"),
            ("empty secrets are ignored", [""], "empty secrets are ignored"),
        ]
    )
    func redactor(_ text: String, _ secrets: [String], _ expected: String) {
        #expect(Redactor(secrets: secrets).redact(text) == expected)
    }

    @Test(
        "a secret is masked in its percent-encoded forms too",
        arguments: [
            // As `UrlEncode` writes it into a URL, where the URL rule alone would not see it (no user-info).
            ("psql: could not connect, host=db password hint p%40ss%2Fw%3Ard%20x", "psql: could not connect, host=db password hint ***"),
            ("GET /login?pw=p%40ss%2fw%3ard+x HTTP/1.1", "GET /login?pw=*** HTTP/1.1"),
            ("the value p@ss/w:rd x itself", "the value *** itself"),
        ]
    )
    func encodedSecrets(_ text: String, _ expected: String) {
        #expect(Redactor(secrets: ["p@ss/w:rd x"]).redact(text) == expected)
    }

    @Test("a secret of unreserved characters only has no other spelling")
    func plainSecretHasNoEncodedForm() {
        #expect(Redactor(secrets: ["plain-Secret_1.0~"]).secrets == ["plain-Secret_1.0~"])
    }

    @Test(
        "passwords in connection strings are masked even when not listed",
        arguments: [
            ("postgres://app:s3cr3t@db:5432/app", "postgres://app:***@db:5432/app"),
            ("host=db user=app password=s3cr3t dbname=app", "host=db user=app password=*** dbname=app"),
            ("host=db PASSWORD = 's3 cr3t' dbname=app", "host=db PASSWORD = *** dbname=app"),
            ("see https://example.com/docs", "see https://example.com/docs"),
        ]
    )
    func connectionStrings(_ text: String, _ expected: String) {
        #expect(Redactor(secrets: []).redact(text) == expected)
    }

    @Test("environment variables named like secrets are masked whatever their value")
    func secretNames() {
        let masked = Redactor(secrets: []).redact(environment: [
            "POSTGRES_PASSWORD": "x", "API_TOKEN": "y", "AWS_SECRET_ACCESS_KEY": "z",
            "POSTGRES_PASSWORD_FILE": "/run/secrets/pg", "PGHOST": "db",
        ])
        #expect(
            masked == [
                "POSTGRES_PASSWORD": "***", "API_TOKEN": "***", "AWS_SECRET_ACCESS_KEY": "***",
                "POSTGRES_PASSWORD_FILE": "/run/secrets/pg", "PGHOST": "db",
            ]
        )
    }

    @Test("every non-empty secret is masked, however short, with the one mask text")
    func shortSecrets() {
        #expect(Redactor(secrets: ["hunter22", "ab"]).redact("auth failed for hunter22 (ab)") == "auth failed for *** (***)")
        #expect(Redactor.mask == "***")
    }

    @Test("arguments and optional text go through the same rule")
    func forms() {
        let redactor = Redactor(secrets: ["s3cr3t"])
        #expect(redactor.redact(arguments: ["--password=s3cr3t", "plain"]) == ["--password=***", "plain"])
        #expect(redactor.redact(Optional<String>.none) == nil)
        #expect(redactor.adding(["plain"]).redact("plain s3cr3t") == "*** ***")
    }
}
