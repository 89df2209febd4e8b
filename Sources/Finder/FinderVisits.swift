import Foundation
import KohtaamoBase
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A day and an organisation: the one thing a finder visit is kept as.
package struct FinderVisitKey: Sendable, Hashable {
    package var day: HelsinkiDay
    package var organisation: UUID
    package init(day: HelsinkiDay, organisation: UUID) { (self.day, self.organisation) = (day, organisation) }
}

/// Counts visits of the public finder. A view of a municipality's page is
/// one visit for each organisation whose help point it shows (the unit of
/// the statistics is the organisation: how often people found its help
/// there). Nothing of the visitor is kept: no address, no cookie, no time
/// of day, only (day, organisation, count). The counts gather in memory
/// and go to the database at most once a minute (on the first visit after
/// a minute, and every minute by `FinderVisitFlusher`, which writes the
/// rest at shutdown), so a busy page costs no write per view.
package final class FinderVisits: Sendable {
    private struct State {
        var tally: [FinderVisitKey: Int] = [:]
        var lastFlushMs: Int64
        var flushing = false
    }
    private let state: NIOLockedValueBox<State>
    private let repository: any FinderRepository
    private let clock: AppClock
    static let intervalMs: Int64 = 60_000

    package init(repository: any FinderRepository, clock: AppClock) {
        (self.repository, self.clock) = (repository, clock)
        state = NIOLockedValueBox(State(lastFlushMs: clock.nowMs))
    }

    /// A page showed these organisations' points.
    package func record(organisations: Set<UUID>) {
        guard !organisations.isEmpty else { return }
        let now = clock.nowMs
        let day = HelsinkiDay(ms: now)
        let due = state.withLockedValue { s -> Bool in
            for o in organisations { s.tally[FinderVisitKey(day: day, organisation: o), default: 0] += 1 }
            guard !s.flushing, now - s.lastFlushMs >= Self.intervalMs else { return false }
            s.flushing = true
            return true
        }
        if due { Task { try? await self.flush() } }
    }

    /// Writes what has gathered; what fails to be written stays for the next time.
    package func flush() async throws {
        let now = clock.nowMs
        let taken = state.withLockedValue { s -> [FinderVisitKey: Int] in
            defer { (s.tally, s.lastFlushMs, s.flushing) = ([:], now, false) }
            return s.tally
        }
        do {
            try await repository.addVisits(taken)
        } catch {
            state.withLockedValue { s in s.tally.merge(taken, uniquingKeysWith: +) }
            throw error
        }
    }
}

/// Writes the finder's visits every minute, and what is left at shutdown.
package struct FinderVisitFlusher: Service {
    let visits: FinderVisits
    let logger: Logger
    package init(visits: FinderVisits, logger: Logger) { (self.visits, self.logger) = (visits, logger) }

    package func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            do { try await visits.flush() } catch { logger.error("finder visits: \(String(reflecting: type(of: error)))") }
        }
    }
}
