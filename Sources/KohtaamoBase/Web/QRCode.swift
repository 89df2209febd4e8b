import Foundation

/// A QR code made on the server, drawn as inline SVG: no image service sees
/// the secret it carries, and it scales without blur. The encoder below is
/// ours (ISO/IEC 18004, model 2, byte mode), so no C library is needed.
package struct QRCode: Sendable {
    /// Modules per side, without the quiet zone.
    package let width: Int
    /// Row by row, true for a dark module.
    package let modules: [Bool]

    /// At least medium error correction (15 %): enough for a phone camera on a
    /// screen. Nil when the UTF-8 text is too long even for version 40.
    package init?(_ text: String) {
        guard let symbol = QREncoder.encode(Array(text.utf8)) else { return nil }
        width = symbol.size
        modules = symbol.modules
    }

    package func isDark(x: Int, y: Int) -> Bool { modules[y * width + x] }

    /// One path of unit squares inside a 4-module quiet zone; `label` is
    /// what a screen reader says instead (the secret is also on the page as text).
    package func svg(label: String, size: Int = 232) -> String {
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

// MARK: - Encoder

/// The four error-correction levels; the raw value indexes `QRTables`.
enum QRErrorCorrection: Int, CaseIterable, Sendable {
    case low, medium, quartile, high

    /// The two bits the format information uses (not in the order of strength).
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }
}

/// One finished symbol, with what was chosen for it (the tests look at those).
struct QRSymbol: Sendable {
    let version: Int
    let level: QRErrorCorrection
    let mask: Int
    let size: Int
    let modules: [Bool]
}

enum QREncoder {
    /// Encodes `data` in byte mode in the smallest version that holds it at
    /// `minimumLevel`, then raises the level as far as that version still allows
    /// (a free gain in robustness, as common encoders do). `mask` forces a data
    /// mask instead of the lowest-penalty one (for tests).
    static func encode(
        _ data: [UInt8], minimumLevel: QRErrorCorrection = .medium, boostLevel: Bool = true, mask forcedMask: Int? = nil
    ) -> QRSymbol? {
        func fits(_ version: Int, _ level: QRErrorCorrection) -> Bool {
            bitsNeeded(data.count, version: version) <= dataCodewords(version: version, level: level) * 8
        }
        guard let version = (1...40).first(where: { fits($0, minimumLevel) }) else { return nil }
        var level = minimumLevel
        if boostLevel {
            for higher in QRErrorCorrection.allCases where higher.rawValue > level.rawValue && fits(version, higher) {
                level = higher
            }
        }
        let padded = paddedData(data, version: version, level: level)
        let codewords = interleaved(addErrorCorrection(to: padded, version: version, level: level))

        var matrix = QRMatrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.placeCodewords(codewords)

        // Each mask is tried on a copy with its own format information, since
        // those modules count in the penalty too.
        let masks = forcedMask.map { [$0] } ?? Array(0..<8)
        var best = matrix
        var bestMask = masks[0]
        var bestPenalty = Int.max
        for mask in masks {
            var candidate = matrix
            candidate.applyMask(mask)
            candidate.drawFormatBits(level: level, mask: mask)
            let penalty = candidate.penalty()
            // Strictly lower: on a tie the lower-numbered mask stays.
            if penalty < bestPenalty { best = candidate; bestMask = mask; bestPenalty = penalty }
        }
        return QRSymbol(version: version, level: level, mask: bestMask, size: best.size, modules: best.dark)
    }

    // MARK: Capacity

    /// Mode indicator (4 bits), character count, then 8 bits a byte. The count
    /// field grows from 8 to 16 bits at version 10.
    static func bitsNeeded(_ byteCount: Int, version: Int) -> Int {
        4 + (version <= 9 ? 8 : 16) + 8 * byteCount
    }

    /// Modules left for codewords once the function patterns are drawn; the
    /// tests check this count against the drawn matrix for every version.
    static func rawDataModules(version: Int) -> Int {
        let size = 17 + 4 * version
        var count = size * size
        count -= 3 * 64  // three finders with their separators (8×8 each)
        count -= 2 * (size - 16)  // the timing row and column between the separators
        count -= 2 * 15 + 1  // two copies of the format information, and the dark module
        let n = QRTables.alignmentPositions[version].count
        if n > 0 {
            // n² patterns of 25 modules, less the 3 under finders; those on
            // row or column 6 share 5 modules with a timing pattern.
            count -= (n * n - 3) * 25 - 2 * (n - 2) * 5
        }
        if version >= 7 { count -= 2 * 18 }  // two copies of the version information
        return count
    }

    /// All codewords, data and error correction; leftover modules (0–7) stay light.
    static func totalCodewords(version: Int) -> Int { rawDataModules(version: version) / 8 }

    static func dataCodewords(version: Int, level: QRErrorCorrection) -> Int {
        totalCodewords(version: version)
            - QRTables.ecCodewordsPerBlock[level.rawValue][version] * QRTables.blockCount[level.rawValue][version]
    }

    // MARK: Data codewords

    /// The bit stream of one byte-mode segment, terminated and padded to the
    /// version's data capacity.
    static func paddedData(_ data: [UInt8], version: Int, level: QRErrorCorrection) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)  // byte mode
        bits.append(data.count, count: version <= 9 ? 8 : 16)
        for byte in data { bits.append(Int(byte), count: 8) }
        let capacity = dataCodewords(version: version, level: level) * 8
        bits.append(0, count: min(4, capacity - bits.count))  // terminator, shortened if no room
        bits.append(0, count: (8 - bits.count % 8) % 8)  // to a byte boundary
        var codewords = bits.bytes
        // The spec's pad bytes, alternating, fill what is left.
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    // MARK: Error correction

    /// Splits the data codewords into the version's blocks, each followed by
    /// its Reed–Solomon codewords. Short blocks come first; the long ones hold
    /// one data codeword more.
    static func addErrorCorrection(to data: [UInt8], version: Int, level: QRErrorCorrection) -> [(data: [UInt8], ec: [UInt8])] {
        let blocks = QRTables.blockCount[level.rawValue][version]
        let ecLength = QRTables.ecCodewordsPerBlock[level.rawValue][version]
        let longBlocks = data.count % blocks
        let shortLength = data.count / blocks
        let generator = ReedSolomon.generator(degree: ecLength)
        var result: [(data: [UInt8], ec: [UInt8])] = []
        var start = 0
        for index in 0..<blocks {
            let length = shortLength + (index >= blocks - longBlocks ? 1 : 0)
            let block = Array(data[start..<start + length])
            result.append((block, ReedSolomon.remainder(of: block, generator: generator)))
            start += length
        }
        return result
    }

    /// Interleaves the blocks so that a burst of damage spreads over several
    /// of them: the i-th data codeword of every block in turn (the short blocks
    /// simply run out one early), then the error-correction codewords likewise.
    static func interleaved(_ blocks: [(data: [UInt8], ec: [UInt8])]) -> [UInt8] {
        var result: [UInt8] = []
        let longest = blocks.map(\.data.count).max() ?? 0
        for i in 0..<longest {
            for block in blocks where i < block.data.count { result.append(block.data[i]) }
        }
        let ecLength = blocks.first?.ec.count ?? 0
        for i in 0..<ecLength {
            for block in blocks { result.append(block.ec[i]) }
        }
        return result
    }
}

/// Bits appended most significant first, read back as bytes.
struct BitBuffer {
    private(set) var count = 0
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: Int, count length: Int) {
        for shift in stride(from: length - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[count / 8] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

/// Reed–Solomon over GF(256) with the QR code's field polynomial
/// x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator roots α⁰…α^(n−1).
enum ReedSolomon {
    /// α^i for i in 0..<255, and back; multiplication becomes addition of logs.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 255)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[(log[Int(a)] + log[Int(b)]) % 255]
    }

    /// Coefficients of (x − α⁰)(x − α¹)…(x − α^(degree−1)), highest power first,
    /// the leading 1 left out (it is implied in the division below).
    static func generator(degree: Int) -> [UInt8] {
        var poly: [UInt8] = [1]
        for i in 0..<degree {
            // Multiply by (x + αⁱ); in GF(2^8) minus is plus.
            var next = [UInt8](repeating: 0, count: poly.count + 1)
            for (j, coefficient) in poly.enumerated() {
                next[j] ^= coefficient
                next[j + 1] ^= multiply(coefficient, exp[i])
            }
            poly = next
        }
        return Array(poly.dropFirst())
    }

    /// The remainder of data·x^n divided by the generator: the n check codewords.
    static func remainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var remainder = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for j in 0..<generator.count { remainder[j] ^= multiply(generator[j], factor) }
        }
        return remainder
    }
}

/// The module grid while it is being built: colours, and which modules belong
/// to function patterns (never masked, never holding data).
struct QRMatrix {
    let version: Int
    let size: Int
    var dark: [Bool]
    var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        dark = [Bool](repeating: false, count: size * size)
        isFunction = [Bool](repeating: false, count: size * size)
    }

    subscript(x: Int, y: Int) -> Bool {
        get { dark[y * size + x] }
        set { dark[y * size + x] = newValue }
    }

    private mutating func setFunction(_ x: Int, _ y: Int, _ isDark: Bool) {
        dark[y * size + x] = isDark
        isFunction[y * size + x] = true
    }

    // MARK: Function patterns

    mutating func drawFunctionPatterns() {
        // Timing patterns first: the finders and alignment patterns drawn after
        // overwrite their ends, which is where the spec has them stop.
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        drawFinder(centerX: 3, centerY: 3)
        drawFinder(centerX: size - 4, centerY: 3)
        drawFinder(centerX: 3, centerY: size - 4)

        let positions = QRTables.alignmentPositions[version]
        for (i, x) in positions.enumerated() {
            for (j, y) in positions.enumerated() {
                let last = positions.count - 1
                // Skip the three corners that the finders occupy.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                drawAlignment(centerX: x, centerY: y)
            }
        }

        // Reserve the format areas now (the bits depend on the mask, drawn
        // later); this also sets the dark module.
        drawFormatBits(level: .medium, mask: 0)
        drawVersionBits()
    }

    /// 7×7 finder (dark ring, light ring, dark 3×3 core) with its light
    /// separator; the parts of the 9×9 that fall outside the symbol are cut off.
    private mutating func drawFinder(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx, y = centerY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))  // 0 centre … 4 separator
                setFunction(x, y, ring != 2 && ring != 4)
            }
        }
    }

    /// 5×5: dark ring, light ring, dark centre.
    private mutating func drawAlignment(centerX: Int, centerY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(centerX + dx, centerY + dy, max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// 15 bits: level and mask (5 bits), BCH(15,5) check bits with generator
    /// 0x537, XORed with 0x5412 so that the result is never all light.
    static func formatBits(level: QRErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// Two copies: one around the top-left finder, one split between the
    /// top-right and bottom-left finders. Bit 0 is the least significant.
    mutating func drawFormatBits(level: QRErrorCorrection, mask: Int) {
        let bits = Self.formatBits(level: level, mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }

        // Copy 1: down column 8 (skipping the timing row), then left along row 8
        // (skipping the timing column).
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9...14 { setFunction(14 - i, 8, bit(i)) }

        // Copy 2: bits 0–7 along row 8 from the right edge, bits 8–14 down
        // column 8 to the bottom edge.
        for i in 0...7 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8...14 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)  // the dark module, always dark
    }

    /// Versions 7 and up: the version number (6 bits) and BCH(18,6) check
    /// bits with generator 0x1F25, in a 6×3 block by the top-right finder and
    /// its transpose by the bottom-left one.
    mutating func drawVersionBits() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for i in 0..<18 {
            let isDark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            setFunction(a, b, isDark)
            setFunction(b, a, isDark)
        }
    }

    // MARK: Data

    /// Codewords go most significant bit first, in two-module-wide columns from
    /// the right edge, alternately upward and downward, right module before
    /// left, skipping function modules and the vertical timing column entirely.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var index = 0
        var right = size - 1
        var upward = true
        while right >= 1 {
            if right == 6 { right = 5 }
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] {
                    if index < totalBits {
                        self[x, y] = (codewords[index / 8] >> (7 - index % 8)) & 1 == 1
                        index += 1
                    }
                    // Remainder modules past the last codeword stay light.
                }
            }
            upward.toggle()
            right -= 2
        }
    }

    /// Whether data mask `mask` inverts the module in column x, row y.
    static func maskInverts(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (y / 2 + x / 3) % 2 == 0
        case 5: (x * y) % 2 + (x * y) % 3 == 0
        case 6: ((x * y) % 2 + (x * y) % 3) % 2 == 0
        default: ((x + y) % 2 + (x * y) % 3) % 2 == 0
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskInverts(mask, x: x, y: y) {
                self[x, y].toggle()
            }
        }
    }

    // MARK: Penalty

    /// The four penalty rules of the spec; the mask with the lowest total wins.
    func penalty() -> Int {
        var total = 0
        // N1 (runs) and N3 (finder-like patterns), on every row and every column.
        for i in 0..<size {
            let row = (0..<size).map { self[$0, i] }
            let column = (0..<size).map { self[i, $0] }
            total += Self.runPenalty(row) + Self.finderLikePenalty(row)
            total += Self.runPenalty(column) + Self.finderLikePenalty(column)
        }
        // N2: every 2×2 block of one colour (overlapping blocks each count).
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let c = self[x, y]
                if c == self[x + 1, y], c == self[x, y + 1], c == self[x + 1, y + 1] { total += 3 }
            }
        }
        // N4: 10 for each full 5 % that the dark share is away from 50 %.
        let darkCount = dark.filter { $0 }.count
        let cells = size * size
        total += 10 * (abs(20 * darkCount - 10 * cells) / cells)
        return total
    }

    /// N1: 3 for a run of five modules of one colour, plus 1 for each further one.
    static func runPenalty(_ line: [Bool]) -> Int {
        var total = 0
        var run = 1
        for i in 1...line.count {
            if i < line.count, line[i] == line[i - 1] {
                run += 1
            } else {
                if run >= 5 { total += 3 + (run - 5) }
                run = 1
            }
        }
        return total
    }

    /// N3: 40 for each dark-light-dark×3-light-dark (1:1:3:1:1) with four light
    /// modules on at least one side; outside the symbol counts as light, as the
    /// quiet zone is.
    static func finderLikePenalty(_ line: [Bool]) -> Int {
        let pattern = [true, false, true, true, true, false, true]
        func isLight(_ range: Range<Int>) -> Bool { range.allSatisfy { $0 < 0 || $0 >= line.count || !line[$0] } }
        var total = 0
        for start in 0...(line.count - pattern.count) where (0..<pattern.count).allSatisfy({ line[start + $0] == pattern[$0] }) {
            if isLight(start - 4..<start) || isLight(start + 7..<start + 11) { total += 40 }
        }
        return total
    }
}
