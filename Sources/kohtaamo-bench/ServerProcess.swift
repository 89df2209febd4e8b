import Foundation

// What the benchmarks read of the server's process from Linux /proc.

/// The numbers of a /proc `status` file by name ("VmRSS: 1234 kB" gives
/// "VmRSS" 1234), or nil if it cannot be read.
private func statusNumbers(_ path: String) -> [Substring: Int]? {
    guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    var numbers: [Substring: Int] = [:]
    for line in status.split(separator: "\n") {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.count >= 2, words[0].hasSuffix(":"), let n = Int(words[1]) { numbers[words[0].dropLast()] = n }
    }
    return numbers
}

/// Resident memory of a process in KiB (Linux /proc), or nil.
func residentKiB(pid: Int32) -> Int? {
    statusNumbers("/proc/\(pid)/status")?["VmRSS"]
}

/// User + system CPU seconds of a process so far (Linux /proc), or nil.
func cpuSeconds(pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return nil }
    // Fields after the command name: state is field 3; utime and stime are 14 and 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Thread switches of a process so far, all its threads together (voluntary:
/// a thread went to sleep; involuntary: it was preempted), or nil. Per
/// message, they show the hops a message takes between threads, the main
/// cost of a relay on a small machine, and they vary less than latency.
/// (A thread that ended meanwhile takes its count with it.)
func threadSwitches(pid: Int32) -> Int? {
    guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
    var total = 0
    for thread in threads {
        guard let numbers = statusNumbers("/proc/\(pid)/task/\(thread)/status") else { continue }
        total += (numbers["voluntary_ctxt_switches"] ?? 0) + (numbers["nonvoluntary_ctxt_switches"] ?? 0)
    }
    return total
}

/// The server's CPU time and thread switches at one moment.
struct ServerSample {
    var cpu: Double
    var switches: Int

    init?(pid: Int32?) {
        guard let pid, let cpu = cpuSeconds(pid: pid), let switches = threadSwitches(pid: pid) else { return nil }
        self.cpu = cpu
        self.switches = switches
    }

    /// "… µs CPU, … switches" per message between two samples.
    static func perMessage(from start: ServerSample?, to end: ServerSample?, messages: Int) -> String {
        guard let start, let end, messages > 0 else { return "n/a (give --server-pid)" }
        let n = Double(messages)
        return String(format: "%.0f µs CPU, %.1f thread switches", (end.cpu - start.cpu) * 1e6 / n, Double(end.switches - start.switches) / n)
    }
}

/// CPU seconds of every process with this command name (PostgreSQL's
/// postmaster and backends), so far; a process that ended takes its time along.
func cpuSeconds(ofProcessesNamed name: String) -> Double {
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return pids.compactMap(Int32.init).reduce(0) { total, pid in
        let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return comm == name ? total + (cpuSeconds(pid: pid) ?? 0) : total
    }
}

/// Each node's CPU, and PostgreSQL's, at one moment: several nodes' cost
/// per message, each and together, under one load.
struct NodesSample {
    var nodes: [ServerSample?]
    var database: Double?

    init(pids: [Int32], database: Bool) {
        nodes = pids.map { ServerSample(pid: $0) }
        self.database = database ? cpuSeconds(ofProcessesNamed: "postgres") : nil
    }

    /// Rows "node k, per message sent", "all nodes …" and "PostgreSQL …" between two samples.
    static func rows(from start: NodesSample, to end: NodesSample, messages: Int) -> [(String, String)] {
        guard messages > 0 else { return [] }
        let n = Double(messages)
        var rows: [(String, String)] = []
        var total = 0.0
        for (k, (a, b)) in zip(start.nodes, end.nodes).enumerated() {
            guard let a, let b else { continue }
            total += b.cpu - a.cpu
            rows.append(("node \(k + 1), per message sent", String(format: "%.0f µs CPU", (b.cpu - a.cpu) * 1e6 / n)))
        }
        if rows.count > 1 { rows.append(("all nodes, per message sent", String(format: "%.0f µs CPU", total * 1e6 / n))) }
        if let a = start.database, let b = end.database {
            rows.append(("PostgreSQL, per message sent", String(format: "%.0f µs CPU", (b - a) * 1e6 / n)))
        }
        return rows
    }
}
