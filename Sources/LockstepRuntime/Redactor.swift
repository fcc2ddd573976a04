import Foundation

/// Replaces secret values in text quoted back to the user. Values shorter than
/// four characters are left alone: replacing "1" or "on" everywhere would
/// garble messages without hiding anything worth hiding.
struct Redactor {
    let secrets: [String]

    init(_ secrets: [String]) {
        // Longest first, so a secret containing another is replaced whole.
        self.secrets = Set(secrets.filter { $0.count >= 4 }).sorted { $0.count > $1.count }
    }

    func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
    }
}
