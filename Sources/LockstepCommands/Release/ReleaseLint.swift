import ArgumentParser
import Foundation
import LockstepManifest

extension Lockstep.Release {
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check a manifest for errors and warnings.",
            discussion: "Prints file:line:column: severity: message for each finding. Exits 65 if there is an error, 0 if there are only warnings."
        )

        @Option(name: .long, help: ArgumentHelp("The manifest YAML file.", valueName: "file"))
        var manifest: String

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let text = try LockstepManifest.Manifest.readText(manifest)
            let diagnostics = Linter.lint(text: text, file: manifest)
            switch output.output {
            case .json:
                let report = LintReport(
                    file: manifest,
                    errors: diagnostics.errors.count,
                    warnings: diagnostics.warnings.count,
                    diagnostics: diagnostics
                )
                try JSONOutput.print(report)
            case .table:
                for diagnostic in diagnostics { print(diagnostic.description) }
                print(summary(diagnostics))
            }
            if diagnostics.hasErrors {
                throw LintFailed(file: manifest, errors: diagnostics.errors.count)
            }
        }

        private func summary(_ diagnostics: [Diagnostic]) -> String {
            let (errors, warnings) = (diagnostics.errors.count, diagnostics.warnings.count)
            if errors == 0 && warnings == 0 { return "\(manifest): OK" }
            return "\(manifest): \(errors) error(s), \(warnings) warning(s)"
        }
    }
}

struct LintReport: Encodable {
    var file: String
    var errors: Int
    var warnings: Int
    var diagnostics: [Diagnostic]
}

/// The diagnostics are already printed; this only sets the exit status.
struct LintFailed: Error, ExitCoded {
    var file: String
    var errors: Int
    var exitStatus: ExitStatus { .invalidData }
    var userMessage: String { "\(file) has \(errors) error(s); fix them before creating a release" }
}
