extension SemanticVersion {
    /// A string whose byte order is SemVer precedence, so SQLite can index and sort
    /// versions, and equivalent versions (differing only in build metadata) share a key.
    ///
    /// Core numbers are fixed width; a release sorts after its pre-releases ("~" > "-");
    /// numeric identifiers ("0" + length + digits) sort before alphanumeric ones ("1" + text);
    /// "!" separates identifiers because it sorts below every identifier character.
    public var precedenceKey: String {
        var key = Self.padded(major) + "." + Self.padded(minor) + "." + Self.padded(patch)
        guard !prerelease.isEmpty else { return key + "~" }
        key += "-"
        for (index, identifier) in prerelease.enumerated() {
            if index > 0 { key += "!" }
            switch identifier {
            case .numeric(let value):
                let digits = String(value)
                key += "0" + (digits.count < 10 ? "0" : "") + String(digits.count) + digits
            case .alphanumeric(let text):
                key += "1" + text
            }
        }
        return key
    }

    private static func padded(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
