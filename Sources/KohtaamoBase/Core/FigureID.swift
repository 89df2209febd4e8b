import Foundation

/// A UUID read back from a list the database gathered ("3f…,a1…", any
/// case, dashes or not). A year's clients of a network are tens of
/// thousands of ids in a few long texts: read as two numbers each, they
/// are hashed and compared fast, and exactly (no two ids share one).
package struct FigureID: Hashable, Sendable {
    package var high: UInt64
    package var low: UInt64

    /// The ids of a comma-separated list; an item that is not 32 hex
    /// digits (dashes aside) is left out.
    package static func list(_ text: String?) -> [FigureID] {
        guard let text, !text.isEmpty else { return [] }
        var out: [FigureID] = []
        var (high, low, digits, bad) = (UInt64(0), UInt64(0), 0, false)
        func finish() {
            if digits == 32, !bad { out.append(FigureID(high: high, low: low)) }
            (high, low, digits, bad) = (0, 0, 0, false)
        }
        for byte in text.utf8 {
            if byte == UInt8(ascii: ",") {
                finish()
                continue
            }
            if byte == UInt8(ascii: "-") { continue }
            guard let value = byte.hexDigitValue else {
                bad = true
                continue
            }
            high = high << 4 | low >> 60
            low = low << 4 | UInt64(value)
            digits += 1
        }
        finish()
        return out
    }

    /// The id as the product writes it (lowercase, with dashes).
    package var text: String {
        var bytes: [UInt8] = []
        for word in [high, low] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        let uuid = bytes.withUnsafeBufferPointer { b in
            UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
        return uuid.uuidString.lowercased()
    }
}
