@preconcurrency import Crypto
import Foundation
import NIOConcurrencyHelpers

/// Message bodies are stored sealed (AES-GCM). Each conversation has its own
/// data key, stored wrapped by the server's master key; erasing the key
/// row makes the conversation unreadable everywhere, backups included.
package final class Sealer: @unchecked Sendable {  // mutable state is behind locks
    /// The master keys: the current one wraps new data keys; older ones
    /// (kept after a rotation) still open what they wrapped.
    struct Ring {
        var current: SymmetricKey
        var currentID: String
        var older: [String: SymmetricKey] = [:]
        /// When the key file last changed, to notice a rotation by another process.
        var fileDate: Date?
    }
    private let ring: NIOLockedValueBox<Ring>
    /// The master key file, if the key came from one (reloaded after a rotation).
    package let path: String?
    private let keys = NIOLockedValueBox<[UUID: SymmetricKey]>([:])

    package init(masterKey: SymmetricKey, older: [SymmetricKey] = [], path: String? = nil) {
        self.path = path
        var ring = Ring(current: masterKey, currentID: Self.fingerprint(masterKey))
        for key in older { ring.older[Self.fingerprint(key)] = key }
        ring.fileDate = path.flatMap { Self.modified($0) }
        self.ring = NIOLockedValueBox(ring)
    }

    /// A short fingerprint of a master key, stored beside every wrapped key.
    static func fingerprint(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// The id of the key that wraps new data keys now.
    package var masterKeyID: String {
        reloadIfRotated()
        return ring.withLockedValue { $0.currentID }
    }

    /// Every master key id this server can open.
    package var knownKeyIDs: Set<String> { ring.withLockedValue { Set($0.older.keys).union([$0.currentID]) } }

    /// Loads the key file and the older keys beside it (`<file>.old-<id>`).
    package static func load(path: String, create: Bool) throws -> (sealer: Sealer, created: Bool) {
        let (key, created) = try loadMasterKey(path: path, create: create)
        return (Sealer(masterKey: key, older: olderKeys(beside: path), path: path), created)
    }

    static func olderKeys(beside path: String) -> [SymmetricKey] {
        let url = URL(fileURLWithPath: path)
        let prefix = url.lastPathComponent + ".old-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.compactMap { name in
            try? loadMasterKey(path: url.deletingLastPathComponent().appendingPathComponent(name).path, create: false).key
        }
    }

    /// After `rotate-key` (maybe run by another process) the key file is new:
    /// from then on new data keys are wrapped with it.
    func reloadIfRotated() {
        guard let path, let date = Self.modified(path), date != ring.withLockedValue({ $0.fileDate }) else { return }
        guard let (key, _) = try? Self.loadMasterKey(path: path, create: false) else { return }
        let older = Self.olderKeys(beside: path)
        ring.withLockedValue { r in
            let previous = (r.currentID, r.current)
            r.current = key
            r.currentID = Self.fingerprint(key)
            if previous.0 != r.currentID { r.older[previous.0] = previous.1 }
            for k in older { r.older[Self.fingerprint(k)] = k }
            r.fileDate = date
        }
    }

    package enum Failure: Error, CustomStringConvertible {
        case badKeyFile(String)
        case cannotOpen
        package var description: String {
            switch self {
            case .badKeyFile(let why): why
            case .cannotOpen: "a sealed value could not be opened: wrong master key or damaged data"
            }
        }
    }

    /// Reads the 32-byte master key (base64) from `path`; with `create`, makes
    /// one (mode 0600) when the file does not exist. Returns whether it was made.
    package static func loadMasterKey(path: String, create: Bool) throws -> (key: SymmetricKey, created: Bool) {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            guard create else { throw Failure.badKeyFile("master key file \(path) does not exist") }
            let key = SymmetricKey(size: .bits256)
            let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
            guard fm.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw Failure.badKeyFile("cannot write the master key file \(path)")
            }
            return (key, true)
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32
        else {
            throw Failure.badKeyFile("master key file \(path) does not hold a base64 32-byte key")
        }
        return (SymmetricKey(data: data), false)
    }

    /// A new data key, its wrapped form for storage and the id of the master key that wrapped it.
    package func newDataKey() throws -> (key: SymmetricKey, wrapped: Data, masterKeyID: String) {
        reloadIfRotated()
        let (master, id) = ring.withLockedValue { ($0.current, $0.currentID) }
        let key = SymmetricKey(size: .bits256)
        return (key, try AES.GCM.seal(key.withUnsafeBytes { Data($0) }, using: master).combined!, id)
    }

    /// Opens a wrapped data key with whichever master key wrapped it; looks
    /// at the key file again when none of the known ones does.
    package func unwrap(_ wrapped: Data) throws -> SymmetricKey {
        guard let box = try? AES.GCM.SealedBox(combined: wrapped) else { throw Failure.cannotOpen }
        for attempt in 0..<2 {
            let candidates = ring.withLockedValue { [$0.current] + Array($0.older.values) }
            for master in candidates {
                if let raw = try? AES.GCM.open(box, using: master) { return SymmetricKey(data: raw) }
            }
            if attempt == 0 { reloadIfRotated() }
        }
        throw Failure.cannotOpen
    }

    /// Re-wraps a wrapped data key under the current master key (key rotation).
    package func rewrap(_ wrapped: Data) throws -> (wrapped: Data, masterKeyID: String) {
        let key = try unwrap(wrapped)
        let (master, id) = ring.withLockedValue { ($0.current, $0.currentID) }
        return (try AES.GCM.seal(key.withUnsafeBytes { Data($0) }, using: master).combined!, id)
    }

    package func cachedKey(_ conversation: UUID) -> SymmetricKey? { keys.withLockedValue { $0[conversation] } }
    package func remember(_ key: SymmetricKey, for conversation: UUID) {
        keys.withLockedValue { cache in
            if cache.count > 50_000 { cache.removeAll(keepingCapacity: true) }  // a bound, not an LRU: misses only cost an unwrap
            cache[conversation] = key
        }
    }
    package func forget(_ conversation: UUID) { _ = keys.withLockedValue { $0.removeValue(forKey: conversation) } }

    /// Seals a body, bound to its place (conversation and seq) so a row
    /// cannot be moved elsewhere and still open.
    package func seal(_ body: String, key: SymmetricKey, conversation: UUID, seq: Int64) throws -> Data {
        #if KOHTAAMO_BENCH_PLAINTEXT
        return Data(body.utf8)  // measurement build only (scripts/bench with KOHTAAMO_BENCH_PLAINTEXT=1)
        #else
        try AES.GCM.seal(Data(body.utf8), using: key, authenticating: Self.place(conversation, seq)).combined!
        #endif
    }

    package func open(_ sealed: Data, key: SymmetricKey, conversation: UUID, seq: Int64) throws -> String {
        #if KOHTAAMO_BENCH_PLAINTEXT
        return String(decoding: sealed, as: UTF8.self)
        #endif
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
            let data = try? AES.GCM.open(box, using: key, authenticating: Self.place(conversation, seq))
        else { throw Failure.cannotOpen }
        return String(decoding: data, as: UTF8.self)
    }

    /// "<UUID in capitals>:<seq>", the bytes every stored body was sealed
    /// with (`text(uppercase:)` writes what `uuidString` does, without sprintf).
    package static func place(_ conversation: UUID, _ seq: Int64) -> Data { Data("\(conversation.text(uppercase: true)):\(seq)".utf8) }

    /// Seals bytes (a file, its name), bound to `place` (what it is and where
    /// it belongs), so a sealed value copied to another row does not open.
    package func seal(_ data: Data, key: SymmetricKey, place: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(data, using: key, authenticating: place).combined else { throw Failure.cannotOpen }
        return combined
    }

    /// Opens what `seal(_:key:place:)` sealed with the same key and place.
    package func open(_ sealed: Data, key: SymmetricKey, place: Data) throws -> Data {
        guard let box = try? AES.GCM.SealedBox(combined: sealed), let data = try? AES.GCM.open(box, using: key, authenticating: place) else {
            throw Failure.cannotOpen
        }
        return data
    }
}
