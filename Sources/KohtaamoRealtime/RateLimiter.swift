import Foundation
import NIOConcurrencyHelpers

/// A token bucket per key: `rate` per second sustained, bursts of `burst`.
/// Refusals say when a retry will pass, never drop silently.
package final class RateLimiter<Key: Hashable & Sendable>: Sendable {
    struct Bucket { var tokens: Double; var at: ContinuousClock.Instant }
    let rate: Double
    let burst: Double
    private let buckets = NIOLockedValueBox<[Key: Bucket]>([:])

    package init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    /// nil when allowed; else milliseconds to wait.
    package func take(_ key: Key) -> Int? {
        let now = ContinuousClock.now
        return buckets.withLockedValue { all in
            if all.count > 100_000 { all = all.filter { now - $0.value.at < .seconds(60) } }
            var b = all[key] ?? Bucket(tokens: burst, at: now)
            let elapsed = now - b.at
            b.tokens = min(burst, b.tokens + rate * (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            b.at = now
            defer { all[key] = b }
            if b.tokens >= 1 {
                b.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - b.tokens) / rate * 1000).rounded(.up)))
        }
    }
}

/// Counts refused frames of one socket over the last minute.
final class RefusalCounter: Sendable {
    private let times = NIOLockedValueBox<[ContinuousClock.Instant]>([])
    let limit: Int

    init(limit: Int = 20) { self.limit = limit }

    /// Records a refusal; true when the socket has now misbehaved too often.
    func record() -> Bool {
        let now = ContinuousClock.now
        return times.withLockedValue { t in
            t.removeAll { now - $0 > .seconds(60) }
            t.append(now)
            return t.count > limit
        }
    }
}
