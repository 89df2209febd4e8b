import CompressNIO
import Foundation
import NIOCore

/// The words of a PDF for the search: the strings that content streams show
/// (`Tj`, `TJ`, `'`, `"` between `BT` and `ET`), from streams that are
/// uncompressed or FlateDecode (zlib, which the base already links).
///
/// Limits, said plainly: the strings are read as single bytes in the
/// WinAnsi/PDFDoc sense (Latin-1: ä, ö and å are right), so fonts with
/// two-byte codes (CID fonts, most PDFs with unusual scripts) give noise
/// that rarely matches a query, and their ToUnicode maps are not read;
/// encrypted PDFs, other filters (LZW, DCT images, object streams' own
/// compression chains) and text drawn as pictures give nothing. At most
/// `maxText` characters are kept and `maxStream` bytes of each stream inflated.
package enum PDFText {
    package static let maxText = 200_000
    package static let maxStream = 8 * 1024 * 1024
    package static let maxStreams = 2_000

    package static func extract(_ pdf: Data) -> String {
        let bytes = [UInt8](pdf)
        var text = ""
        var from = 0
        var streams = 0
        while streams < maxStreams, text.count < maxText, let start = find(Array("stream".utf8), in: bytes, from: from) {
            streams += 1
            // The stream keyword is followed by CRLF or LF; "endstream" also contains "stream".
            var body = start + 6
            if body < bytes.count, bytes[body] == 0x0D { body += 1 }
            guard body < bytes.count, bytes[body] == 0x0A, start < 3 || Array(bytes[(start - 3)..<start]) != Array("end".utf8) else {
                from = start + 6
                continue
            }
            body += 1
            guard let end = find(Array("endstream".utf8), in: bytes, from: body) else { break }
            let dictionary = String(decoding: bytes[max(0, start - 400)..<start], as: UTF8.self)
            let raw = Array(bytes[body..<end])
            from = end + 9
            let lastDict = dictionary.range(of: "<<", options: .backwards).map { String(dictionary[$0.lowerBound...]) } ?? dictionary
            var content: [UInt8]?
            if lastDict.contains("/FlateDecode") {
                content = inflate(raw)
            } else if !lastDict.contains("/Filter") {
                content = raw
            }
            if let content, !lastDict.contains("/Subtype") { text += shown(content) }
        }
        return String(text.prefix(maxText))
    }

    static func inflate(_ raw: [UInt8]) -> [UInt8]? {
        var buffer = ByteBuffer(bytes: raw)
        guard let out = try? buffer.decompress(with: .zlib(), maxSize: maxStream) else { return nil }
        return Array(out.readableBytesView)
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// The text a content stream shows, with a space where the text moves
    /// and a line break at each text object's end.
    static func shown(_ c: [UInt8]) -> String {
        var out = ""
        var i = 0
        var inText = false
        var pending = ""
        while i < c.count {
            let b = c[i]
            switch b {
            case UInt8(ascii: "("):
                let (s, next) = literal(c, i)
                if inText { pending += s }
                i = next
                continue
            case UInt8(ascii: "<") where i + 1 < c.count && c[i + 1] != UInt8(ascii: "<"):
                let (s, next) = hex(c, i)
                if inText { pending += s }
                i = next
                continue
            case UInt8(ascii: "-") where inText:
                // A large negative kerning in a TJ array is a gap between words.
                var j = i + 1
                var digits = ""
                while j < c.count, (c[j] >= 0x30 && c[j] <= 0x39) || c[j] == UInt8(ascii: ".") {
                    digits.append(Character(Unicode.Scalar(c[j])))
                    j += 1
                }
                if let n = Double(digits), n >= 200, !pending.isEmpty, !pending.hasSuffix(" ") { pending += " " }
                i = j
                continue
            default: break
            }
            if isLetter(b) {
                var j = i
                while j < c.count, isLetter(c[j]) || c[j] == UInt8(ascii: "*") { j += 1 }
                let op = String(decoding: c[i..<j], as: UTF8.self)
                switch op {
                case "BT": inText = true
                case "ET":
                    inText = false
                    out += pending + "\n"
                    pending = ""
                case "Td", "TD", "Tm", "T*":
                    if !pending.isEmpty, !pending.hasSuffix(" ") { pending += " " }
                default: break
                }
                i = j
                continue
            }
            if b == UInt8(ascii: "'") || b == UInt8(ascii: "\""), !pending.hasSuffix(" ") { pending += " " }
            i += 1
        }
        return out + pending
    }

    static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

    /// A `( … )` string: nested brackets, backslash escapes, octal codes.
    static func literal(_ c: [UInt8], _ start: Int) -> (String, Int) {
        var depth = 0
        var i = start
        var bytes: [UInt8] = []
        while i < c.count {
            let b = c[i]
            if b == UInt8(ascii: "\\"), i + 1 < c.count {
                let e = c[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "b"), UInt8(ascii: "f"): break
                case 0x30...0x37:
                    var value = Int(e - 0x30)
                    var n = 1
                    while n < 3, i < c.count, (0x30...0x37).contains(c[i]) {
                        value = value * 8 + Int(c[i] - 0x30)
                        i += 1
                        n += 1
                    }
                    bytes.append(UInt8(value & 0xFF))
                case 0x0A, 0x0D: break
                default: bytes.append(e)
                }
                continue
            }
            if b == UInt8(ascii: "(") {
                depth += 1
                if depth > 1 { bytes.append(b) }
            } else if b == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return (latin1(bytes), i + 1) }
                bytes.append(b)
            } else {
                bytes.append(b)
            }
            i += 1
        }
        return (latin1(bytes), c.count)
    }

    /// A `< … >` string of hex digits.
    static func hex(_ c: [UInt8], _ start: Int) -> (String, Int) {
        var i = start + 1
        var digits: [UInt8] = []
        while i < c.count, c[i] != UInt8(ascii: ">") {
            if let v = hexValue(c[i]) { digits.append(v) }
            i += 1
        }
        if digits.count % 2 == 1 { digits.append(0) }
        let bytes = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
        return (latin1(bytes), min(i + 1, c.count))
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// Printable bytes as Latin-1 characters; anything else a space.
    static func latin1(_ bytes: [UInt8]) -> String {
        String(bytes.map { $0 >= 0x20 && $0 != 0x7F && !(0x80...0x9F).contains($0) ? Character(Unicode.Scalar($0)) : " " })
    }
}
