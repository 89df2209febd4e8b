import Logging
import ServiceLifecycle

/// Runs the escalation sweep every minute beside the server, so that a
/// contact not reached by its hour is on the coordinator's list even when
/// no one has the list open. Several nodes may run it: the database keeps
/// one escalation per plan and day.
package struct EscalationSweepService: Service {
    package let reachout: ReachoutService
    package let logger: Logger

    package init(reachout: ReachoutService, logger: Logger) { (self.reachout, self.logger) = (reachout, logger) }

    package func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do { try await reachout.sweepAll() } catch { logger.error("reach-out escalation sweep: \(String(reflecting: type(of: error)))") }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
        }
    }
}
