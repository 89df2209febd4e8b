import Foundation

/// A CSV file read as rows of text (RFC 4180): fields in double quotes may
/// hold the delimiter, `""` and line breaks; lines end in CRLF or LF; a
/// UTF-8 byte-order mark is dropped. The delimiter is `;` or `,`, whichever
/// the header line has more of: Finnish Excel writes `;`, most tools `,`.
/// A file that is not UTF-8 is read as Windows-1252, what Excel's plain
/// "CSV" saves on a Finnish Windows, so ä and ö come through either way.
package struct CSVTable: Sendable, Equatable {
    /// One record and the line of the file it starts on (1 = the header),
    /// so an error can name the line a person sees in their editor.
    package struct Row: Sendable, Equatable {
        package var line: Int
        package var fields: [String]
    }

    /// Why a file is not CSV: the line where reading stopped.
    package enum Problem: Error, Sendable, Equatable {
        /// No text at all, or bytes that are neither UTF-8 nor Windows-1252.
        case notText
        /// A quoted field still open at the end of the file.
        case unclosedQuote(line: Int)
        /// U+0000, which no text field may hold (PostgreSQL cannot store it).
        case nullCharacter(line: Int)
    }

    package var delimiter: Character
    /// The header first, then the records; lines with nothing on them are left out.
    package var rows: [Row]

    package init(_ data: Data) throws(Problem) {
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .windowsCP1252) else { throw .notText }
        try self.init(text)
    }

    package init(_ text: String) throws(Problem) {
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        let header = scalars.prefix { $0 != "\n" && $0 != "\r" }
        let semicolons = header.filter { $0 == ";" }.count, commas = header.filter { $0 == "," }.count
        delimiter = semicolons > commas ? ";" : ","
        let separator = delimiter.unicodeScalars.first!
        var rows: [Row] = []
        var fields: [String] = [], field = String.UnicodeScalarView()
        var line = 1, start = 1
        var quoted = false, wasQuoted = false
        var i = scalars.startIndex
        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            wasQuoted = false
        }
        func endRecord() {
            let blank = fields.isEmpty && field.isEmpty && !wasQuoted
            endField()
            if !blank { rows.append(Row(line: start, fields: fields)) }
            fields = []
        }
        while i < scalars.endIndex {
            let c = scalars[i]
            i = scalars.index(after: i)
            if c == "\0" { throw .nullCharacter(line: line) }
            if quoted {
                if c == "\"" {
                    if i < scalars.endIndex && scalars[i] == "\"" {
                        field.append("\"")
                        i = scalars.index(after: i)
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !wasQuoted: (quoted, wasQuoted) = (true, true)
            case separator: endField()
            case "\r", "\n":
                // CRLF is one line end; a lone CR (old Mac files) is one too.
                if c == "\r" && i < scalars.endIndex && scalars[i] == "\n" { i = scalars.index(after: i) }
                endRecord()
                line += 1
                start = line
            default: field.append(c)
            }
        }
        if quoted { throw .unclosedQuote(line: start) }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        self.rows = rows
    }
}
