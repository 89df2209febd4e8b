import Hummingbird

/// The context of a route only signed-in staff may use: made from the
/// request's context before the handler runs, or 401 (the sign-in page).
/// Routes are put in a group of this context (`router.group(path, context: StaffContext.self)`),
/// so their handlers cannot be written without the person they act for.
package struct StaffContext: ChildRequestContext, PageContext {
    package var coreContext: CoreRequestContextStorage
    /// The signed-in staff member.
    package let staff: StaffPrincipal
    package let language: Language
    package let member: MemberPrincipal?
    package let csrf: CSRFToken
    package var principal: StaffPrincipal? { staff }

    package init(context: AppRequestContext) throws {
        guard let staff = context.principal else { throw AppError.unauthorized }
        (coreContext, self.staff, language, member, csrf) = (context.coreContext, staff, context.language, context.member, context.csrf)
    }
}

/// Coordinator pages: coordinators and network coordinators only; 401 when
/// no one is signed in, 403 for other staff.
package struct CoordinatorContext: ChildRequestContext, PageContext {
    package var coreContext: CoreRequestContextStorage
    /// The signed-in coordinator (their role can administer).
    package let staff: StaffPrincipal
    package let language: Language
    package let member: MemberPrincipal?
    package let csrf: CSRFToken
    package var principal: StaffPrincipal? { staff }

    package init(context: AppRequestContext) throws {
        guard let staff = context.principal else { throw AppError.unauthorized }
        guard staff.role.canAdminister else { throw AppError.forbidden }
        (coreContext, self.staff, language, member, csrf) = (context.coreContext, staff, context.language, context.member, context.csrf)
    }
}

/// Pages of a signed-in registered client; 401 (the sign-in page) otherwise.
package struct MemberContext: ChildRequestContext, PageContext {
    package var coreContext: CoreRequestContextStorage
    /// The signed-in registered client.
    package let signedInMember: MemberPrincipal
    package let language: Language
    package let principal: StaffPrincipal?
    package let csrf: CSRFToken
    package var member: MemberPrincipal? { signedInMember }

    package init(context: AppRequestContext) throws {
        guard let member = context.member else { throw AppError.memberUnauthorized }
        (coreContext, signedInMember, language, principal, csrf) = (context.coreContext, member, context.language, context.principal, context.csrf)
    }
}
