/// A position in a manifest or values file, as an editor or compiler shows it.
/// Lines and columns start at 1; columns count Unicode scalars, like libyaml.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
