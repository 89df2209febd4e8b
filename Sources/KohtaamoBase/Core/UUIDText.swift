import Foundation

extension UUID {
    private static let lowerDigits = Array("0123456789abcdef".utf8)
    private static let upperDigits = Array("0123456789ABCDEF".utf8)

    /// The 36-character text of the id, lowercase as in the socket's frames,
    /// or uppercase as SQLiteKit stores a UUID (`uuidString`). Written here
    /// because Foundation formats it with sprintf, and every message puts
    /// several ids in its frames and its row.
    package func text(uppercase: Bool = false) -> String {
        let digits = uppercase ? Self.upperDigits : Self.lowerDigits
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var i = 0
                for (n, byte) in bytes.enumerated() {
                    if n == 4 || n == 6 || n == 8 || n == 10 {
                        out[i] = UInt8(ascii: "-")
                        i += 1
                    }
                    out[i] = digits[Int(byte >> 4)]
                    out[i + 1] = digits[Int(byte & 0x0F)]
                    i += 2
                }
                return i
            }
        }
    }
}

extension UUID {
    /// Reads the 36-character text (8-4-4-4-12 hex digits, either case),
    /// else leaves it to Foundation. Why: Foundation reads it with sscanf,
    /// visible in the send path's profile (two ids in every frame, more in
    /// every row read). Only the canonical form is read here, so whatever
    /// else Foundation accepts or refuses, it still decides. Not generic:
    /// called from other modules, a generic one ran unspecialised.
    package init?(text: String) {
        var text = text
        if let id = text.withUTF8({ Self.canonical($0) }) {
            self = id
        } else if let id = UUID(uuidString: text) {
            self = id
        } else {
            return nil
        }
    }

    private static func canonical(_ utf8: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard utf8.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var n = 0
            var i = 0
            while i < 36 {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard utf8[i] == UInt8(ascii: "-") else { return false }
                    i += 1
                    continue
                }
                guard let high = utf8[i].hexDigitValue, let low = utf8[i + 1].hexDigitValue else { return false }
                out[n] = high << 4 | low
                n += 1
                i += 2
            }
            return true
        }
        return ok ? UUID(uuid: bytes) : nil
    }
}

extension UInt8 {
    /// The value of one hex digit (either case), else nil: the one reading
    /// of hex text (ids, figures' id lists, a frame's `\u` escapes).
    @inlinable package var hexDigitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
