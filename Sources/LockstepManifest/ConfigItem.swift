/// A group of settings on the vendor's config screen (`config:` in the manifest).
public struct ConfigGroup: Sendable, Hashable {
    public var name: String
    public var title: String?
    public var description: String?
    public var items: [ConfigItem]
    public var location: SourceLocation

    public init(name: String, title: String? = nil, description: String? = nil, items: [ConfigItem], location: SourceLocation) {
        self.name = name
        self.title = title
        self.description = description
        self.items = items
        self.location = location
    }
}

/// Replicated's config item types; `password` values are secrets.
public enum ConfigItemType: String, Sendable, Hashable, CaseIterable, Codable {
    case text, textarea, password, bool
    case selectOne = "select_one"
    case selectMany = "select_many"
    case file, label, heading
}

/// One setting. Its value, in order of precedence: the customer's value
/// (`--config`/`--set`), the item's `value`, its `default`.
public struct ConfigItem: Sendable, Hashable {
    public var name: String
    public var title: String?
    public var type: ConfigItemType
    public var defaultValue: String?
    public var value: String?
    public var required: Bool
    public var helpText: String?
    /// The choices of a `select_one`/`select_many` item (their names).
    public var options: [String]
    public var location: SourceLocation

    public init(
        name: String,
        title: String? = nil,
        type: ConfigItemType = .text,
        defaultValue: String? = nil,
        value: String? = nil,
        required: Bool = false,
        helpText: String? = nil,
        options: [String] = [],
        location: SourceLocation
    ) {
        self.name = name
        self.title = title
        self.type = type
        self.defaultValue = defaultValue
        self.value = value
        self.required = required
        self.helpText = helpText
        self.options = options
        self.location = location
    }

    public var isSecret: Bool { type == .password }

    /// The manifest's own value for this item: `value`, else `default`; empty strings count as absent.
    public var manifestValue: String? {
        if let value, !value.isEmpty { return value }
        if let defaultValue, !defaultValue.isEmpty { return defaultValue }
        return nil
    }
}
