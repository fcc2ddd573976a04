import LockstepVersioning
import PropertyBased
import Testing

/// `precedenceKey` is what SQLite sorts and indexes: its byte order must be SemVer
/// precedence exactly. (Kept here because this target has the property-testing library.)
@Suite struct PrecedenceKeyPropertyTests {
    @Test func keyByteOrderIsSemVerPrecedence() async {
        let below = CaseCounter()
        let equal = CaseCounter()
        let above = CaseCounter()
        await propertyCheck(count: 20_000, input: RandomVersionLabel.pair) { labels in
            let (left, right) = labels
            guard let a = SemanticVersion(left), let b = SemanticVersion(right) else {
                Issue.record("valid SemVer refused: \(left) or \(right)")
                return
            }
            let keyA = Array(a.precedenceKey.utf8)
            let keyB = Array(b.precedenceKey.utf8)
            let oracle = SpecPrecedence.compare(left, right)
            (oracle < 0 ? below : oracle == 0 ? equal : above).increment()

            #expect((a < b) == (oracle < 0), "\(left) < \(right) should be \(oracle < 0)")
            #expect((a == b) == (oracle == 0), "\(left) == \(right) should be \(oracle == 0)")
            #expect((a < b) == keyA.lexicographicallyPrecedes(keyB), "\(left) vs \(right): keys \(a.precedenceKey) \(b.precedenceKey)")
            #expect((a == b) == (keyA == keyB), "\(left) vs \(right): keys \(a.precedenceKey) \(b.precedenceKey)")
            #expect((a < b) == (a.precedenceKey < b.precedenceKey), "String order of keys differs for \(left) vs \(right)")
            #expect(a.description == left)
        }
        // Equal precedence (build metadata aside) is the rare case the keys must get right too.
        #expect(below.count >= 1000 && above.count >= 1000 && equal.count >= 50, "\(below.count) below, \(equal.count) equal, \(above.count) above")
    }

    @Test func sortingByKeySortsByPrecedence() async {
        let labels = Generator<[String], Shrink.None<[String]>> { rng in
            (0..<Int.random(in: 2...40, using: &rng)).map { _ in RandomVersionLabel.label(using: &rng) }
        }
        await propertyCheck(count: 500, input: labels) { labels in
            let versions = labels.compactMap(SemanticVersion.init)
            #expect(versions.count == labels.count)
            let byKey = versions.sorted { $0.precedenceKey < $1.precedenceKey }
            #expect(zip(byKey, byKey.dropFirst()).allSatisfy { !($1 < $0) }, "\(byKey)")
        }
    }
}
