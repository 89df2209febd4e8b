import Hummingbird

/// What a page needs from a request context, whichever role's context it is:
/// the reader's language, who is signed in, and the form-protection token.
public protocol PageContext: RequestContext {
    var language: Language { get }
    var principal: StaffPrincipal? { get }
    var member: MemberPrincipal? { get }
    var csrf: CSRFToken { get }
}
