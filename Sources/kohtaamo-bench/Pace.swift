extension Duration {
    /// The duration in seconds, as a Double.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The generators' send loop: `send(n)` for the n-th item as soon as it is
/// due at `rate` a second, `measure()` once when the warm-up is over; returns
/// when warm-up and duration have passed. Wakes every millisecond.
func pace(rate: Double, warmup: Double, duration: Double, measure: () -> Void, send: (Int) -> Void) async throws {
    let start = ContinuousClock.now
    var sent = 0
    var measuring = false
    while true {
        let seconds = (ContinuousClock.now - start).inSeconds
        if seconds >= warmup + duration { return }
        if seconds >= warmup, !measuring {
            measuring = true
            measure()
        }
        while sent < Int(seconds * rate) {
            send(sent)
            sent += 1
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}
