import LockstepCommands

extension LockstepCLI {
    /// Runs `lockstep ARGUMENTS…` inside the test process with this session's environment,
    /// folder and input (`InProcessCommand`): what a process test checks, without starting one.
    /// Tests of the process itself (exit by signal, environment handling) keep `run`.
    @discardableResult
    public func execute(_ arguments: String..., input: String? = nil) async throws -> Output {
        try await execute(arguments: arguments, input: input)
    }

    public func execute(arguments: [String], input: String? = nil) async throws -> Output {
        try await InProcessCommand.run(environment: environment, directory: folder, input: input) {
            await Lockstep.execute(arguments)
        }
    }
}
