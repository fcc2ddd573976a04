import PropertyBased

/// Random SemVer 2.0.0 labels that stress precedence: small numbers so that ties are
/// common, 20-digit numbers, pre-release identifiers mixing numeric, alphanumeric and
/// hyphens, and build metadata (which must not matter).
enum RandomVersionLabel {
    static let identifierCharacters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")
    static let interesting = ["alpha", "beta", "rc", "a", "A", "Z", "z", "-", "--", "a-b", "-1", "1a", "0a", "ZZ", "zz", "x-", "-x"]

    /// Pairs: half independent, half the second derived from the first by one small change.
    static let pair = Generator<(String, String), Shrink.None<(String, String)>> { rng in
        let first = label(using: &rng)
        let second = Bool.random(using: &rng) ? label(using: &rng) : mutate(first, using: &rng)
        return (first, second)
    }

    static func label(using rng: inout any SeededRandomNumberGenerator) -> String {
        var text = "\(number(using: &rng)).\(number(using: &rng)).\(number(using: &rng))"
        let prerelease = (0..<Int.random(in: 0...4, using: &rng)).map { _ in identifier(using: &rng) }
        if !prerelease.isEmpty { text += "-" + prerelease.joined(separator: ".") }
        let build = (0..<Int.random(in: 0...2, using: &rng)).map { _ in buildIdentifier(using: &rng) }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    static func number(using rng: inout any SeededRandomNumberGenerator) -> UInt64 {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<7: return UInt64.random(in: 0...3, using: &rng)
        case 7, 8: return UInt64.random(in: 0...1_000, using: &rng)
        default: return Bool.random(using: &rng) ? UInt64.max - UInt64.random(in: 0...2, using: &rng) : UInt64.random(in: 0...UInt64.max, using: &rng)
        }
    }

    static func identifier(using rng: inout any SeededRandomNumberGenerator) -> String {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<4: return String(number(using: &rng))
        case 4..<7: return interesting.randomElement(using: &rng)!
        default:
            var text = String((0..<Int.random(in: 1...5, using: &rng)).map { _ in identifierCharacters.randomElement(using: &rng)! })
            // All digits would be a numeric identifier (and maybe a leading zero); keep it alphanumeric.
            if text.allSatisfy(\.isNumber) { text.insert(Bool.random(using: &rng) ? "-" : "x", at: text.startIndex) }
            return text
        }
    }

    static func buildIdentifier(using rng: inout any SeededRandomNumberGenerator) -> String {
        String((0..<Int.random(in: 1...4, using: &rng)).map { _ in identifierCharacters.randomElement(using: &rng)! })
    }

    /// One small change: build metadata, one pre-release identifier, one more or one fewer identifier, or a core number.
    static func mutate(_ label: String, using rng: inout any SeededRandomNumberGenerator) -> String {
        let withoutBuild = label.split(separator: "+", maxSplits: 1).first.map(String.init) ?? label
        let dash = withoutBuild.firstIndex(of: "-")
        let core = dash.map { String(withoutBuild[..<$0]) } ?? withoutBuild
        var prerelease = dash.map { withoutBuild[withoutBuild.index(after: $0)...].split(separator: ".").map(String.init) } ?? []
        var numbers = core.split(separator: ".").map { UInt64($0)! }
        var build = ""
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: build = "+" + buildIdentifier(using: &rng)
        case 1 where !prerelease.isEmpty: prerelease[Int.random(in: 0..<prerelease.count, using: &rng)] = identifier(using: &rng)
        case 2: prerelease.append(identifier(using: &rng))
        case 3 where !prerelease.isEmpty: prerelease.removeLast()
        default:
            let index = Int.random(in: 0..<3, using: &rng)
            numbers[index] = numbers[index] == 0 ? 1 : numbers[index] - 1
        }
        let text = numbers.map(String.init).joined(separator: ".")
        return text + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: ".")) + build
    }
}

/// SemVer 2.0.0 section 11, computed on the label text alone: an oracle that shares no code
/// with `SemanticVersion`. Returns -1, 0 or 1.
enum SpecPrecedence {
    static func compare(_ a: String, _ b: String) -> Int {
        let (coreA, preA) = split(a)
        let (coreB, preB) = split(b)
        for (x, y) in zip(coreA, coreB) where x != y { return numeric(x, y) }
        switch (preA, preB) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case (let x?, let y?):
            for (p, q) in zip(x, y) where p != q {
                let pNumeric = p.allSatisfy(\.isNumber)
                let qNumeric = q.allSatisfy(\.isNumber)
                switch (pNumeric, qNumeric) {
                case (true, true): return numeric(p, q)
                case (true, false): return -1
                case (false, true): return 1
                case (false, false): return Array(p.utf8).lexicographicallyPrecedes(Array(q.utf8)) ? -1 : 1
                }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        }
    }

    private static func split(_ label: String) -> (core: [Substring], prerelease: [Substring]?) {
        let withoutBuild = label.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = withoutBuild.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let core = parts[0].split(separator: ".")
        return (core, parts.count > 1 ? parts[1].split(separator: ".", omittingEmptySubsequences: false) : nil)
    }

    /// Digit strings without leading zeros: longer is larger, else text order.
    private static func numeric(_ a: Substring, _ b: Substring) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        return a == b ? 0 : (a < b ? -1 : 1)
    }
}
