/// Exponential backoff with jitter, from tens of milliseconds to about a
/// second. It starts over when the server's state changes: a server that has
/// just begun answering is about to change again, so it is watched closely.
struct Backoff {
    var first: Duration = .milliseconds(20)
    var cap: Duration = .seconds(1)
    var factor: Double = 1.5
    private var current: Duration?

    init(first: Duration = .milliseconds(20), cap: Duration = .seconds(1), factor: Double = 1.5) {
        self.first = first
        self.cap = cap
        self.factor = factor
    }

    mutating func reset() { current = nil }

    /// The next delay, drawn from [d/2, d] where d grows geometrically to `cap`.
    mutating func next<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        let base = current.map { min(cap, $0 * factor) } ?? first
        current = base
        return base * Double.random(in: 0.5...1.0, using: &generator)
    }

    mutating func next() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }
}
