import Yams

extension CatalogDocument {
    /// The keys each part of the document may hold. Decoding alone ignores others, so a
    /// typo such as `manfestFile:` silently fell back to the default manifest.
    static let knownKeys: [String: Set<String>] = [
        "document": ["defaults", "channels", "releases", "promotions"],
        "defaults": ["manifest", "manifestFile"],
        "channels": ["name", "description", "semver"],
        "releases": ["version", "notes", "manifest", "manifestFile"],
        "promotions": ["channel", "release", "required", "demoted", "notes"],
    ]

    /// The first key the format does not know, with its line and column.
    static func unknownKey(in text: String) -> (key: String, line: Int, column: Int, section: String)? {
        guard let root = try? Yams.compose(yaml: text), let top = root.mapping else { return nil }
        func check(_ mapping: Node.Mapping, _ section: String) -> (String, Int, Int, String)? {
            let allowed = knownKeys[section] ?? []
            for (key, _) in mapping {
                let name = key.string ?? ""
                if !allowed.contains(name) { return (name, key.mark?.line ?? 1, key.mark?.column ?? 1, section) }
            }
            return nil
        }
        if let found = check(top, "document") { return found }
        if let defaults = top["defaults"]?.mapping, let found = check(defaults, "defaults") { return found }
        for section in ["channels", "releases", "promotions"] {
            for item in top[section]?.sequence ?? [] {
                if let mapping = item.mapping, let found = check(mapping, section) { return found }
            }
        }
        return nil
    }
}
