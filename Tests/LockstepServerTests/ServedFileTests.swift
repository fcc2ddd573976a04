import Foundation
import Testing

@testable import LockstepServer

/// The path and address rules alone, without a server.
struct ServedFileTests {
    @Test func listenAddressesParseOrAreRefused() {
        #expect(ListenAddress(parsing: "127.0.0.1:8080") == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(ListenAddress(parsing: "localhost:443")?.isLoopback == true)
        #expect(ListenAddress(parsing: "198.51.100.7:80")?.isLoopback == false)
        for bad in ["localhost", ":80", "host:", "host:65536", "host:-1", "::1:80", "[::1]80", "a:b"] {
            #expect(ListenAddress(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func percentDecodingIsStrict() {
        #expect("/a%2e%2E/b".removingPercentEncodingStrictly() == "/a../b")
        #expect("/%zz".removingPercentEncodingStrictly() == nil)
        #expect("/%2".removingPercentEncodingStrictly() == nil)
        #expect("/%ff".removingPercentEncodingStrictly() == nil)
    }

    @Test func climbingSegmentsAreBadPathsAndFoldersAreNotFound() throws {
        let root = ServedFile.realPath(NSTemporaryDirectory())!
        for path in ["/../etc/passwd", "/%2e%2e/x", "/a/..%2f..%2fx", "/a%00b", "/a%5c..%5cb"] {
            #expect(throws: ServedFile.Refusal.badPath, "\(path)") { try ServedFile.resolve(requestPath: path, root: root) }
        }
        for path in ["/", "//", "/./", "/definitely-not-here.json"] {
            #expect(throws: ServedFile.Refusal.notFound, "\(path)") { try ServedFile.resolve(requestPath: path, root: root) }
        }
    }

    @Test func ifNoneMatchFollowsTheWeakComparison() {
        let tag = EntityTag(device: 1, inode: 2, size: 3, modifiedSeconds: 4, modifiedNanoseconds: 5)
        #expect(tag.matches(ifNoneMatch: tag.value))
        #expect(tag.matches(ifNoneMatch: "\"x\", W/\(tag.value)"))
        #expect(tag.matches(ifNoneMatch: "*"))
        #expect(!tag.matches(ifNoneMatch: "\"1-2-3-4-6\""))
        #expect(EntityTag(device: 1, inode: 2, size: 3, modifiedSeconds: 4, modifiedNanoseconds: 6) != tag)
    }
}
