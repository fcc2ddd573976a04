import Foundation
import LockstepManifest

/// Every line a command prints to standard output passes here. Labels, notes, channel
/// and installation names come from vendors' documents and customers' flags: a terminal
/// escape in them is shown as `\u{1B}`, never obeyed. JSON goes through `JSONOutput`,
/// whose encoder escapes control characters itself.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { String(describing: $0) }.joined(separator: separator)
    Swift.print(text.escapingControlCharacters(keepingNewlines: true), terminator: terminator)
}
