import Hummingbird
import struct Foundation.UUID
import NIOConcurrencyHelpers
import KohtaamoBase
import Networks
import Accounts

/// Finds the signed-in staff member from the session cookie and puts them in
/// the context, with the network of their organisation.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "k_session"
    let accounts: AccountService
    let members: MemberService
    let network: any NetworkRepository
    /// Organisations never change network, so their network id can be kept.
    let networkOf = NIOLockedValueBox<[UUID: UUID]>([:])

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[MemberService.cookieName]?.value, !token.isEmpty,
           let (session, member) = try await members.session(token: token) {
            context.member = MemberPrincipal(memberID: member.id, sessionID: session, nickname: member.nickname)
        }
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.count < 200,
              let (sessionID, staff) = try await accounts.session(token: token) else {
            return try await next(request, context)
        }
        var networkID = networkOf.withLockedValue { $0[staff.organisationID] }
        if networkID == nil, let org = try await network.organisation(id: staff.organisationID) {
            networkID = org.networkID
            networkOf.withLockedValue { $0[org.id] = org.networkID }
        }
        guard let networkID else { return try await next(request, context) }
        context.principal = StaffPrincipal(staffID: staff.id, sessionID: sessionID, email: staff.email, role: staff.role,
                                           organisationID: staff.organisationID, networkID: networkID, workName: staff.workName)
        return try await next(request, context)
    }
}
