import Foundation

/// Runs blocking libpq work on a GCD queue, off Swift's cooperative pool,
/// and lets the awaiting task go as soon as a deadline passes or the task is
/// cancelled. Work that finishes after it was abandoned is handed to
/// `discard`, so a late connection is still closed.
enum BlockingCall {
    static func run<T: Sendable>(
        on queue: DispatchQueue,
        until deadline: ContinuousClock.Instant? = nil,
        onCancel: (@Sendable () -> Void)? = nil,
        discard: @escaping @Sendable (T) -> Void = { _ in },
        work: @escaping @Sendable () -> T
    ) async -> T? {
        let gate = Gate<T>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
                guard gate.install(continuation) else { return }
                queue.async {
                    let value = work()
                    if !gate.resume(value) { discard(value) }
                }
                if let deadline {
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    let nanoseconds = max(0, remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000)
                    DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) {
                        _ = gate.resume(nil)
                    }
                }
            }
        } onCancel: {
            if gate.resume(nil) { onCancel?() }
        }
    }

    /// Resumes the continuation exactly once, whoever comes first.
    private final class Gate<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T?, Never>?
        private var finished = false

        /// False when cancellation already won; the continuation is resumed then.
        func install(_ continuation: CheckedContinuation<T?, Never>) -> Bool {
            lock.lock()
            if finished {
                lock.unlock()
                continuation.resume(returning: nil)
                return false
            }
            self.continuation = continuation
            lock.unlock()
            return true
        }

        /// True when this call delivered the value.
        func resume(_ value: T?) -> Bool {
            lock.lock()
            guard !finished else {
                lock.unlock()
                return false
            }
            finished = true
            let continuation = self.continuation
            self.continuation = nil
            lock.unlock()
            continuation?.resume(returning: value)
            return true
        }
    }
}
