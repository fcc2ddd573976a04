import Foundation
import LockstepCatalog
import LockstepManifest

/// One fuzz input, fed to both decoders a vendor's file reaches: the manifest (decode,
/// lint, render) and the catalog document. Any crash, trap or hang is a finding; a
/// thrown error is the expected answer to bad input.
enum FuzzTarget {
    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let diagnostics = Linter.lint(text: text, file: "fuzz.yaml")
        for diagnostic in diagnostics { _ = diagnostic.description }
        if let manifest = try? Manifest.load(text: text, file: "fuzz.yaml") {
            _ = try? manifest.render(values: ConfigValues(["db_password": "p@ss/w:rd %#?"]), nodeAddress: "127.0.0.1")
        }
        _ = try? Catalog.loadDocument(text: text, file: "fuzz.yaml")
        _ = try? ConfigValues.parse(yaml: text, file: "fuzz.yaml")
    }
}

#if FUZZING
/// libFuzzer's entry point (`swift build -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    FuzzTarget.run(Data(bytes: start, count: count))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`; hand it to libFuzzer's driver.
@_cdecl("LockstepFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { start, size in fuzzOneInput(start, size) }
}
#else
/// Without libFuzzer: replays files (a corpus, a crash reproducer) through the same target.
@main
struct Replay {
    static func main() throws {
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files =
                isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).map { (path as NSString).appendingPathComponent($0) }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                FuzzTarget.run(data)
                count += 1
            }
        }
        print("replayed \(count) inputs without a crash")
    }
}
#endif
