import Foundation
import NIOConcurrencyHelpers

/// Where "now" comes from. Production uses the system clock; tests set the time
/// (lock-out windows, opening hours) without sleeping.
package final class AppClock: Sendable {
    private let fixed: NIOLockedValueBox<Date?>

    package init(fixed: Date? = nil) {
        self.fixed = .init(fixed)
    }

    package var now: Date { fixed.withLockedValue { $0 } ?? Date() }
    /// Milliseconds since 1970.
    package var nowMs: Int64 { Int64((now.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Tests only: pin the clock to a moment, or advance a pinned clock.
    package func set(_ date: Date) { fixed.withLockedValue { $0 = date } }
    package func advance(by seconds: TimeInterval) {
        fixed.withLockedValue { $0 = ($0 ?? Date()).addingTimeInterval(seconds) }
    }
}
