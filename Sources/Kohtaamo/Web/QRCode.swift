import CQRencode
import Foundation

/// A QR code made on the server (libqrencode), drawn as inline SVG: no
/// image service sees the secret it carries, and it scales without blur.
public struct QRCode: Sendable {
    /// Modules per side, without the quiet zone.
    public let width: Int
    /// Row by row, true for a dark module.
    public let modules: [Bool]

    /// Medium error correction (15 %): enough for a phone camera on a screen.
    public init?(_ text: String) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        self.width = width
        // Bit 0 of each byte is the module's colour; the others say what it is for.
        modules = (0..<width * width).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(x: Int, y: Int) -> Bool { modules[y * width + x] }

    /// One path of unit squares inside a 4-module quiet zone; `label` is
    /// what a screen reader says instead (the secret is also on the page as text).
    public func svg(label: String, size: Int = 232) -> String {
        let side = width + 8
        var path = ""
        for y in 0..<width {
            var x = 0
            while x < width {
                guard isDark(x: x, y: y) else { x += 1; continue }
                var run = 1
                while x + run < width, isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + 4) \(y + 4)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let escaped = label.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
        return """
        <svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="\(escaped)" width="\(size)" height="\(size)" \
        viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges"><rect width="\(side)" height="\(side)" fill="#fff"/>\
        <path d="\(path)" fill="#000"/></svg>
        """
    }
}
