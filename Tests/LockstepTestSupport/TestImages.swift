import Foundation

/// Local container images for tests and the demo, built by
/// `scripts/build-images.sh` with `podman import` (nothing is pulled).
///
///     try await TestImages.ensure(.busybox, .psql)
///     spec.image = TestImages.busybox
///
/// Building is cached: an image already present is kept; the script holds a
/// lock file so parallel test processes build each image once, and this type
/// remembers what it already ensured in this process.
public enum TestImages {
    /// busybox (static) with its applets, `/etc/passwd`; CMD `/bin/sh`.
    public static let busybox = "lockstep-test/busybox:1"
    /// busybox plus `psql` (on PATH), its shared libraries and the loader;
    /// for migration containers: `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f /migrations/x.sql`.
    public static let psql = "lockstep-test/psql:1"
    /// The installed PostgreSQL 15 server, shipped like the official image:
    /// env POSTGRES_PASSWORD (required), POSTGRES_USER (default postgres),
    /// POSTGRES_DB (default the user), PGPORT (default 5432); data in
    /// /var/lib/postgresql/data; listens on 0.0.0.0:$PGPORT.
    public static let postgres = "lockstep-test/postgres:15"

    public enum Image: String, CaseIterable, Sendable {
        case busybox, psql, postgres

        public var reference: String {
            switch self {
            case .busybox: TestImages.busybox
            case .psql: TestImages.psql
            case .postgres: TestImages.postgres
            }
        }
    }

    /// The repository root (where `scripts/` lives), found from this file.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // LockstepTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    public static var buildScript: URL {
        repositoryRoot.appendingPathComponent("scripts/build-images.sh")
    }

    /// Builds the images that are not present yet. Throws (never skips) when
    /// podman is missing or the build fails, with the script's message.
    public static func ensure(_ images: Image...) async throws {
        try await ensure(images.isEmpty ? Image.allCases : images)
    }

    public static func ensure(_ images: [Image]) async throws {
        try await BuildCache.shared.ensure(images)
    }
}

public struct TestImageError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

private actor BuildCache {
    static let shared = BuildCache()
    private var built: Set<TestImages.Image> = []

    func ensure(_ images: [TestImages.Image]) async throws {
        let missing = images.filter { !built.contains($0) }
        guard !missing.isEmpty else { return }
        let output = try await Self.runScript(missing.map(\.rawValue))
        guard output.status == 0 else {
            throw TestImageError(
                description: """
                    building test images \(missing.map(\.reference)) failed (status \(output.status)); \
                    is podman set up (scripts/setup-podman.sh)? \(output.text)
                    """
            )
        }
        built.formUnion(missing)
    }

    private static func runScript(_ arguments: [String]) async throws -> (status: Int32, text: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let output = try HostProcess.run(
                        "/bin/bash",
                        [TestImages.buildScript.path] + arguments,
                        environment: ProcessInfo.processInfo.environment.filter { $0.key != "LOCKSTEP_RUNTIME" }
                    )
                    continuation.resume(returning: (output.status, output.combined))
                } catch {
                    continuation.resume(throwing: TestImageError(description: "cannot run \(TestImages.buildScript.path): \(error)"))
                }
            }
        }
    }
}
