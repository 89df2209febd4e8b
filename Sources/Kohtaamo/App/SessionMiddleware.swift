import Accounts
import Chat
import Hummingbird
import KohtaamoBase
import NIOConcurrencyHelpers
import Networks

import struct Foundation.UUID

/// The one place the sign-in cookies are read: finds the signed-in staff
/// member (with the network of their organisation), the signed-in registered
/// client and the anonymous client of a request, and puts them in the context.
/// The socket's upgrade, which has no context, asks `find` the same.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "k_session"
    let accounts: AccountService
    let members: MemberService
    let network: any NetworkRepository
    let chats: SupportChatService
    /// Organisations never change network, so their network id can be kept.
    let networkOf = NIOLockedValueBox<[UUID: UUID]>([:])

    /// Who a request's cookies name.
    struct Found {
        var staff: (sessionID: UUID, staff: StaffRecord)?
        var member: (sessionID: UUID, member: MemberRecord)?
        var anonymousClient: UUID?
    }

    func find(_ request: Request) async throws -> Found {
        var found = Found()
        if let token = request.cookies[MemberService.cookieName]?.value, !token.isEmpty {
            found.member = try await members.session(token: token)
        }
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.count < 200 {
            found.staff = try await accounts.session(token: token)
        }
        found.anonymousClient = try await chats.client(token: request.cookies[ChatFeature.clientCookie]?.value)
        return found
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let found = try await find(request)
        context.anonymousClient = found.anonymousClient
        if let (session, member) = found.member {
            context.member = MemberPrincipal(memberID: member.id, sessionID: session, nickname: member.nickname)
        }
        guard let (sessionID, staff) = found.staff else {
            return try await next(request, context)
        }
        var networkID = networkOf.withLockedValue { $0[staff.organisationID] }
        if networkID == nil, let org = try await network.organisation(id: staff.organisationID) {
            networkID = org.networkID
            networkOf.withLockedValue { $0[org.id] = org.networkID }
        }
        guard let networkID else { return try await next(request, context) }
        context.principal = StaffPrincipal(
            staffID: staff.id, sessionID: sessionID, email: staff.email, role: staff.role,
            organisationID: staff.organisationID, networkID: networkID, workName: staff.workName)
        return try await next(request, context)
    }
}
