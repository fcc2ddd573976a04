import Foundation

extension Linter {
    /// Where a password config item is pasted decides who can read it. Arguments
    /// (`cmd`, `entrypoint`, `args`) reach the engine's command line and the container's
    /// process list; raw in a URL's user-info, a password holding `@ / : ? # %` or a
    /// space breaks the URL and a fragment of it becomes the host name.
    static func secretPlacementDiagnostics(_ manifest: Manifest) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for use in manifest.templateUses where use.function == .configOption || use.function == .configOptionData {
            guard let item = manifest.configItem(named: use.arguments[0]), item.isSecret else { continue }
            if ["cmd", "entrypoint", "args"].contains(use.field) {
                out.append(
                    Diagnostic(
                        .warning,
                        """
                        password config item '\(item.name)' is passed in '\(use.field)': arguments are visible in the process \
                        list and the engine's command line; pass it in env_vars instead
                        """,
                        at: use.location
                    )
                )
            }
            if !use.urlEncoded, isInURLUserInfo(use.text, offset: use.offset) {
                out.append(
                    Diagnostic(
                        .warning,
                        """
                        password config item '\(item.name)' is pasted raw into a URL's user-info; a password holding @ / : ? # % \
                        or a space breaks the URL: write {{repl ConfigOption "\(item.name)" | UrlEncode}}
                        """,
                        at: use.location
                    )
                )
            }
        }
        return out
    }

    /// Whether the template at `offset` sits between `scheme://` and the `@` ending the user-info.
    static func isInURLUserInfo(_ text: String, offset: Int) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard offset <= scalars.count else { return false }
        let before = String(String.UnicodeScalarView(scalars[..<offset]))
        let after = String(String.UnicodeScalarView(scalars[offset...]))
        guard let schemeEnd = before.range(of: "://", options: .backwards) else { return false }
        let authoritySoFar = before[schemeEnd.upperBound...]
        guard !authoritySoFar.contains(where: { "/?#@".contains($0) }) else { return false }
        // The user-info ends at an `@` that comes, after this template, before any path.
        guard let close = after.range(of: "}}") else { return false }
        let rest = after[close.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return false }
        return !rest[..<at].contains(where: { "/?#".contains($0) })
    }
}
