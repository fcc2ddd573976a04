import Foundation

/// Go's own signed-note and tlog code (golang.org/x/mod/sumdb, Debian's
/// golang-golang-x-mod-dev) wrapped in a small program
/// (Tests/LockstepLedgerTests/GoVerifier/main.go), built once per test process.
public enum GoLedgerVerifier {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private static let built: Result<String, Failure> = {
        let source = TestImages.repositoryRoot.appendingPathComponent("Tests/LockstepLedgerTests/GoVerifier/main.go").path
        guard
            let go = ["/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            return .failure(Failure(description: "go is not installed (scripts/install-deps.sh installs golang-go and golang-golang-x-mod-dev)"))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-goverifier-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let binary = folder.appendingPathComponent("goverifier").path
        var environment = ProcessInfo.processInfo.environment
        environment["GO111MODULE"] = "off"
        environment["GOPATH"] = "/usr/share/gocode"
        environment["GOCACHE"] = folder.appendingPathComponent("cache").path
        environment["GOFLAGS"] = ""
        guard let output = try? HostProcess.run(go, ["build", "-o", binary, source], environment: environment), output.status == 0 else {
            return .failure(Failure(description: "cannot build the Go verifier with golang.org/x/mod from /usr/share/gocode"))
        }
        return .success(binary)
    }()

    /// Runs `goverifier ARGUMENTS…`: status 0 and its output when Go accepts.
    public static func run(_ arguments: [String]) throws -> HostProcess.Output {
        try HostProcess.run(try built.get(), arguments)
    }
}
