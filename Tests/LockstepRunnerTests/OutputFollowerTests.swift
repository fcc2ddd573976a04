import LockstepManifest
import LockstepRuntime
import Testing

@testable import LockstepRunner

/// How a migration's output is split into lines, masked, and continued after the lines told live.
@Suite struct OutputFollowerTests {
    @Test func linesAreSplitAtLineFeedsWithoutCarriageReturns() {
        #expect(OutputFollower.lines(of: "a\r\nb\nc\r\n") == ["a", "b", "c"])
        #expect(OutputFollower.lines(of: "one") == ["one"])
        #expect(OutputFollower.lines(of: "") == [])
        #expect(OutputFollower.lines(of: "\n\nx\n") == ["", "", "x"])
    }

    @Test func outputIsMaskedLikeTheLedger() throws {
        let key = "-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----"
        let manifest = try Manifest.load(
            text: """
                name: masked
                config:
                  - name: c
                    items:
                      - {name: db_password, type: password}
                      - {name: tls_key, type: password}
                components: []
                """,
            file: "masked.yaml"
        ).render(values: ConfigValues(["db_password": "hunter22", "tls_key": key]), nodeAddress: "127.0.0.1")
        let masking = OutputFollower.masking(manifest)
        #expect(masking.redact("connecting with hunter22") == "connecting with ***")
        #expect(masking.redact("DATABASE_URL=postgres://app:opensesame@db/shop") == "DATABASE_URL=postgres://app:***@db/shop")
        #expect(masking.redact("MIIBOgIBAAJBAK") == "***")
        // The tail is masked line by line, as live lines are, so the two match.
        #expect(OutputFollower.masked("key:\r\n\(key)\nnull\n", with: masking) == "key:\n***\n***\n***\nnull\n")
    }
}

@Suite struct OutputOverlapTests {
    @Test(arguments: [
        (["a", "b", "c"], [String](), 0),
        (["a", "b", "c"], ["a", "b"], 2),
        (["b", "c", "d"], ["a", "b", "c"], 2),
        (["a", "b", "c"], ["c"], 3),
        (["x", "y"], ["a", "b"], 0),
        (["ok", "ok", "ok", "end"], ["ok", "ok"], 3),
        ([String](), ["a"], 0),
    ])
    func theFinalTailContinuesAfterTheLinesToldLive(tail: [String], told: [String], untoldFrom: Int) {
        #expect(OutputFollower.untold(in: tail, after: told) == untoldFrom)
    }
}
