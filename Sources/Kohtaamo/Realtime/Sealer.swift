@preconcurrency import Crypto
import Foundation
import NIOConcurrencyHelpers

/// Message bodies are stored sealed (AES-GCM). Each conversation has its own
/// data key, stored wrapped by the server's master key; erasing the key
/// row makes the conversation unreadable everywhere, backups included.
public final class Sealer: @unchecked Sendable {  // immutable but for `keys`, which a lock guards
    let master: SymmetricKey
    /// A short fingerprint of the master key, stored beside every wrapped key.
    public let masterKeyID: String
    private let keys = NIOLockedValueBox<[UUID: SymmetricKey]>([:])

    public init(masterKey: SymmetricKey) {
        master = masterKey
        masterKeyID = masterKey.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    public enum Failure: Error, CustomStringConvertible {
        case badKeyFile(String)
        case cannotOpen
        public var description: String {
            switch self {
            case .badKeyFile(let why): why
            case .cannotOpen: "a sealed value could not be opened: wrong master key or damaged data"
            }
        }
    }

    /// Reads the 32-byte master key (base64) from `path`; with `create`, makes
    /// one (mode 0600) when the file does not exist. Returns whether it was made.
    public static func loadMasterKey(path: String, create: Bool) throws -> (key: SymmetricKey, created: Bool) {
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
              let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw Failure.badKeyFile("master key file \(path) does not hold a base64 32-byte key")
        }
        return (SymmetricKey(data: data), false)
    }

    /// A new data key and its wrapped form for storage.
    public func newDataKey() throws -> (key: SymmetricKey, wrapped: Data) {
        let key = SymmetricKey(size: .bits256)
        let wrapped = try AES.GCM.seal(key.withUnsafeBytes { Data($0) }, using: master).combined!
        return (key, wrapped)
    }

    public func unwrap(_ wrapped: Data) throws -> SymmetricKey {
        guard let box = try? AES.GCM.SealedBox(combined: wrapped), let raw = try? AES.GCM.open(box, using: master) else {
            throw Failure.cannotOpen
        }
        return SymmetricKey(data: raw)
    }

    /// Re-wraps a wrapped data key under another master key (key rotation).
    public func rewrap(_ wrapped: Data, for other: Sealer) throws -> Data {
        let key = try unwrap(wrapped)
        return try AES.GCM.seal(key.withUnsafeBytes { Data($0) }, using: other.master).combined!
    }

    public func cachedKey(_ conversation: UUID) -> SymmetricKey? { keys.withLockedValue { $0[conversation] } }
    public func remember(_ key: SymmetricKey, for conversation: UUID) {
        keys.withLockedValue { cache in
            if cache.count > 50_000 { cache.removeAll(keepingCapacity: true) }  // a bound, not an LRU: misses only cost an unwrap
            cache[conversation] = key
        }
    }
    public func forget(_ conversation: UUID) { _ = keys.withLockedValue { $0.removeValue(forKey: conversation) } }

    /// Seals a body, bound to its place (conversation and seq) so a row
    /// cannot be moved elsewhere and still open.
    public func seal(_ body: String, key: SymmetricKey, conversation: UUID, seq: Int64) throws -> Data {
        try AES.GCM.seal(Data(body.utf8), using: key, authenticating: Self.place(conversation, seq)).combined!
    }

    public func open(_ sealed: Data, key: SymmetricKey, conversation: UUID, seq: Int64) throws -> String {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let data = try? AES.GCM.open(box, using: key, authenticating: Self.place(conversation, seq)) else { throw Failure.cannotOpen }
        return String(decoding: data, as: UTF8.self)
    }

    static func place(_ conversation: UUID, _ seq: Int64) -> Data { Data("\(conversation.uuidString):\(seq)".utf8) }
}
