import Dispatch
import Synchronization

/// The verify's threads: they take tasks in order (the work to run alongside, then
/// each block) until none is left, or none is needed: a block after one found
/// broken or unreadable is skipped (nil), since nothing after the first problem
/// is reported. A block's read error is kept with the block, so that a problem
/// named in an earlier block still wins over it.
struct VerifyPool: Sendable {
    let layout: BlockLayout
    let alongside: (@Sendable () throws -> Void)?

    private var firstBlockTask: Int { alongside == nil ? 0 : 1 }

    func run(threads: Int, main: VerifyConnection, path: String?) throws -> [Result<VerifiedBlock, any Error>?] {
        let taskCount = firstBlockTask + layout.blockCount
        let next = Atomic<Int>(0)
        let firstBroken = Atomic<Int>(.max)
        let results = Mutex<[Result<VerifiedBlock, any Error>?]>(Array(repeating: nil, count: layout.blockCount))
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: min(max(threads, 1), taskCount)) { thread in
            let verifier: LedgerBlockVerifier
            do {
                guard let ready = try makeVerifier(thread: thread, main: main, path: path) else { return }
                verifier = ready
            } catch {
                failure.withLock { $0 = $0 ?? error }
                firstBroken.store(-1, ordering: .relaxed)
                return
            }
            while true {
                let task = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard task < taskCount else { return }
                if task < firstBlockTask {
                    do {
                        try alongside?()
                    } catch {
                        failure.withLock { $0 = $0 ?? error }
                        firstBroken.store(-1, ordering: .relaxed)
                    }
                    continue
                }
                let block = task - firstBlockTask
                guard block <= firstBroken.load(ordering: .relaxed) else { return }
                let outcome = Result { try verifier.verify(block: block) }
                // A problem or a read error ends what the log's order needs at this block.
                let ends =
                    switch outcome {
                    case .success(let verified): verified.problem != nil
                    case .failure: true
                    }
                if ends { firstBroken.min(block, ordering: .relaxed) }
                results.withLock { $0[block] = outcome }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0 }
    }

    /// Each thread reads on a connection of its own, opened before it takes a task; the
    /// caller's is the first thread's fallback, so some thread takes every block. Nil:
    /// this thread sits the verify out.
    private func makeVerifier(thread: Int, main: VerifyConnection, path: String?) throws -> LedgerBlockVerifier? {
        if let own = path.flatMap(VerifyConnection.init(readOnly:)), let verifier = try? LedgerBlockVerifier(connection: own, layout: layout) {
            return verifier
        }
        return thread == 0 ? try LedgerBlockVerifier(connection: main, layout: layout) : nil
    }
}
