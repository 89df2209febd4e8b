import Foundation

/// Counts and subjects gathered per cell, given out as leaves. A source and
/// its sampler both gather through it, so they leave out the same zeros and
/// give each subject once per cell: their roll-ups can be held equal.
package struct FigureCounts: Sendable {
    private struct Cell: Hashable {
        var measure: String, part: String?, organisation: UUID, service: UUID?, period: Int
    }
    private var counts: [Cell: Int] = [:]
    private var subjects: [Cell: Set<Int>] = [:]
    private var numbers = FigureSubjects()

    package init() {}

    /// `n` more of `measure` in the cell (nothing when `n` is 0).
    package mutating func add(_ measure: String, part: String? = nil, organisation: UUID, service: UUID?, period: Int, _ n: Int = 1) {
        guard n != 0 else { return }
        counts[Cell(measure: measure, part: part, organisation: organisation, service: service, period: period), default: 0] += n
    }

    /// One subject of a `distinct` measure in the cell; the same one again changes nothing.
    package mutating func subject(_ measure: String, organisation: UUID, service: UUID?, period: Int, _ subject: String) {
        let n = numbers.number(subject)
        subjects[Cell(measure: measure, part: nil, organisation: organisation, service: service, period: period), default: []].insert(n)
    }

    package var leaves: [FigureLeaf] {
        counts.map { cell, n in
            FigureLeaf(cell.measure, part: cell.part, organisation: cell.organisation, service: cell.service, period: cell.period, .count(n))
        }
            + subjects.map { cell, set in
                FigureLeaf(cell.measure, organisation: cell.organisation, service: cell.service, period: cell.period, .subjects(Array(set)))
            }
    }
}

/// Opaque subjects as small numbers: the same text the same number, for
/// as long as this value lives (one reading of a source). Numbers hash
/// and compare faster than the ids they stand for, and tell nothing.
package struct FigureSubjects: Sendable {
    private var numbers: [Substring: Int] = [:]
    private var ids: [FigureID: Int] = [:]
    package init() {}

    /// An id's number; never the number of a text given to `number(_:)`.
    package mutating func number(_ id: FigureID) -> Int {
        if let n = ids[id] { return n }
        let n = -1 - ids.count
        ids[id] = n
        return n
    }

    package mutating func number(_ text: some StringProtocol) -> Int {
        let subject = Substring(text)
        if let n = numbers[subject] { return n }
        let n = numbers.count
        numbers[subject] = n
        return n
    }
}

extension SplitMix64 {
    /// A whole number around `mean` (a Poisson draw for small means, a
    /// rounded normal one for large), never below 0: how many things happen
    /// on a day when `mean` happen on an ordinary one.
    package mutating func count(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var (k, p) = (0, unit())
            while p > limit {
                k += 1
                p *= unit()
            }
            return k
        }
        let (u, v) = (max(unit(), 1e-12), unit())
        let normal = (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        return max(0, Int((mean + normal * mean.squareRoot()).rounded()))
    }

    /// One of `items` (which must not be empty).
    package mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    /// True with probability `p`.
    package mutating func chance(_ p: Double) -> Bool { unit() < p }
}
