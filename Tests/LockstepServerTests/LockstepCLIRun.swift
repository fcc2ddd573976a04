import Foundation
import LockstepTestSupport

enum LockstepCLIRun {
    static func run(_ arguments: [String]) throws -> HostProcess.Output {
        try HostProcess.run(LockstepCLI.binaryPath, arguments)
    }
}
