import Crypto

extension ContainerSpec {
    /// SHA-256 (hex) of a canonical encoding of everything that shapes the
    /// container. lockstep's own bookkeeping labels (release, run id, the hash
    /// itself) are left out, so an unchanged container of a new release keeps
    /// its hash and keeps running (DESIGN.md §5, step 1).
    ///
    /// The encoding is length-prefixed fields in a fixed order, not JSON, so it
    /// cannot shift with a serializer's formatting choices.
    public var specHash: String {
        var encoder = CanonicalEncoder()
        encoder.field("version", "1")
        encoder.field("name", name)
        encoder.field("image", image)
        encoder.list("command", command)
        encoder.list("entrypoint", entrypoint)
        encoder.list("environment", environment.map { "\($0.name)=\($0.value)" })
        let ownLabels = labels.filter { !LockstepLabel.excludedFromSpecHash.contains($0.key) }
        encoder.list("labels", ownLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        encoder.field("network", network.description)
        encoder.list("ports", ports.map(\.publishArgument))
        encoder.list("volumes", volumes.map(\.volumeArgument))
        encoder.field("restart", restart.engineValue)
        encoder.field("stopTimeout", stopTimeout.map(String.init) ?? "-")
        return SHA256.hash(data: encoder.bytes).map { String(format: "%02x", $0) }.joined()
    }
}

private struct CanonicalEncoder {
    var bytes: [UInt8] = []

    mutating func field(_ tag: String, _ value: String) {
        append(tag)
        append(value)
    }

    /// `nil` (use the image's default) and `[]` (explicitly empty) hash differently.
    mutating func list(_ tag: String, _ values: [String]?) {
        append(tag)
        guard let values else {
            append("nil")
            return
        }
        append(String(values.count))
        for value in values { append(value) }
    }

    private mutating func append(_ string: String) {
        let utf8 = Array(string.utf8)
        bytes += Array(String(utf8.count).utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes += utf8
    }
}
