import Chat
import Foundation
import Groups
import KohtaamoBase
import Logging
import Metrics
import ServiceLifecycle

/// Runs every retention rule now and then while the server runs (every 10
/// minutes): support chats' transcripts (and chats never taken) past their
/// service's time and feedback comments (their scores stay); groups' room
/// messages and Q&A past the group's time, decided applications, handled
/// reports and ended bans' reasons (`GroupRetention`); and anonymous clients
/// that take part in nothing any more. It lives in `App/` because it calls
/// more than one feature. Only counts are logged, never contents or identities.
package struct RetentionService: Service {
    let chats: SupportChatService
    let groups: GroupService
    let clock: AppClock
    let interval: Duration
    package let logger: Logger

    package init(chats: SupportChatService, groups: GroupService, clock: AppClock, interval: Duration = .seconds(600), logger: Logger) {
        (self.chats, self.groups, self.clock, self.interval, self.logger) = (chats, groups, clock, interval, logger)
    }

    package func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await runOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One run of every rule at the clock's now; returns what each erased
    /// (for tests). Each rule fails alone: the others still run, and it is
    /// tried again next time.
    @discardableResult
    package func runOnce() async -> [String: Int] {
        let now = clock.now
        var erased: [String: Int] = [:]
        await rule("transcripts", into: &erased) { try await chats.expire(now: now).values.reduce(0, +) }
        await rule("feedback comments", into: &erased) { try await chats.expireFeedback(now: now) }
        await rule("anonymous clients", into: &erased) { try await chats.expireClients(now: now) }
        await rule("group data", into: &erased) {
            let g = try await groups.expire(now: now)
            if g.total > 0 {
                logger.info(
                    "retention: erased expired group data",
                    metadata: [
                        "messages": "\(g.messages)", "questions": "\(g.questions)", "applications": "\(g.applications)",
                        "reports": "\(g.reports)", "ban_reasons": "\(g.banReasons)",
                    ])
            }
            return g.total
        }
        return erased
    }

    private func rule(_ name: String, into erased: inout [String: Int], _ body: () async throws -> Int) async {
        do {
            let count = try await body()
            erased[name] = count
            guard count > 0 else { return }
            Counter(label: "kohtaamo_retention_erased_total").increment(by: count)
            logger.info("retention: erased expired \(name)", metadata: ["count": "\(count)"])
        } catch {
            logger.warning("retention: \(name) failed, trying again later", metadata: ["error": "\(String(describing: type(of: error)))"])
        }
    }
}
