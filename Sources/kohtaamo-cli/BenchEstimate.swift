import ArgumentParser
import Chat
import Foundation
import Kohtaamo

/// `kohtaamo bench-estimate`: how wrong the wait estimate a waiting client
/// sees is, measured on a simulated queue in virtual time (no server, no
/// database; seconds to run, the same figures on every machine).
struct BenchEstimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-estimate",
        abstract: "Measure the wait estimate's error on a simulated support-chat queue (docs/benchmarks.md).")

    @Option(help: "Workers on shift.") var workers = 3
    @Option(help: "Chats one worker may have at once.") var limit = 3
    @Option(help: "Offered loads (arrivals × mean handling time ÷ places), comma-separated.") var loads = "0.5,0.7,0.85,0.95"
    @Option(help: "Median handling time in minutes.") var median = 20.0
    @Option(help: "Spreads of the handling time (σ of its logarithm), comma-separated.") var spreads = "0.6,1.0"
    @Option(help: "Mean seconds from a free place to the worker's take.") var reaction = 30.0
    @Option(help: "Clients per run.") var arrivals = 20_000
    @Option(help: "Seed of the random generator.") var seed: UInt64 = 1

    func run() throws {
        let loads = try Self.numbers(self.loads, "--loads"), spreads = try Self.numbers(self.spreads, "--spreads")
        guard workers > 0, limit > 0, median > 0, reaction >= 0, arrivals > 0, loads.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw ValidationError("workers, limit, median and arrivals must be positive, loads between 0 and 1 (a queue above 1 grows without end)")
        }
        print(
            "\(workers) workers × \(limit) places, handling time median \(Self.setting(median)) min, take after \(Self.setting(reaction)) s on average, \(arrivals) clients a run, seed \(seed)"
        )
        print(
            "| load | σ | median wait | 90th pct wait | told soon (taken ≤ 2 min) | told a range | wait inside range | below / above | median range width | median error, range middle | median error, old rule |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for spread in spreads {
            for load in loads {
                var setup = WaitSimulation.Setup()
                (setup.workers, setup.limit, setup.load, setup.medianHandlingMinutes) = (workers, limit, load, median)
                (setup.handlingSpread, setup.meanReactionSeconds, setup.arrivals, setup.seed) = (spread, reaction, arrivals, seed)
                let r = WaitSimulation.run(setup)
                let soonShare = r.soon == 0 ? "–" : Self.percent(Double(r.soonWithin2) / Double(r.soon))
                print(
                    "| \(Self.setting(load)) | \(Self.setting(spread)) | \(Self.f(r.medianWaitMinutes)) min | \(Self.f(r.p90WaitMinutes)) min "
                        + "| \(Self.percent(Double(r.soon) / Double(r.arrivals))) (\(soonShare)) | \(Self.percent(Double(r.ranged) / Double(r.arrivals))) "
                        + "| **\(Self.percent(r.insideShare))** | \(Self.percent(Double(r.below) / Double(max(1, r.ranged)))) / \(Self.percent(Double(r.above) / Double(max(1, r.ranged)))) "
                        + "| \(Self.f(r.medianRangeWidthMinutes)) min | **\(Self.f(r.medianErrorMinutes)) min** | \(Self.f(r.oldMedianErrorMinutes)) min |"
                )
            }
        }
    }

    static func numbers(_ list: String, _ flag: String) throws -> [Double] {
        let values = list.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { throw ValidationError("\(flag): numbers separated by commas") }
        return values.map { $0! }
    }

    /// Minutes to one decimal; settings (loads, spreads) as written.
    static func f(_ x: Double) -> String { x.rounded() == x ? String(Int(x)) : String(format: "%.1f", x) }
    static func setting(_ x: Double) -> String { x.rounded() == x ? String(Int(x)) : String(x) }
    static func percent(_ x: Double) -> String { String(format: "%.0f %%", x * 100) }
}
