import Foundation

/// A feature's further rule for `signal` frames. The core relays a signal
/// between two participants of a conversation; a feature that knows more
/// (calls: someone a moderator removed from the call) may refuse it. Asked
/// on every signal frame, so an answer must be cheap (one indexed read).
package protocol SignalGate: Sendable {
    /// The refusal's code (its text is `socket_<code>` in the catalogues), or nil to relay the frame.
    func refusal(from: Identity, to: Identity, conversation: UUID) async throws -> String?
}
