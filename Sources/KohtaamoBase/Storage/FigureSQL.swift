import SQLKit

// A year of statistics is tens of thousands of rows: the database puts
// each into its period (and service) and sums what can be summed, and
// only small numbers travel back (`FigureSource`s use these).

extension FigureQuery {
    /// Which period a row's moment (ms, `column`) falls in; NULL outside them.
    package func periodCase(ms column: String) -> SQLRangeCase {
        SQLRangeCase(column: column, ranges: periods.map { ($0.startMs, $0.endMs) })
    }

    /// Which period a row's ISO day (text, `column`) falls in; NULL outside them.
    package func periodCase(day column: String) -> SQLRangeCase {
        SQLRangeCase(column: column, days: periods.map { ($0.first.description, $0.last.adding(days: 1).description) })
    }
}

extension Storage {
    /// The whole numbers of `column` in a group as one text ("3,1,4"; NULLs
    /// left out, NULL when none): a cell's waits or clients come back as
    /// one value, not as thousands of rows to decode one by one.
    package func integerList(_ column: String) -> SQLQueryString {
        switch kind {
        case .sqlite: "group_concat(\(ident: column), ',')"
        case .postgres: "string_agg(CAST(\(ident: column) AS TEXT), ',')"
        }
    }

    /// The texts of `column` (ids, never containing a comma) in a group as
    /// one text, as `integerList` does for numbers.
    package func textList(_ column: String) -> SQLQueryString { integerList(column) }
}

/// The numbers of an `integerList` text, in its order.
package func integers(inList text: String?) -> [Int64] {
    guard let text, !text.isEmpty else { return [] }
    var out: [Int64] = []
    var (n, negative, any) = (Int64(0), false, false)
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: ","):
            if any { out.append(negative ? -n : n) }
            (n, negative, any) = (0, false, false)
        case UInt8(ascii: "-"): negative = true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            n = n &* 10 &+ Int64(byte - UInt8(ascii: "0"))
            any = true
        default: continue
        }
    }
    if any { out.append(negative ? -n : n) }
    return out
}
