import Accounts
import Foundation
import KohtaamoBase
import Networks

extension Kohtaamo {
    /// The statistics' demo: every feature's sampler writes about twelve
    /// weeks of plausible activity for the demo network, ending two days
    /// ago so that today's queue and console stay as the demo left them.
    func fillDemoStatistics(network: UUID, now: Date) async throws {
        let organisations = try await self.network.repository.organisations(network: network).map(\.id)
        let today = HelsinkiDay(now)
        let query = FigureQuery(organisations: organisations, from: today.monday.adding(days: -77), until: today.adding(days: -2), length: .week)
        let plan = FigurePlan(query: query, perDay: 3, seed: 2026, nowMs: Int64(now.timeIntervalSince1970 * 1000))
        for sampler in samplers { _ = try await sampler.sample(plan) }
    }

    /// The year benchmark's network (`kohtaamo bench-stats`): the demo, then
    /// four more organisations sharing `services` support chats in all, and
    /// a year of activity of `perDay` contacts a service a day. Returns how
    /// many leaves the samplers wrote (about one a contact, wait and time).
    package func fillStatisticsBenchmark(password: String, services: Int, perDay: Double, seed: UInt64) async throws -> Int {
        try await fillDemo(password: password)
        let now = clock.now
        let repo = network.repository
        guard let net = try await repo.networks().first, let demo = try await repo.organisations(network: net.id).first else { return 0 }
        var organisations: [UUID] = []
        for n in 1...4 {
            let org = try await repo.createOrganisation(
                network: demo.networkID, names: .init(fi: "Vertailu \(n) ry", sv: "Jämförelse \(n) rf", en: "Benchmark \(n)"), at: now)
            organisations.append(org.id)
        }
        for n in 1..<max(1, services) {
            let record = ServiceRecord(
                id: UUID(), organisationID: organisations[n % organisations.count], slug: "vertailu-chat-\(n)", kind: .supportChat,
                names: .init(fi: "Vertailuchat \(n)", sv: "Jämförelsechatt \(n)", en: "Benchmark chat \(n)"),
                descriptions: .init(fi: "", sv: "", en: ""), languages: ["fi"], isPublic: false, sharedWith: [])
            _ = try await repo.saveService(record, at: now)
        }
        let all = try await repo.organisations(network: demo.networkID).map(\.id)
        let today = HelsinkiDay(now)
        let query = FigureQuery(organisations: all, from: today.adding(days: -364), until: today.adding(days: -1), length: .week)
        let plan = FigurePlan(query: query, perDay: perDay, seed: seed, nowMs: Int64(now.timeIntervalSince1970 * 1000))
        var written = 0
        for sampler in samplers { written += try await sampler.sample(plan).count }
        return written
    }

    /// A staff session's cookie (`k_session`) for the benchmark's requests.
    package func benchmarkSession(email: String, password: String) async throws -> String {
        guard case .success(let token, _) = try await accounts.service.signIn(email: email, password: password) else {
            throw SetupError.badInput("cannot sign in \(email)")
        }
        return "k_session=\(token)"
    }
}

/// Where a statistics request's time goes, one feature's source at a time.
package struct FigureSourceTiming: Sendable {
    package var section: String
    package var leaves: Int
    /// Reading the source's leaves (its queries and its own counting).
    package var readMs: Double
    /// Rolling them up to every cell.
    package var rollupMs: Double
}

extension Kohtaamo {
    /// Each source read and rolled up `runs` times for the network's whole
    /// year by weeks (what `/stats` does before suppression and drawing);
    /// the medians, so that `bench-stats` can say which source is slow.
    package func figureSourceTimings(runs: Int) async throws -> [FigureSourceTiming] {
        guard let net = try await network.repository.networks().first else { return [] }
        let organisations = try await network.repository.organisations(network: net.id).map(\.id)
        let today = HelsinkiDay(clock.now)
        let query = FigureQuery(organisations: organisations, from: today.adding(days: -364), until: today, length: .week)
        var out: [FigureSourceTiming] = []
        for source in stats.sources {
            var (reads, rollups, count) = ([Double](), [Double](), 0)
            for _ in 0..<max(1, runs) {
                let started = ContinuousClock.now
                let leaves = try await source.leaves(query)
                let read = ContinuousClock.now
                _ = FigureRollup.figures(leaves, measures: source.measures)
                let rolled = ContinuousClock.now
                reads.append(Self.milliseconds(read - started))
                rollups.append(Self.milliseconds(rolled - read))
                count = leaves.count
            }
            out.append(FigureSourceTiming(section: source.section, leaves: count, readMs: Self.median(reads), rollupMs: Self.median(rollups)))
        }
        return out
    }

    private static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
