import Foundation
import KohtaamoBase

/// A CSV file of help points, imported by a coordinator for their
/// organisation or by a network coordinator for any of the network's (by
/// the `organisation` column). Its columns are `HelpPointDraft.fields`;
/// every row is checked by `FinderService.check`, the form's rules, and
/// every problem of every row comes back by line and column. Any problem
/// and nothing is saved; otherwise every point and new municipality in one
/// transaction. A row names an existing point by its organisation,
/// municipality and name, and replaces it (keeping its id and its
/// exceptional days), so importing the same file again changes nothing.
package struct FinderImport: Sendable {
    package let finder: FinderService

    package init(finder: FinderService) { self.finder = finder }

    /// 1 MiB and 2,000 rows: a region's points many times over, and checked in a few seconds.
    package static let maxBytes = 1 << 20
    package static let maxRows = 2000
    /// Columns a file must have (the others may be left out).
    package static let requiredColumns = ["municipality", "name", "place", "themes", "languages", "access"]

    /// One problem: the file's line (1 = the header), the column's name
    /// (empty for the whole line or file) and why.
    package struct Problem: Sendable, Equatable {
        package var line: Int
        package var column: String
        package var refusal: FinderRefusal
        package init(line: Int, column: String, _ refusal: FinderRefusal) { (self.line, self.column, self.refusal) = (line, column, refusal) }
    }

    /// Every problem of a refused file, in line order.
    package struct Refused: Error, Sendable, Equatable {
        package var problems: [Problem]
    }

    /// What an import saved: the points (new and replaced) and the municipalities first named by it.
    package struct Saved: Sendable {
        package var points: [HelpPoint]
        package var replaced: Int
        package var municipalities: [Municipality]
    }

    /// A template: the header and one example row, in Finnish Excel's form (`;`, CRLF).
    package static let template: String = {
        var example = HelpPointDraft()
        (example.municipality, example.name, example.description) = ("Oulu", "Digitukipiste", "Apua puhelimen ja tietokoneen kanssa.")
        (example.place, example.address, example.postalCode, example.city) = ("library", "Kaarlenväylä 3", "90100", "Oulu")
        (example.themes, example.languages, example.access) = ("device_basics,online_services", "fi,en", "drop_in")
        (example.phone, example.email, example.url, example.hours) = (
            "+358 40 123 4567", "digituki@example.org", "https://example.org", "TU,TH 10:00-14:00"
        )
        let cells = HelpPointDraft.fields.map { example[$0] }
        return HelpPointDraft.fields.joined(separator: ";") + "\r\n" + cells.map(quoted).joined(separator: ";") + "\r\n"
    }()

    static func quoted(_ cell: String) -> String {
        cell.contains(where: { $0 == ";" || $0 == "," || $0 == "\"" || $0.isNewline })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    /// Reads, checks and (when nothing is wrong) saves `data` as `p`; the
    /// organisation names of the `organisation` column are matched in `language`.
    package func run(_ data: Data, by p: StaffPrincipal, language: Language) async throws -> Result<Saved, Refused> {
        guard p.role.canAdminister else { throw FinderRefusal.notAllowed }
        guard data.count <= Self.maxBytes else { return .failure(Refused(problems: [Problem(line: 0, column: "", .importTooLarge)])) }
        let table: CSVTable
        do { table = try CSVTable(data) } catch {
            switch error {
            case .notText: return .failure(Refused(problems: [Problem(line: 1, column: "", .badFile)]))
            case .unclosedQuote(let line), .nullCharacter(let line): return .failure(Refused(problems: [Problem(line: line, column: "", .badFile)]))
            }
        }
        guard let header = table.rows.first else { return .failure(Refused(problems: [Problem(line: 1, column: "", .badFile)])) }
        // The header: known names, each once, the required ones all there. A column without a name is left out with its cells.
        var problems: [Problem] = []
        var columns: [String?] = []
        for cell in header.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            if cell.isEmpty {
                columns.append(nil)
            } else if !HelpPointDraft.fields.contains(cell) {
                problems.append(Problem(line: header.line, column: cell, .unknownColumn))
                columns.append(nil)
            } else if columns.contains(cell) {
                problems.append(Problem(line: header.line, column: cell, .duplicateColumn))
                columns.append(nil)
            } else {
                columns.append(cell)
            }
        }
        for name in Self.requiredColumns where !columns.contains(name) { problems.append(Problem(line: header.line, column: name, .missingColumn)) }
        guard problems.isEmpty else { return .failure(Refused(problems: problems)) }
        let rows = table.rows.dropFirst().filter { $0.fields.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard !rows.isEmpty else { return .failure(Refused(problems: [Problem(line: header.line, column: "", .noRows)])) }
        guard rows.count <= Self.maxRows else {
            return .failure(Refused(problems: [Problem(line: rows[Self.maxRows].line, column: "", .tooManyRows)]))
        }

        // The points `p` keeps now, by organisation, municipality and name: a row naming one replaces it.
        var existing: [String: HelpPoint] = [:]
        for point in try await finder.points(of: p) { existing[Self.key(point)] = point }
        var points: [HelpPoint] = [], municipalities: [String: Municipality] = [:], seen: Set<String> = []
        var replaced = 0
        // An organisation is named as in any of the three languages, whatever the asker reads the pages in.
        var organisations: [String: UUID] = [:]
        for lang in [language] + Language.allCases.filter({ $0 != language }) {
            // (A name left empty in a language names nothing: an empty cell is the asker's own organisation.)
            for (id, name) in try await finder.organisations(of: p, language: lang) where !name.isEmpty && organisations[name.lowercased()] == nil {
                organisations[name.lowercased()] = id
            }
        }
        for row in rows {
            var draft = HelpPointDraft()
            for (i, cell) in row.fields.enumerated() {
                if i < columns.count, let column = columns[i] {
                    draft[column] = cell
                } else if i >= columns.count && !cell.trimmingCharacters(in: .whitespaces).isEmpty {
                    problems.append(Problem(line: row.line, column: "", .extraCells))
                    break
                }
            }
            if let id = organisations[draft.organisation.trimmingCharacters(in: .whitespaces).lowercased()] { draft.organisation = id.text() }
            switch try await finder.check(draft, by: p, language: language) {
            case .failure(let refused):
                problems += refused.problems.map { Problem(line: row.line, column: $0.field, $0.refusal) }
            case .success(var checked):
                let key = Self.key(checked.point)
                guard seen.insert(key).inserted else {
                    problems.append(Problem(line: row.line, column: "name", .duplicateRow))
                    continue
                }
                if let old = existing[key] {
                    (checked.point.id, checked.point.exceptions) = (old.id, old.exceptions)
                    replaced += 1
                }
                points.append(checked.point)
                if try await finder.repository.municipality(slug: checked.municipality.slug) == nil {
                    municipalities[checked.municipality.slug] = municipalities[checked.municipality.slug] ?? checked.municipality
                }
            }
        }
        guard problems.isEmpty else { return .failure(Refused(problems: problems)) }
        let added = municipalities.values.sorted { $0.slug < $1.slug }
        try await finder.repository.save(points, municipalities: added)
        try await finder.record(p, "finder.import", "\(points.count) points, \(replaced) replaced")
        return .success(Saved(points: points, replaced: replaced, municipalities: added))
    }

    /// Organisation, municipality and name (case and spaces aside): what makes a row the same point.
    static func key(_ p: HelpPoint) -> String {
        p.organisation.text() + "|" + p.municipality + "|" + p.name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
