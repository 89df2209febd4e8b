import KohtaamoBase

/// Reads the frames clients send nearly always, a flat JSON object such as
/// `{"t":"send","c":"…","id":"…","body":"…"}`, without Foundation's
/// JSONDecoder, which was the largest part of the server's own work on a
/// received message after the commit (docs/benchmarks.md, issue 23 target 5).
///
/// It takes only what it can read exactly as JSONDecoder reads it: an object
/// whose members are the known keys, each once, with a string where a
/// string belongs (`t`, `c`, `id`, `body`, `to`) and a non-negative integer
/// where a number belongs (`after`, `seq`). For anything else (another key,
/// a repeated one, a float, a negative or huge number, null, a nested value,
/// a surrogate escape, malformed JSON) it answers nil and `FrameParser`
/// decodes the frame as before, so every refusal keeps its code.
enum FrameScanner {
    /// The frame's fields, or nil: not the simple shape, let the decoder decide.
    /// `bytes` are valid UTF-8 (the parser checks that first).
    static func fields(_ bytes: [UInt8]) -> Fields? {
        bytes.withUnsafeBufferPointer { scan($0) }
    }

    private static func scan(_ b: UnsafeBufferPointer<UInt8>) -> Fields? {
        var i = 0
        let n = b.count
        func skipSpace() {
            while i < n, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }
        skipSpace()
        guard i < n, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var fields = Fields()
        var seen: UInt8 = 0
        skipSpace()
        if i < n, b[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard let key = readKey(b, &i) else { return nil }
                // Each key once: which of two repeated ones a decoder keeps is its own business.
                guard seen & key.bit == 0 else { return nil }
                seen |= key.bit
                skipSpace()
                guard i < n, b[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipSpace()
                if key.isNumber {
                    guard let value = readInteger(b, &i) else { return nil }
                    if key == .after { fields.after = Lenient(value) } else { fields.seq = Lenient(value) }
                } else {
                    guard let value = readString(b, &i) else { return nil }
                    switch key {
                    case .t: fields.t = Lenient(value)
                    case .c: fields.c = Lenient(value)
                    case .id: fields.id = Lenient(value)
                    case .body: fields.body = Lenient(value)
                    default: fields.to = Lenient(value)
                    }
                }
                skipSpace()
                guard i < n else { return nil }
                if b[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard b[i] == UInt8(ascii: "}") else { return nil }
                i += 1
                break
            }
        }
        skipSpace()
        return i == n ? fields : nil
    }

    private enum Key: UInt8 {
        case t, c, id, body, after, seq, to
        var bit: UInt8 { 1 << rawValue }
        var isNumber: Bool { self == .after || self == .seq }
    }

    /// A member's name, if it is one of the known keys written plainly.
    private static func readKey(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Key? {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        var end = start
        while end < b.count, b[end] != UInt8(ascii: "\"") {
            guard b[end] != UInt8(ascii: "\\") else { return nil }
            end += 1
        }
        guard end < b.count else { return nil }
        i = end + 1
        let name = UnsafeBufferPointer(rebasing: b[start..<end])
        switch name.count {
        case 1: return name[0] == UInt8(ascii: "t") ? .t : name[0] == UInt8(ascii: "c") ? .c : nil
        case 2: return name.elementsEqual("id".utf8) ? .id : name.elementsEqual("to".utf8) ? .to : nil
        case 3: return name.elementsEqual("seq".utf8) ? .seq : nil
        case 4: return name.elementsEqual("body".utf8) ? .body : nil
        case 5: return name.elementsEqual("after".utf8) ? .after : nil
        default: return nil
        }
    }

    /// 0 or a non-negative integer of at most 18 digits (so it fits an Int64), ending the value.
    private static func readInteger(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
            // A leading zero is not JSON ("01"); "0" alone is.
            if digits == 1, value == 0 { return nil }
            guard digits < 18 else { return nil }
            value = value * 10 + Int64(b[i] - UInt8(ascii: "0"))
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        // A fraction or exponent is the decoder's to judge.
        if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") { return nil }
        return value
    }

    /// A JSON string with its escapes undone; nil for a control character
    /// in it, a bad escape or any surrogate escape (`\ud83d\ude00` and the
    /// like are left to the decoder: rare, and easy to get subtly wrong).
    private static func readString(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> String? {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        var end = start
        var escaped = false
        while end < b.count {
            let byte = b[end]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                end += 2
            } else {
                end += 1
            }
        }
        guard end < b.count else { return nil }
        i = end + 1
        let raw = UnsafeBufferPointer(rebasing: b[start..<end])
        if !escaped { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            let byte = raw[k]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                k += 1
                continue
            }
            guard k + 1 < raw.count else { return nil }
            switch raw[k + 1] {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard k + 6 <= raw.count else { return nil }
                var scalar: UInt32 = 0
                for h in raw[(k + 2)..<(k + 6)] {
                    guard let v = h.hexDigitValue else { return nil }
                    scalar = scalar << 4 | UInt32(v)
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }  // a surrogate
                out.append(contentsOf: UTF8.encode(u)!)
                k += 6
                continue
            default:
                return nil
            }
            k += 2
        }
        return String(decoding: out, as: UTF8.self)
    }
}
