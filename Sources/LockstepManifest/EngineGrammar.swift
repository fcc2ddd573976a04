import Foundation

/// The container engine's own rules for what a manifest hands it, checked at lint time
/// so that `image_name: "busybox --privileged"` or an env name holding a newline is
/// refused when the release is cut, not in the middle of a customer's upgrade.
/// Image names follow the distribution reference grammar podman and docker share
/// (github.com/distribution/reference, regexp.go).
enum EngineGrammar {
    /// `[domain[:port]/]path-component(/path-component)*`, at most 255 characters.
    private static let imageName = try! NSRegularExpression(
        pattern: """
            ^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?/)?\
            [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$
            """
    )
    /// A tag: `[\w][\w.-]{0,127}`.
    private static let tag = try! NSRegularExpression(pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
    /// A digest pinned as the version: `algorithm:hex`.
    private static let digest = try! NSRegularExpression(pattern: "^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
    /// Names every shell and every engine pass through unchanged.
    private static let portableEnvName = try! NSRegularExpression(pattern: "^[A-Za-z_][A-Za-z0-9_]*$")

    static func imageNameProblem(_ name: String) -> String? {
        guard !matches(imageName, name) || name.count > 255 else { return nil }
        var why = "lower-case letters, digits and . _ - separators, optionally after a registry host[:port]/"
        if name.contains(where: \.isWhitespace) {
            why = "an image name holds no spaces or options; " + why
        } else if name.contains(where: \.isUppercase) {
            why = "repository names are lower case; " + why
        }
        return "image_name '\(name)' is not an image reference the engine accepts (\(why))"
    }

    static func versionProblem(_ version: String) -> String? {
        if matches(tag, version) || matches(digest, version) { return nil }
        return
            "version '\(version)' is not an image tag the engine accepts (letters, digits, _ . -; at most 128 characters, not starting with . or -)"
    }

    /// An error for names the engine cannot pass on, a warning text for merely unusual ones.
    static func envNameProblem(_ name: String) -> (isError: Bool, message: String)? {
        if name.isEmpty { return (true, "an env var needs a non-empty 'name'") }
        if name.contains("=") || name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) || name.contains(where: \.isWhitespace)
        {
            return (true, "env var name '\(name)' cannot hold '=', spaces or control characters; the engine would split or refuse it")
        }
        if !matches(portableEnvName, name) {
            return (false, "env var name '\(name)' is not a portable name ([A-Za-z_][A-Za-z0-9_]*); shells and some programs cannot read it")
        }
        return nil
    }

    private static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
