import Foundation

// The statistics (issue 22) ask every feature for its figures through
// `FigureSource`; the Stats target knows no feature. A source counts, it
// never names: no nickname, text or token leaves it, only numbers and
// opaque subjects that are counted once and dropped.

/// How long one column of the statistics is: a Helsinki week (Monday to
/// Sunday) or a calendar month.
package enum FigurePeriodLength: String, Sendable, CaseIterable, Codable {
    case week, month
}

/// One column: the Helsinki days `first`…`last`, both included.
package struct FigurePeriod: Sendable, Hashable {
    package var first: HelsinkiDay
    package var last: HelsinkiDay
    package init(first: HelsinkiDay, last: HelsinkiDay) { (self.first, self.last) = (first, last) }
    /// The first millisecond of the period (Helsinki midnight).
    package var startMs: Int64 { first.ms(minute: 0) }
    /// The first millisecond after it.
    package var endMs: Int64 { last.adding(days: 1).ms(minute: 0) }
}

/// What is asked: whose figures and over which periods.
package struct FigureQuery: Sendable {
    /// The organisations counted (one for a coordinator, a network's for a
    /// network coordinator). A source counts what these own.
    package var organisations: [UUID]
    /// Sorted and back to back; leaves name a period by its index here.
    package var periods: [FigurePeriod]

    package init(organisations: [UUID], periods: [FigurePeriod]) {
        (self.organisations, self.periods) = (organisations, periods)
    }

    /// Whole weeks or months from the one holding `from` to the one holding `until`.
    package init(organisations: [UUID], from: HelsinkiDay, until: HelsinkiDay, length: FigurePeriodLength) {
        var periods: [FigurePeriod] = []
        var first = length == .week ? from.monday : HelsinkiDay(year: from.year, month: from.month, day: 1)
        while first <= until {
            let next: HelsinkiDay
            switch length {
            case .week: next = first.adding(days: 7)
            case .month:
                next =
                    first.month == 12
                    ? HelsinkiDay(year: first.year + 1, month: 1, day: 1) : HelsinkiDay(year: first.year, month: first.month + 1, day: 1)
            }
            periods.append(FigurePeriod(first: first, last: next.adding(days: -1)))
            first = next
        }
        self.init(organisations: organisations, periods: periods)
    }

    /// The first millisecond counted and the first after the last period.
    package var startMs: Int64 { periods.first?.startMs ?? 0 }
    package var endMs: Int64 { periods.last?.endMs ?? 0 }

    /// The index of the period holding this moment, nil outside them all.
    package func period(ms: Int64) -> Int? {
        guard ms >= startMs, ms < endMs else { return nil }
        var (low, high) = (0, periods.count - 1)
        while low < high {
            let mid = (low + high + 1) / 2
            if periods[mid].startMs <= ms { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The index of the period holding this day, nil outside them all.
    package func period(day: HelsinkiDay) -> Int? {
        guard let first = periods.first?.first, let last = periods.last?.last, day >= first, day <= last else { return nil }
        var (low, high) = (0, periods.count - 1)
        while low < high {
            let mid = (low + high + 1) / 2
            if periods[mid].first <= day { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

/// How a measure is counted, and so how it is rolled up and hidden.
package enum FigureKind: Sendable, Hashable {
    /// Contacts, messages, tasks: sums. 1–4 is shown as "< 5".
    case count
    /// Different people (clients reached, members): never summed, each
    /// subject counted once per cell. 1–4 is shown as "< 5".
    case distinct
    /// A mean of samples ("did this help?" 1–5); hidden under 5 samples.
    case mean
    /// A percentile (50, 90) of samples in seconds (waits, handling
    /// times); hidden under 5 samples.
    case percentile(Int)
}

/// One row of the statistics.
package struct FigureMeasure: Sendable, Hashable {
    /// Stable, e.g. `chat.contacts`: the CSV's column, the JSON's key, and
    /// the page's text `stats_measure_<key with . as _>`.
    package var key: String
    package var kind: FigureKind
    /// Whether leaves name parts (topics, scores): then the page shows one
    /// row per part, named by `FigureSource.partNames`.
    package var hasParts: Bool
    /// For a mean: the key of the count-with-parts measure it is taken over
    /// ("did this help?" 1–5 and the count per score). With the visible
    /// counts, a mean would tell a hidden count back, so wherever one of
    /// those counts is hidden the mean is hidden too.
    package var restsOn: String?
    package init(_ key: String, _ kind: FigureKind, hasParts: Bool = false, restsOn: String? = nil) {
        (self.key, self.kind, self.hasParts, self.restsOn) = (key, kind, hasParts, restsOn)
    }
}

/// One thing a source counted, or a count the database summed already.
package struct FigureLeaf: Sendable, Hashable {
    package enum Input: Sendable, Hashable {
        /// Things counted (a `count` measure).
        case count(Int)
        /// Who they were (a `distinct` measure): opaque numbers, the same
        /// number for the same person within one reading of a source
        /// (`FigureSubjects`), never shown.
        case subjects([Int])
        /// Samples (a `mean` or `percentile` measure). One leaf carries a
        /// cell's samples together: a year of waits is a few thousand
        /// leaves, not a hundred thousand.
        case samples([Double])
    }
    package var measure: String
    package var part: String?
    package var organisation: UUID
    /// The service it belongs to; nil for what is the organisation's own
    /// (reach-out, the finder's help points).
    package var service: UUID?
    /// Index into the query's periods.
    package var period: Int
    package var input: Input

    package init(_ measure: String, part: String? = nil, organisation: UUID, service: UUID?, period: Int, _ input: Input) {
        (self.measure, self.part, self.organisation, self.service, self.period, self.input) = (measure, part, organisation, service, period, input)
    }
}

/// A feature's part of the statistics (Chat, Groups, Coaching, Reachout,
/// Finder, DigitalSupport each give one; the composition root lists them).
package protocol FigureSource: Sendable {
    /// The section the page shows these under: `stats_section_<name>`.
    var section: String { get }
    /// Its measures, in the order the page shows them.
    var measures: [FigureMeasure] { get }
    /// What happened in the query's organisations and periods.
    func leaves(_ query: FigureQuery) async throws -> [FigureLeaf]
    /// The names of parts (topic labels, "1"…"5") in `language`; a part
    /// missing here is shown by its key.
    func partNames(measure: String, parts: [String], language: Language) async throws -> [String: String]
}

/// One cell after rolling up. `organisation` nil means every organisation
/// of the query, `service` nil the whole organisation (or the whole query),
/// `period` nil every period together.
package struct Figure: Sendable, Hashable {
    package var measure: String
    package var part: String?
    package var organisation: UUID?
    package var service: UUID?
    package var period: Int?
    /// The count, mean or percentile.
    package var value: Double
    /// How many things, people or samples it rests on (what hiding looks at).
    package var observations: Int
}

/// Rolls leaves up to every cell a page or CSV can show: per organisation
/// and service, per organisation, for all; each per period and for all
/// periods. Distinct subjects are counted once per cell (a client who came
/// in two weeks is one client in the month), never summed.
package enum FigureRollup {
    private struct Cell: Hashable {
        var measure: String, part: String?, organisation: UUID?, service: UUID?, period: Int?
    }
    private struct Gathered {
        var counted = false
        var count = 0
        var subjects: Set<Int> = []
        var samples: [Double] = []

        mutating func take(_ other: Gathered) {
            if other.counted {
                counted = true
                count += other.count
            }
            if !other.subjects.isEmpty { subjects.formUnion(other.subjects) }
            if !other.samples.isEmpty { samples.append(contentsOf: other.samples) }
        }
    }

    package static func figures(_ leaves: [FigureLeaf], measures: [FigureMeasure]) -> [Figure] {
        let kinds = Dictionary(measures.map { ($0.key, $0.kind) }, uniquingKeysWith: { a, _ in a })
        // First each leaf into its own cell (service and period), then each
        // of those into the cells above it: most leaves are hashed once,
        // not six times.
        var finest: [Cell: Gathered] = [:]
        for leaf in leaves {
            guard kinds[leaf.measure] != nil else { continue }
            let cell = Cell(measure: leaf.measure, part: leaf.part, organisation: leaf.organisation, service: leaf.service, period: leaf.period)
            switch leaf.input {
            case .count(let n):
                finest[cell, default: Gathered()].counted = true
                finest[cell, default: Gathered()].count += n
            case .subjects(let s): finest[cell, default: Gathered()].subjects.formUnion(s)
            case .samples(let x): finest[cell, default: Gathered()].samples.append(contentsOf: x)
            }
        }
        var all: [Cell: Gathered] = [:]
        for (cell, gathered) in finest {
            for period in [cell.period, nil] as [Int?] {
                all[Cell(measure: cell.measure, part: cell.part, organisation: nil, service: nil, period: period), default: Gathered()].take(gathered)
                all[Cell(measure: cell.measure, part: cell.part, organisation: cell.organisation, service: nil, period: period), default: Gathered()]
                    .take(gathered)
                if let service = cell.service {
                    all[
                        Cell(measure: cell.measure, part: cell.part, organisation: cell.organisation, service: service, period: period),
                        default: Gathered()
                    ].take(gathered)
                }
            }
        }
        var out: [Figure] = []
        out.reserveCapacity(all.count)
        func add(_ cell: Cell, _ value: Double, _ n: Int) {
            out.append(
                Figure(
                    measure: cell.measure, part: cell.part, organisation: cell.organisation, service: cell.service, period: cell.period, value: value,
                    observations: n))
        }
        for (cell, g) in all {
            if g.counted { add(cell, Double(g.count), g.count) }
            if !g.subjects.isEmpty { add(cell, Double(g.subjects.count), g.subjects.count) }
            if !g.samples.isEmpty {
                switch kinds[cell.measure] {
                case .percentile(let p):
                    var samples = g.samples
                    add(cell, percentile(&samples, p), samples.count)
                default: add(cell, g.samples.reduce(0, +) / Double(g.samples.count), g.samples.count)
                }
            }
        }
        return out
    }

    /// The nearest-rank percentile: a value that was seen, so a wait of
    /// "3 min" is one some client really had. Found by selection, not by
    /// sorting, as a year's network cell holds every wait of the year; the
    /// values are left reordered.
    package static func percentile(_ values: inout [Double], _ p: Int) -> Double {
        guard !values.isEmpty else { return 0 }
        let rank = min(max(Int((Double(p) / 100 * Double(values.count)).rounded(.up)), 1), values.count)
        return select(&values, rank - 1)
    }

    /// The value that would stand at `k` were `values` sorted (Hoare's
    /// selection with the middle of three as pivot).
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        var (low, high) = (0, values.count - 1)
        while low < high {
            let mid = low + (high - low) / 2
            // The median of three first, last and middle as the pivot: sorted or equal runs stay linear.
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[mid] { values.swapAt(high, mid) }
            let pivot = values[mid]
            var (i, j) = (low, high)
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return values[k]
            }
        }
        return values[k]
    }
}

/// A stretch of plausible activity a feature writes into its own tables:
/// the demo's charts, the statistics tests and the year benchmark use the
/// same writers, so what the page counts is what was written.
package struct FigurePlan: Sendable {
    /// Where (the organisations and their services) and when (the periods).
    package var query: FigureQuery
    /// About how many contacts a service has on an ordinary day.
    package var perDay: Double
    package var seed: UInt64
    /// Now, for sources that tell coming from past (appointments).
    package var nowMs: Int64
    package init(query: FigureQuery, perDay: Double, seed: UInt64, nowMs: Int64) {
        (self.query, self.perDay, self.seed, self.nowMs) = (query, perDay, seed, nowMs)
    }
}

/// A feature's writer of a `FigurePlan`. It returns the leaves of what it
/// wrote, so a test can hold the source's reading against them.
package protocol FigureSampler: Sendable {
    func sample(_ plan: FigurePlan) async throws -> [FigureLeaf]
}
