/// A SemVer 2.0.0 version. Comparison is SemVer precedence: build metadata is
/// ignored, so `2.12.0+1` and `2.12.0+2` are equivalent; `2.0.0-rc.2 < 2.0.0`.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: UInt64
    public let minor: UInt64
    public let patch: UInt64
    public let prerelease: [Identifier]
    public let build: [String]

    public enum Identifier: Sendable, Hashable, Comparable, CustomStringConvertible {
        case numeric(UInt64)
        case alphanumeric(String)

        public var description: String {
            switch self {
            case .numeric(let value): return String(value)
            case .alphanumeric(let value): return value
            }
        }

        // Numeric identifiers have lower precedence than alphanumeric ones.
        public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
            switch (lhs, rhs) {
            case (.numeric(let a), .numeric(let b)): return a < b
            case (.numeric, .alphanumeric): return true
            case (.alphanumeric, .numeric): return false
            case (.alphanumeric(let a), .alphanumeric(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
            }
        }
    }

    public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: [Identifier] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// Parses a label strictly by SemVer 2.0.0; `nil` when it is not one.
    public init?(_ label: String) {
        guard let parsed = try? SemanticVersion.parse(label) else { return nil }
        self = parsed
    }

    public static func parse(_ label: String) throws(SemanticVersionError) -> SemanticVersion {
        var rest = Substring(label)
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            rest = rest[..<plus]
            guard build.allSatisfy(isValidIdentifier) else {
                throw .init(label: label, reason: "build metadata must be dot-separated [0-9A-Za-z-] identifiers")
            }
        }
        var prerelease: [Identifier] = []
        if let dash = rest.firstIndex(of: "-") {
            let parts = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
            rest = rest[..<dash]
            for part in parts {
                guard isValidIdentifier(part) else { throw .init(label: label, reason: "pre-release identifiers must be non-empty [0-9A-Za-z-]") }
                if part.allSatisfy(\.isASCIIDigit) {
                    guard part == "0" || part.first != "0", let value = UInt64(part) else {
                        throw .init(label: label, reason: "numeric pre-release identifiers must not have leading zeros")
                    }
                    prerelease.append(.numeric(value))
                } else {
                    prerelease.append(.alphanumeric(String(part)))
                }
            }
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3 else {
            let hint = label.hasPrefix("v") ? " (drop the leading \"v\")" : ""
            throw .init(label: label, reason: "expected MAJOR.MINOR.PATCH\(hint)")
        }
        var numbers: [UInt64] = []
        for part in core {
            guard !part.isEmpty, part.allSatisfy(\.isASCIIDigit), part == "0" || part.first != "0", let value = UInt64(part) else {
                let hint = label.hasPrefix("v") ? " (drop the leading \"v\")" : ""
                throw .init(label: label, reason: "MAJOR, MINOR and PATCH must be numbers without leading zeros\(hint)")
            }
            numbers.append(value)
        }
        return SemanticVersion(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: prerelease, build: build)
    }

    private static func isValidIdentifier(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter || $0 == "-" }
    }

    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.map(\.description).joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// Equal precedence: same version ignoring build metadata.
    public func isEquivalent(to other: SemanticVersion) -> Bool {
        major == other.major && minor == other.minor && patch == other.patch && prerelease == other.prerelease
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if lhs.major != rhs.major { return lhs.major < rhs.major }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true): return false
        case (true, false): return false
        case (false, true): return true
        case (false, false): return lhs.prerelease.lexicographicallyPrecedes(rhs.prerelease)
        }
    }

    /// Hashable/Equatable follow precedence too, so equivalent builds collapse in sets.
    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool { lhs.isEquivalent(to: rhs) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(prerelease)
    }
}

public struct SemanticVersionError: Error, Sendable, CustomStringConvertible {
    public let label: String
    public let reason: String
    public var description: String { "\"\(label)\" is not a SemVer 2.0.0 version: \(reason)" }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}
