import Hummingbird

/// What a page needs from a request context, whichever role's context it is:
/// the reader's language, who is signed in, and the form-protection token.
package protocol PageContext: RequestContext {
    var language: Language { get }
    var principal: StaffPrincipal? { get }
    var member: MemberPrincipal? { get }
    var csrf: CSRFToken { get }
}

extension PageContext {
    /// Forms and JSON bodies are small: 64 KiB for every role's context
    /// (more answers 413), where Hummingbird's default is 2 MiB.
    package var maxUploadSize: Int { 64 * 1024 }
}
