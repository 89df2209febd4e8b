import Metrics
import Prometheus

/// One Prometheus registry per process: swift-metrics can be bootstrapped only
/// once, while tests build many applications.
enum AppMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Commits take well under a millisecond on SQLite: finer buckets than the default's 5 ms.
        factory.defaultDurationHistogramBuckets = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000].map {
            .microseconds(Int64($0 * 1000))
        }
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static func text() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
