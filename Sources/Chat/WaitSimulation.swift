import Foundation
import KohtaamoBase

/// A support-chat queue in virtual time, to measure how wrong the wait
/// estimate is (`kohtaamo bench-estimate`, docs/benchmarks.md). Clients
/// arrive at random (Poisson); each worker has `limit` places; a freed place
/// takes the next client after a short reaction time (a worker's click);
/// chats last a log-normal time. Every arriving client is given the estimate
/// the server would give (`WaitEstimator`, fed what the database would show),
/// and the wait they really had is recorded. Seeded: the same setup gives
/// the same figures on every machine.
package struct WaitSimulation: Sendable {
    package struct Setup: Sendable {
        package var workers = 3
        package var limit = 3
        /// Offered load: arrivals × mean handling time ÷ (workers × limit).
        package var load = 0.85
        package var medianHandlingMinutes = 20.0
        /// σ of the handling time's logarithm (0.6: a fifth of the chats last
        /// over 33 minutes when the median is 20).
        package var handlingSpread = 0.6
        /// Mean time (exponential) from a free place to the worker's take.
        package var meanReactionSeconds = 30.0
        package var arrivals = 20_000
        package var seed: UInt64 = 1
        package init() {}

        var meanHandlingMinutes: Double { medianHandlingMinutes * exp(handlingSpread * handlingSpread / 2) }
    }

    /// What the clients were told against what happened.
    package struct Result: Sendable {
        package var arrivals = 0
        package var none = 0, soon = 0, unknown = 0, ranged = 0
        /// "Soon" clients taken within 2 minutes.
        package var soonWithin2 = 0
        /// Ranged clients whose wait was inside / below / above the range.
        package var inside = 0, below = 0, above = 0
        /// Median |estimate − wait| in minutes over the ranged clients: of the
        /// range's middle, and of the old rule (⌈position × median recent wait
        /// ÷ workers⌉, 2 minutes a place without history).
        package var medianErrorMinutes = 0.0, oldMedianErrorMinutes = 0.0
        package var medianWaitMinutes = 0.0, p90WaitMinutes = 0.0
        package var medianRangeWidthMinutes = 0.0

        package var insideShare: Double { ranged == 0 ? 0 : Double(inside) / Double(ranged) }
    }

    package static func run(_ setup: Setup) -> Result {
        var random = SplitMix64(seed: setup.seed)
        let minute = 60_000.0
        let arrivalGapMs = setup.meanHandlingMinutes * minute / (setup.load * Double(setup.workers * setup.limit))
        enum Place { case free, taking(at: Double), busy(until: Double, since: Double) }
        var places = [Place](repeating: .free, count: setup.workers * setup.limit)
        struct Waiting { var arrived: Double; var estimate: WaitEstimate; var old: Int? }
        var queue: [Waiting] = [], head = 0
        var reserved = 0
        var handling: [Int64] = []  // the newest last; at most 50, like the server's read
        var takes: [(at: Double, wait: Double)] = []  // for the old rule
        var nextArrival = 0.0, arrived = 0
        var result = Result()
        var errors: [Double] = [], oldErrors: [Double] = [], waits: [Double] = [], widths: [Double] = []

        func exponential(_ mean: Double) -> Double { -log(1 - random.unit()) * mean }
        func handlingTime() -> Double {
            // Box–Muller: one normal from two uniforms.
            let n = (-2 * log(1 - random.unit())).squareRoot() * cos(2 * .pi * random.unit())
            return setup.medianHandlingMinutes * minute * exp(setup.handlingSpread * n)
        }
        /// A free place takes the next client not yet being taken.
        func dispatch(_ now: Double) {
            while queue.count - head > reserved, let free = places.firstIndex(where: { if case .free = $0 { true } else { false } }) {
                places[free] = .taking(at: now + exponential(setup.meanReactionSeconds * 1000))
                reserved += 1
            }
        }
        /// The estimate the server would give: places being taken still look
        /// free (the chat is waiting in the database until the take).
        func estimate(position: Int, now: Double) -> (WaitEstimate, Int?) {
            let workers = (0..<setup.workers).map { w in
                WaitEstimator.Worker(
                    active: places[w * setup.limit..<(w + 1) * setup.limit].filter { if case .busy = $0 { true } else { false } }.count,
                    limit: setup.limit)
            }
            let new = WaitEstimator(workers: workers, handlingTimesMs: handling).estimate(position: position)
            let recent = takes.suffix(50).filter { $0.at > now - 3 * 3600_000 }.map(\.wait).sorted()
            let perPlace = max(minute, recent.isEmpty ? 2 * minute : recent[recent.count / 2])
            let old = max(1, Int((perPlace * Double(position) / Double(setup.workers) / minute).rounded(.up)))
            return (new, old)
        }

        while arrived < setup.arrivals || queue.count > head {
            // The next event: an arrival, a take, or a chat ending.
            var now = arrived < setup.arrivals ? nextArrival : .infinity
            var which = -1
            for (i, place) in places.enumerated() {
                switch place {
                case .free: continue
                case .taking(let at): if at < now { (now, which) = (at, i) }
                case .busy(let until, _): if until < now { (now, which) = (until, i) }
                }
            }
            if which < 0 {
                arrived += 1
                nextArrival = now + exponential(arrivalGapMs)
                let (new, old) = estimate(position: queue.count - head + 1, now: now)
                queue.append(Waiting(arrived: now, estimate: new, old: old))
                dispatch(now)
            } else if case .taking = places[which] {
                let client = queue[head]
                head += 1
                reserved -= 1
                places[which] = .busy(until: now + handlingTime(), since: now)
                let wait = (now - client.arrived) / minute
                takes.append((now, now - client.arrived))
                if takes.count > 200 { takes.removeFirst(100) }
                result.arrivals += 1
                waits.append(wait)
                switch client.estimate {
                case .noWorker: result.none += 1
                case .unknown: result.unknown += 1
                case .soon:
                    result.soon += 1
                    if wait <= 2 { result.soonWithin2 += 1 }
                case .minutes(let low, let middle, let high):
                    result.ranged += 1
                    if wait < Double(low) { result.below += 1 } else if wait > Double(high) { result.above += 1 } else { result.inside += 1 }
                    errors.append(abs(Double(middle) - wait))
                    widths.append(Double(high - low))
                    if let old = client.old {
                        oldErrors.append(abs(Double(old) - wait))
                    }
                }
                if head > 4096 { queue.removeFirst(head); head = 0 }
            } else if case .busy(_, let since) = places[which] {
                places[which] = .free
                handling.append(Int64(now - since))
                if handling.count > 50 { handling.removeFirst() }
                dispatch(now)
            }
        }
        func median(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.sorted()[xs.count / 2] }
        result.medianErrorMinutes = median(errors)
        result.oldMedianErrorMinutes = median(oldErrors)
        result.medianWaitMinutes = median(waits)
        result.p90WaitMinutes = waits.isEmpty ? 0 : waits.sorted()[waits.count * 9 / 10]
        result.medianRangeWidthMinutes = median(widths)
        return result
    }
}
