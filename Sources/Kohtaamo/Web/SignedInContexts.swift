import Hummingbird

/// The context of a route only signed-in staff may use: made from the
/// request's context before the handler runs, or 401 (the sign-in page).
/// Routes are put in a group of this context (`router.group(path, context: StaffContext.self)`),
/// so their handlers cannot be written without the person they act for.
public struct StaffContext: ChildRequestContext, PageContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in staff member.
    public let staff: StaffPrincipal
    public let language: Language
    public let member: MemberPrincipal?
    public let csrf: CSRFToken
    public var principal: StaffPrincipal? { staff }
    public var maxUploadSize: Int { 64 * 1024 }

    public init(context: AppRequestContext) throws {
        guard let staff = context.principal else { throw AppError.unauthorized }
        (coreContext, self.staff, language, member, csrf) = (context.coreContext, staff, context.language, context.member, context.csrf)
    }
}

/// Coordinator pages: coordinators and network coordinators only; 401 when
/// no one is signed in, 403 for other staff.
public struct CoordinatorContext: ChildRequestContext, PageContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in coordinator (their role can administer).
    public let staff: StaffPrincipal
    public let language: Language
    public let member: MemberPrincipal?
    public let csrf: CSRFToken
    public var principal: StaffPrincipal? { staff }
    public var maxUploadSize: Int { 64 * 1024 }

    public init(context: AppRequestContext) throws {
        guard let staff = context.principal else { throw AppError.unauthorized }
        guard staff.role.canAdminister else { throw AppError.forbidden }
        (coreContext, self.staff, language, member, csrf) = (context.coreContext, staff, context.language, context.member, context.csrf)
    }
}

/// Pages of a signed-in registered client; 401 (the sign-in page) otherwise.
public struct MemberContext: ChildRequestContext, PageContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in registered client.
    public let signedInMember: MemberPrincipal
    public let language: Language
    public let principal: StaffPrincipal?
    public let csrf: CSRFToken
    public var member: MemberPrincipal? { signedInMember }
    public var maxUploadSize: Int { 64 * 1024 }

    public init(context: AppRequestContext) throws {
        guard let member = context.member else { throw AppError.memberUnauthorized }
        (coreContext, signedInMember, language, principal, csrf) = (context.coreContext, member, context.language, context.principal, context.csrf)
    }
}
