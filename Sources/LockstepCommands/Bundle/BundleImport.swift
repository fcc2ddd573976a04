import ArgumentParser
import Foundation
import LockstepCatalog
import LockstepRepository
import LockstepSync

extension Lockstep.Bundle {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Verify a bundle against a remote's trusted root and replace its mirror (customer, no network).",
            discussion: """
                Runs the same TUF checks as `sync` (signatures, thresholds, no rollback against anything this store \
                has seen from the remote, online or by bundle, expiry of root, snapshot and targets, every hash and \
                length, size caps), except the timestamp's expiry: a bundle is carried for days. Nothing is written \
                unless all of it verifies; a refusal prints one line and exits 76 (untrusted) or 67 (wrong path).
                """
        )

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The bundle file.")
        var file: String

        @Option(help: "The remote, added with `lockstep remote add NAME --root FILE`.")
        var remote: String

        @Option(help: "The engine that loads the bundle's images: podman or docker.")
        var runtime: BundleRuntime = .podman

        func run() async throws {
            let catalog = try storeOptions.openCatalog()
            let interactive = Terminal.standardErrorIsTerminal
            var progress: (@Sendable (String) -> Void)?
            if interactive {
                progress = { line in FileHandle.standardError.write(Data("\rbundle: \(line)\u{1B}[K".utf8)) }
            }
            let report: BundleImportReport
            do {
                var importer = BundleImporter(catalog: catalog)
                importer.images = (ImageEngine(runtime.rawValue), ManifestImages.references)
                report = try await importer.run(URL(fileURLWithPath: file), remote: remote, progress: progress)
            } catch let error as any ExitCoded {
                if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                throw BundleRefusal(file: file, underlying: error)
            }
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print(
                "note: the timestamp's expiry is not enforced for bundles (timestamp expires \(report.timestampExpires)\(report.timestampExpired ? ", already expired" : ""))"
            )
            let path = report.steps.map { $0.version + ($0.required ? " (required)" : "") }.joined(separator: " -> ")
            let seconds = { (duration: Duration) in Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
            let verify = seconds(report.verificationTime)
            let peak = report.verificationPeakRSS.map { ", peak memory \($0 >> 20) MiB" } ?? ""
            print(
                String(
                    format: "verified %.1f MB in %.2f s (%.0f MB/s)",
                    Double(report.bytesVerified) / 1e6,
                    verify,
                    Double(report.bytesVerified) / 1e6 / max(verify, 0.001)
                ) + peak
            )
            if report.imagesLoaded > 0 {
                print(
                    "loaded \(report.imagesLoaded) image archive(s) into \(runtime.rawValue) in " + String(format: "%.2f s", seconds(report.loadTime))
                )
            }
            print("\(report.remote)/\(report.channel): imported, targets version \(report.versions.targets); path \(path)")
        }
    }
}
