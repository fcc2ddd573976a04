import LockstepVersioning
import Testing

/// SemVer 2.0.0 parsing and precedence, with the spec's own examples.
@Suite struct SemanticVersionTests {
    // From semver.org and its regex test suite (numbers that fit in 64 bits).
    static let valid = [
        "0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid", "1.0.0-alpha",
        "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1", "1.0.0-alpha0.valid", "1.0.0-alpha.0valid",
        "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123",
        "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "2.0.0+build.1848", "2.0.1-alpha.1227",
        "1.0.0-alpha+beta", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.0.0+0.build.1-rc.10000aaa-kk-0.1", "1.0.0-0A.is.legal",
        "1.0.0+001", "1.0.0-x.7.z.92", "1.0.0-0", "1.0.0-00a", "1.0.0--", "0.0.0",
        "18446744073709551615.18446744073709551615.18446744073709551615-18446744073709551615",
    ]

    static let invalid = [
        "", "1", "1.2", "1.0", "1.2.3.4", "v1.0.0", "V1.0.0", "1.0.0-", "1.0.0+", "1.0.0-+", "1.0.0-+meta",
        "01.1.1", "1.01.1", "1.1.01", "00.0.0", "1.2.3-0123", "1.2.3-0123.0123", "1.0.0-01", "1.0.0-alpha.01",
        "1.1.2+.123", "1.0.0+meta.", "1.0.0+meta..x", "+invalid", "-invalid", "-invalid+invalid", "-invalid.01",
        "alpha", "alpha.beta", "alpha.beta.1", "alpha.1", "alpha+beta", "alpha_beta", "alpha.", "alpha..", "beta",
        "1.0.0-alpha_beta", "-alpha.", "1.0.0-alpha..", "1.0.0-alpha..1", "1.0.0-alpha...1", "1.0.0-.alpha",
        "1.0.0-alpha.", "1.2.3.DEV", "1.2-SNAPSHOT", "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", "1.2-RC-SNAPSHOT",
        "-1.0.3-gamma+b7718", "+justmeta", "9.8.7+meta+meta", "9.8.7-whatever+meta+meta", " 1.0.0", "1.0.0 ",
        "1.0.0-é", "1.0.0+é", "１.0.0", "1.0.0-a b", "1..0", "1.0.0.", ".1.0.0", "-1.0.0", "1.-1.0",
    ]

    @Test(arguments: valid) func parsesValidLabels(_ label: String) throws {
        let version = try SemanticVersion.parse(label)
        #expect(version.description == label)
        #expect(SemanticVersion(label) != nil)
    }

    @Test(arguments: invalid) func refusesInvalidLabels(_ label: String) {
        #expect(SemanticVersion(label) == nil)
        #expect(throws: SemanticVersionError.self) { try SemanticVersion.parse(label) }
    }

    /// SemVer sets no bound; a number too large for 64 bits is refused, never wrapped or truncated.
    @Test(arguments: ["18446744073709551616.0.0", "0.18446744073709551616.0", "1.0.0-18446744073709551616"])
    func refusesNumbersBeyond64Bits(_ label: String) {
        #expect(SemanticVersion(label) == nil)
    }

    @Test func refusalExplainsTheLeadingV() {
        #expect(throws: SemanticVersionError.self) { try SemanticVersion.parse("v1.0.0") }
        do {
            _ = try SemanticVersion.parse("v1.0.0")
        } catch {
            #expect(error.description.contains("v1.0.0"))
            #expect(error.description.contains("\"v\""))
        }
    }

    @Test func partsAreParsed() throws {
        let version = try SemanticVersion.parse("1.22.333-rc.10.x-y+build.007")
        #expect(version.major == 1 && version.minor == 22 && version.patch == 333)
        #expect(version.prerelease == [.alphanumeric("rc"), .numeric(10), .alphanumeric("x-y")])
        #expect(version.build == ["build", "007"])
    }

    static let specChain = [
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
        "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.9.0", "1.10.0", "1.11.0", "2.0.0-0", "2.0.0", "2.1.0", "2.1.1",
    ]

    @Test func specPrecedenceChain() throws {
        let versions = try Self.specChain.map { try SemanticVersion.parse($0) }
        for (index, lower) in versions.enumerated() {
            for higher in versions[(index + 1)...] {
                #expect(lower < higher, "\(lower) < \(higher)")
                #expect(!(higher < lower), "\(higher) < \(lower)")
                #expect(lower.precedenceKey < higher.precedenceKey, "key of \(lower) < key of \(higher)")
                #expect(lower != higher)
            }
        }
        #expect(versions.shuffled().sorted().map(\.description) == Self.specChain)
        #expect(versions.shuffled().sorted { $0.precedenceKey < $1.precedenceKey }.map(\.description) == Self.specChain)
    }

    @Test(arguments: [
        ("2.12.0+1", "2.12.0+2"), ("1.0.0", "1.0.0+build"), ("1.0.0-rc.1+a", "1.0.0-rc.1+b.c"), ("1.0.0-alpha", "1.0.0-alpha+001"),
    ])
    func buildMetadataIsIgnored(_ left: String, _ right: String) throws {
        let a = try SemanticVersion.parse(left)
        let b = try SemanticVersion.parse(right)
        #expect(a == b)
        #expect(!(a < b) && !(b < a))
        #expect(a.isEquivalent(to: b))
        #expect(a.precedenceKey == b.precedenceKey)
        #expect(Set([a, b]).count == 1)
        #expect(a.description != b.description)
    }

    @Test(arguments: [
        ("2.0.0-rc.2", "2.0.0"), ("1.0.0-1", "1.0.0-a"), ("1.0.0-2", "1.0.0-10"), ("1.0.0-Z", "1.0.0-a"),
        ("1.0.0-a", "1.0.0-a-"), ("1.0.0-a", "1.0.0-a.0"), ("1.0.0--", "1.0.0-0a"), ("1.0.0-9", "1.0.0--"),
        ("1.0.0-18446744073709551614", "1.0.0-18446744073709551615"), ("1.0.0-99", "1.0.0-100"),
        ("9.0.0", "10.0.0"), ("1.0.0-alpha.beta", "1.0.0-alpha-beta"), ("1.0.0-a.b", "1.0.0-a-"),
    ])
    func ordered(_ lower: String, _ higher: String) throws {
        let a = try SemanticVersion.parse(lower)
        let b = try SemanticVersion.parse(higher)
        #expect(a < b)
        #expect(!(b < a))
        #expect(a.precedenceKey < b.precedenceKey, "\(a.precedenceKey) vs \(b.precedenceKey)")
    }
}
