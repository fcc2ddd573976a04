extension String {
    /// The text with control characters shown as `\u{1B}` rather than obeyed: names,
    /// labels and notes come from manifests and catalogs a vendor wrote, and a terminal
    /// escape or a newline in them must not repaint the screen or forge an output line.
    public var escapingControlCharacters: String {
        escapingControlCharacters(keepingNewlines: false)
    }

    /// The same, keeping line breaks: for text made of several lines on purpose.
    public func escapingControlCharacters(keepingNewlines: Bool) -> String {
        guard unicodeScalars.contains(where: { Self.isControl($0, keepingNewlines: keepingNewlines) }) else { return self }
        var shown = ""
        for scalar in unicodeScalars {
            if Self.isControl(scalar, keepingNewlines: keepingNewlines) {
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    private static func isControl(_ scalar: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        if scalar == "\t" || (keepingNewlines && scalar == "\n") { return false }
        return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
