import Foundation
import LockstepRepository
import Testing

@Suite("Canonical JSON and key IDs")
struct CanonicalJSONTests {
    @Test func keysSortedNoWhitespaceOnlyQuoteAndBackslashEscaped() throws {
        let value = try JSONValue.parse(Data(#"{"b": [1, true, null], "a": "x\"y\\z\n", "é": 2, "B": -3}"#.utf8))
        #expect(String(decoding: value.canonicalData, as: UTF8.self) == "{\"B\":-3,\"a\":\"x\\\"y\\\\z\n\",\"b\":[1,true,null],\"é\":2}")
    }

    @Test func floatsAreNotCanonical() {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data(#"{"a": 1.5}"#.utf8)) }
    }

    @Test func keyIDIsTheSHA256OfTheCanonicalKeyObject() throws {
        let key = try PublicKey(
            json: try JSONValue.parse(
                Data(
                    #"{"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": "4e777de0d275f9d28588dd9a1606cc748e548f9e22b6795b7cb3f63f98035fcb"}}"#
                        .utf8
                )
            )
        )
        // Computed by securesystemslib 1.4 (hashlib.sha256(encode_canonical(key.to_dict()))).
        #expect(key.keyID == "452b904a56c1fb7631282eccb66c1965e33bb632a7d9996e5b045edb90508a78")
    }
}
