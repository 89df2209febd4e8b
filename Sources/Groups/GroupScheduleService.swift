import Logging
import ServiceLifecycle

/// Opens and closes themed groups' rooms at their scheduled times, every
/// half minute (any node may do it: the change is the same).
package struct GroupScheduleService: Service {
    package let groups: GroupService
    package let logger: Logger

    package init(groups: GroupService, logger: Logger) { (self.groups, self.logger) = (groups, logger) }

    package func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do { try await groups.applySchedules() } catch { logger.error("group schedules: \(String(reflecting: type(of: error)))") }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) }
        }
    }
}
