import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Runs the retention rule now and then while the server runs: transcripts
/// (and chats never taken) past their service's retention time are erased,
/// and so are feedback comments (their scores stay). Only counts are logged.
public struct RetentionService: Service {
    let chats: SupportChatService
    let clock: AppClock
    let interval: Duration
    let logger: Logger

    public init(chats: SupportChatService, clock: AppClock, interval: Duration = .seconds(600), logger: Logger) {
        (self.chats, self.clock, self.interval, self.logger) = (chats, clock, interval, logger)
    }

    public func run() async throws {
        let counter = Counter(label: "kohtaamo_retention_erased_total")
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let erased = try await chats.expire(now: clock.now)
                let total = erased.values.reduce(0, +)
                if total > 0 {
                    counter.increment(by: total)
                    logger.info("retention: erased expired transcripts", metadata: [
                        "count": "\(total)", "services": "\(erased.count)",
                    ])
                }
                let comments = try await chats.expireFeedback(now: clock.now)
                if comments > 0 {
                    logger.info("retention: erased expired feedback comments", metadata: ["count": "\(comments)"])
                }
            } catch {
                logger.warning("retention: run failed, trying again later", metadata: ["error": "\(String(describing: type(of: error)))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
