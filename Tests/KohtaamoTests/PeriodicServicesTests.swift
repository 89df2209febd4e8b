import Testing

@testable import Chat
@testable import Finder
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Reachout

/// The server runs its periodic services beside the requests, and without
/// them when asked (`application(periodic: false)`, for tests whose result
/// a run in between would change). Each rule's behaviour is tested by
/// calling it directly; this holds the server's list.
@Suite struct PeriodicServicesTests {
    static func names<S>(_ services: [S]) -> [String] { services.map { String(describing: type(of: $0 as Any)) } }

    @Test func theServerRunsRetentionSchedulesTheSweepAndTheVisitsAndTestsLeaveThemOut() async throws {
        try await withAppParts { app in
            let periodic = ["RetentionService", "GroupScheduleService", "EscalationSweepService", "FinderVisitFlusher"]
            #expect(Self.names(app.periodicServices) == periodic)
            let server = Self.names(app.application().services)
            // Storage first: it closes last, after the finder's last visits are written.
            #expect(server.first == "Storage" && Array(server.dropFirst().prefix(4)) == periodic)
            #expect(Self.names(app.application(periodic: false).services).allSatisfy { !periodic.contains($0) })
            #expect(Self.names(app.application(periodic: false).services).first == "Storage")
        }
    }
}
