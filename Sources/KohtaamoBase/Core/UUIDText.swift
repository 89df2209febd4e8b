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
