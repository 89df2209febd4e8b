import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt runs on threads of its own. On the shared `NIOThreadPool.singleton`
/// (two threads on two cores) it sat in front of SQLite's queries, which
/// run there too: a few sign-ins at once (cost 12 is about a quarter of a
/// second each) stalled every page's reads, and with the CPU starved the
/// database's connection requests waited past their 10 s and failed
/// (seen: `ConnectionPoolTimeoutError` on `/signin`, a 500, with the suite
/// and three busy loops on this machine). Here a burst of sign-ins queues
/// behind itself and nothing else waits for it.
enum PasswordHashing {
    /// One thread per two cores, at least one: hashing never takes every core.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        pool.start()
        return pool
    }()

    /// Checked against when there is no hash (an unknown email), so the
    /// answer takes as long as for a known one. A lazy static: it is made
    /// once, on the hashing thread that first needs it.
    private static let dummyHash = Bcrypt.hash("not-a-password-kohtaamo", cost: 12)

    static func hash(_ password: String, cost: UInt8) async throws -> String {
        try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks `password` against `hash`, or against the dummy hash when it is nil.
    static func verify(_ password: String, hash: String?) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash ?? dummyHash) }
    }
}
