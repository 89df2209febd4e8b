import Foundation

/// What a waiting client is told about their wait. Pure: the same inputs
/// always give the same answer, so the rule can be tested and simulated.
package enum WaitEstimate: Sendable, Equatable {
    /// Nobody is on shift for the service: no one will take the chat until
    /// someone comes. Saying a number here would be a guess.
    case noWorker
    /// A worker on shift has a free place for this client now: they are next
    /// to be taken (once the worker clicks "take").
    case soon
    /// Places must free first, but the service has no finished chats to learn
    /// from yet (see `WaitEstimator.estimate`, "No history").
    case unknown
    /// Whole minutes: most waits (about 8 in 10, when chats end at random)
    /// fall between `low` and `high`; `middle` is the expected wait.
    case minutes(low: Int, middle: Int, high: Int)

    /// The old single number of the `position` frame (`estimateMinutes`),
    /// kept for clients written before the range: the expected wait, at least
    /// 1; nil when there is no honest number (no worker, no history).
    package var compatibleMinutes: Int? {
        switch self {
        case .noWorker, .unknown: nil
        case .soon: 1
        case .minutes(_, let middle, _): max(1, middle)
        }
    }

    /// The `estimate` field of the `position` frame (docs/protocol.md §5).
    package var frameJSON: String {
        switch self {
        case .noWorker: #""none""#
        case .soon: #""soon""#
        case .unknown: #""unknown""#
        case .minutes(let low, _, let high): #"{"low":\#(low),"high":\#(high)}"#
        }
    }
}

/// The wait rule, from live data only: who is on shift, how full each is,
/// and how long the service's recent chats lasted.
///
/// The model, in words a coordinator can check: a client at position `p`
/// (1 = next) with `F` free places among the workers on shift is taken at
/// once when `p ≤ F`. Otherwise the `F` clients ahead fill the free places,
/// and then `k = p − F` chats must end. Each of the `P` places (all busy by
/// then) ends a chat on average once per mean handling time `h`, so the
/// queue moves one step every `h / P` and the expected wait is `k × h / P`. The wait spreads like a sum of `k` gaps between chats
/// ending: the range is the expected wait × (1 ± 1.28 × s), the normal
/// approximation of its 10th and 90th percentiles, where
/// s² = max(1, c²) / k + c² / n, c² the handling times' variance ÷ mean²
/// and n how many there are. A long queue is therefore told a narrower range
/// (relative to its length) than a short one, and a service whose chats vary
/// a lot, or that has few of them, a wider one.
package struct WaitEstimator: Sendable, Equatable {
    /// One worker on shift for the service.
    package struct Worker: Sendable, Equatable {
        /// Chats they have open now (in any service).
        package var active: Int
        /// How many they may have at once (`chat_worker_settings`, default 3).
        package var limit: Int
        package init(active: Int, limit: Int) {
            self.active = active
            self.limit = limit
        }
    }

    package var workers: [Worker]
    /// How long recent chats of the service lasted, take to close, in ms.
    package var handlingTimesMs: [Int64]

    package init(workers: [Worker], handlingTimesMs: [Int64]) {
        self.workers = workers
        self.handlingTimesMs = handlingTimesMs
    }

    /// A chat open longer than this counts as this long: one chat left open
    /// over lunch is a forgotten close, not the pace of the service.
    package static let longestCountedMs: Int64 = 2 * 3600_000
    /// z of the 90th percentile of a normal distribution: the range holds
    /// the middle 80 % of waits when chats end at random.
    package static let z = 1.2816

    /// Places free now, among all workers on shift.
    package var freePlaces: Int { workers.reduce(0) { $0 + max(0, $1.limit - $1.active) } }
    /// Every place of the workers on shift, free or not. A worker above
    /// their limit (it was lowered) frees a place only after the extra chats
    /// end; counting only up to the limit keeps that simple.
    package var places: Int { workers.reduce(0) { $0 + max(0, $1.limit) } }

    /// The mean handling time, each time capped at `longestCountedMs`; nil
    /// without history. The mean (not the median) is what sets the pace at
    /// which places free.
    package var meanHandlingMs: Double? {
        guard !handlingTimesMs.isEmpty else { return nil }
        let total = handlingTimesMs.reduce(0.0) { $0 + Double(min(max(0, $1), Self.longestCountedMs)) }
        return total / Double(handlingTimesMs.count)
    }

    /// The squared coefficient of variation of the handling times (variance
    /// ÷ mean²): 1 when chats end at random, less when they last about the
    /// same, more when a few last very long. 1 with fewer than two times.
    package var handlingVariation: Double {
        guard handlingTimesMs.count > 1, let mean = meanHandlingMs, mean > 0 else { return 1 }
        let squares = handlingTimesMs.reduce(0.0) {
            let d = Double(min(max(0, $1), Self.longestCountedMs)) - mean
            return $0 + d * d
        }
        return squares / Double(handlingTimesMs.count - 1) / (mean * mean)
    }

    /// The estimate for the client at `position` (1 = next in line).
    ///
    /// No history: `.unknown`, not a default. A service's first chats (or
    /// one whose finished chats are all older than the window the server
    /// reads) have nothing to say how long a chat lasts there; a made-up
    /// number per place (the old rule's 2 minutes) is far off for chats
    /// that last 20 minutes, and a client planning their time around it is
    /// worse off than one told "we cannot say yet". One finished
    /// chat is enough to start: the range is wide when `k` is small anyway.
    package func estimate(position: Int) -> WaitEstimate {
        let free = freePlaces, places = places
        // Nobody on shift, or everybody's limit is 0: nobody can take the chat.
        guard places > 0 else { return .noWorker }
        if position <= free { return .soon }
        guard let mean = meanHandlingMs else { return .unknown }
        let ahead = Double(position - free)
        let expected = ahead * mean / Double(places)
        // Two uncertainties, added as variances: when the chats ahead end
        // (shrinks as more must end), and how well `n` recent chats tell the
        // mean (shrinks with `n`). Chats ending are at least as irregular as
        // random ones for the first few places, whatever their spread.
        let cv2 = handlingVariation
        let spread = Self.z * (max(1, cv2) / ahead + cv2 / Double(handlingTimesMs.count)).squareRoot()
        let minute = 60_000.0
        let low = Int((expected * max(0, 1 - spread) / minute).rounded(.down))
        // Never "under 1 minute": a take is a worker's click, not instant.
        let high = max(low + 1, 2, Int((expected * (1 + spread) / minute).rounded(.up)))
        let middle = min(high, max(low, Int((expected / minute).rounded())))
        return .minutes(low: low, middle: middle, high: high)
    }
}
