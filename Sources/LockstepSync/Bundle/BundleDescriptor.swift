import Foundation

/// `bundle.json`, the first entry of a bundle: what the vendor meant it for. It is not
/// signed, so import trusts none of it: the path is planned again from the signed channel
/// file, and every file is checked against the signed targets.
public struct BundleDescriptor: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        public var version: String
        public var channelSequence: Int64
        public var required: Bool
        public var manifestSHA256: String
    }

    public var format: Int = 1
    public var channel: String
    public var from: String?
    public var to: String
    public var path: [Step]
    public var images: [BundleImage]? = nil
    public var createdAt: String

    public static let entryName = "bundle.json"

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> BundleDescriptor {
        do {
            return try JSONDecoder().decode(BundleDescriptor.self, from: data)
        } catch {
            throw BundleError.malformed("bundle.json is not a lockstep bundle descriptor")
        }
    }
}

/// A bundle refused: one line, nothing loaded, nothing written.
public enum BundleError: Error, Sendable, CustomStringConvertible {
    case malformed(String)
    case plan(String)
    case wrongStart(String)
    case unsigned(String)
    case images(String)

    public var description: String {
        switch self {
        case .malformed(let message), .plan(let message), .wrongStart(let message), .unsigned(let message), .images(let message):
            return message
        }
    }
}
