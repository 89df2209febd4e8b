import CompressNIO
import Foundation
import NIOCore

/// A real one-page PDF of a few lines of text (Helvetica, WinAnsi), its
/// content stream FlateDecode: the demo's PDF material and the tests'.
package enum MiniPDF {
    package static func make(_ lines: [String]) -> Data {
        var content = "BT /F1 12 Tf 72 770 Td 16 TL\n"
        for line in lines { content += "(\(escape(line))) Tj T*\n" }
        content += "ET\n"
        var contentBuffer = ByteBuffer(bytes: latin1(content))
        let compressed = (try? contentBuffer.compress(with: .zlib())).map { Array($0.readableBytesView) } ?? latin1(content)
        var out: [UInt8] = Array("%PDF-1.4\n%\u{E2}\u{E3}\n".utf8)
        var offsets: [Int] = []
        func object(_ body: [UInt8]) {
            offsets.append(out.count)
            out += Array("\(offsets.count) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        object(Array("<< /Type /Catalog /Pages 2 0 R >>".utf8))
        object(Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8))
        object(
            Array(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".utf8))
        object(Array("<< /Length \(compressed.count) /Filter /FlateDecode >>\nstream\n".utf8) + compressed + Array("\nendstream".utf8))
        object(Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8))
        let xref = out.count
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for o in offsets { table += String(format: "%010d 00000 n \n", o) }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out += Array(table.utf8)
        return Data(out)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
    }

    /// Latin-1 bytes; a character outside it becomes "?".
    static func latin1(_ s: String) -> [UInt8] {
        s.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : UInt8(ascii: "?") }
    }
}
