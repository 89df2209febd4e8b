import ArgumentParser

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kohtaamo-bench",
        abstract: "Load generator and crash test for Kohtaamo (see docs/benchmarks.md).",
        subcommands: [
            ChatBenchmark.self, SignalBenchmark.self, RoomBenchmark.self, SocketsBenchmark.self, CrashTest.self, SealBenchmark.self, BareRelay.self,
            SynapseBenchmark.self, NotifyBenchmark.self,
        ])
}
