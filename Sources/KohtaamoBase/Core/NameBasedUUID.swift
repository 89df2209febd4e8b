import Crypto
import Foundation

extension UUID {
    /// A name-based UUID (RFC 9562 version 5: SHA-1 of the namespace and the
    /// name): the same namespace and name give the same id on every server
    /// and every day, so things that are not stored as rows of their own (a
    /// help point's location in HSDS, a theme as a taxonomy term) keep one id.
    package init(name: String, in namespace: UUID) {
        var hash = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hash.update(bufferPointer: $0) }
        hash.update(data: Data(name.utf8))
        var b = Array(hash.finalize().prefix(16))
        b[6] = (b[6] & 0x0F) | 0x50
        b[8] = (b[8] & 0x3F) | 0x80
        self.init(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
