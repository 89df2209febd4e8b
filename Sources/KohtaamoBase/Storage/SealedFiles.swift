@preconcurrency import Crypto
import Foundation

/// The one way a stored file is sealed: its bytes and its name each sealed
/// (AES-GCM) with a data key and bound to where they belong (an owner — a
/// conversation, a material — the file's id and which part it is), so a
/// sealed value copied to another row or part does not open. Coaching's
/// conversation files and the material bank's versions both store files
/// through this; only where the key comes from differs (a conversation's key,
/// or a key of the file's own, wrapped by the master key).
package struct SealedFile: Sendable {
    package var name: Data
    package var content: Data

    /// Refuses what no place may store, whatever a caller's policy said:
    /// a bad name, nothing, more than the largest size, or bytes that are
    /// not the kind given.
    package static func check(name: String, kind: FileKind, bytes: Data) throws {
        guard FilePolicy.isValidName(name) else { throw FileRefusal.badName }
        guard !bytes.isEmpty else { throw FileRefusal.empty }
        guard bytes.count <= FilePolicy.largestMaxBytes else { throw FileRefusal.tooLarge }
        guard FileKind.sniff(bytes) == kind else { throw FileRefusal.typeNotAllowed }
    }

    /// What a sealed part of a file is bound to.
    package static func place(owner: UUID, file: UUID, _ part: String) -> Data {
        Data("file:\(owner.uuidString):\(file.uuidString):\(part)".utf8)
    }

    /// Seals the name and the bytes with `key` (checked first).
    package static func seal(
        name: String, kind: FileKind, bytes: Data, key: SymmetricKey, owner: UUID, file: UUID, sealer: Sealer
    ) throws -> SealedFile {
        try check(name: name, kind: kind, bytes: bytes)
        return SealedFile(
            name: try sealer.seal(Data(name.utf8), key: key, place: place(owner: owner, file: file, "name")),
            content: try sealer.seal(bytes, key: key, place: place(owner: owner, file: file, "content")))
    }

    package static func openName(_ sealed: Data, key: SymmetricKey, owner: UUID, file: UUID, sealer: Sealer) throws -> String {
        String(decoding: try sealer.open(sealed, key: key, place: place(owner: owner, file: file, "name")), as: UTF8.self)
    }

    package static func openContent(_ sealed: Data, key: SymmetricKey, owner: UUID, file: UUID, sealer: Sealer) throws -> Data {
        try sealer.open(sealed, key: key, place: place(owner: owner, file: file, "content"))
    }
}

/// A file sealed under a data key of its own, stored wrapped by the master
/// key beside it (`wrapped`, `masterKeyID`): for files that belong to no
/// conversation. Rotating the master key re-wraps the key, not the file.
package struct OwnKeySealedFile: Sendable {
    package var sealed: SealedFile
    package var wrappedKey: Data
    package var masterKeyID: String

    package static func seal(name: String, kind: FileKind, bytes: Data, owner: UUID, file: UUID, sealer: Sealer) throws -> OwnKeySealedFile {
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        let sealed = try SealedFile.seal(name: name, kind: kind, bytes: bytes, key: key, owner: owner, file: file, sealer: sealer)
        return OwnKeySealedFile(sealed: sealed, wrappedKey: wrapped, masterKeyID: masterKeyID)
    }

    package static func openName(_ sealed: Data, wrappedKey: Data, owner: UUID, file: UUID, sealer: Sealer) throws -> String {
        try SealedFile.openName(sealed, key: try sealer.unwrap(wrappedKey), owner: owner, file: file, sealer: sealer)
    }

    package static func openContent(_ sealed: Data, wrappedKey: Data, owner: UUID, file: UUID, sealer: Sealer) throws -> Data {
        try SealedFile.openContent(sealed, key: try sealer.unwrap(wrappedKey), owner: owner, file: file, sealer: sealer)
    }
}
