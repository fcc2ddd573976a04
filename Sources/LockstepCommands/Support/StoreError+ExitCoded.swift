import LockstepStore

extension StoreError: ExitCoded {
    var exitStatus: ExitStatus { .storeError }
    var userMessage: String { description }
}
