import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import Accounts
@testable import Booking
@testable import Calls
@testable import Chat
@testable import Coaching
@testable import DigitalSupport
@testable import Finder
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Materials
@testable import Networks
@testable import Reachout

/// Every route of the router (read from the router itself, so a new route
/// cannot be forgotten) and every socket frame, tried by every role against
/// another network's data: all refused, and that data unchanged afterwards.
@Suite struct AuthorisationMatrixTests {
    /// Who may use a route at all. `target` marks routes that name someone
    /// else's data in the path or body: nobody here may reach it.
    enum Level { case everyone, client, staff, admin }
    struct Policy { var level: Level; var target: Bool }

    static let policies: [String: Policy] = [
        "GET /": .init(level: .everyone, target: false), "GET /s/{slug}": .init(level: .everyone, target: false),
        // The finder: public pages and feed, no sign-in.
        "GET /finder": .init(level: .everyone, target: false), "GET /finder/{slug}": .init(level: .everyone, target: false),
        "GET /finder/{slug}.ics": .init(level: .everyone, target: false),
        "GET /signin": .init(level: .everyone, target: false), "POST /signin": .init(level: .everyone, target: false),
        "POST /signout": .init(level: .staff, target: false), "GET /healthz": .init(level: .everyone, target: false),
        "GET /metrics": .init(level: .everyone, target: false), "GET /favicon.ico": .init(level: .everyone, target: false),
        "GET /static/{hash}/{name}": .init(level: .everyone, target: false),
        "GET /lang/{code}": .init(level: .everyone, target: false), "GET /leave": .init(level: .everyone, target: false),
        "GET /chat/deleted": .init(level: .everyone, target: false), "GET /reset/{token}": .init(level: .everyone, target: false),
        "POST /reset/{token}": .init(level: .everyone, target: false),
        "POST /signin/code": .init(level: .everyone, target: false), "POST /signin/setup": .init(level: .everyone, target: false),
        // A registered client's own account: no one else's data in the path.
        "GET /account/new": .init(level: .everyone, target: false), "POST /account/new": .init(level: .everyone, target: false),
        "GET /account/signin": .init(level: .everyone, target: false), "POST /account/signin": .init(level: .everyone, target: false),
        "POST /account/signout": .init(level: .everyone, target: false), "GET /account": .init(level: .everyone, target: false),
        "GET /account/data": .init(level: .everyone, target: false), "POST /account/erase": .init(level: .everyone, target: false),
        // Groups: the public page is public; the rest is for the group's members and staff.
        "GET /g/{slug}": .init(level: .everyone, target: false), "POST /g/{slug}/join": .init(level: .everyone, target: true),
        "POST /g/{slug}/rules": .init(level: .everyone, target: true), "POST /g/{slug}/apply": .init(level: .everyone, target: true),
        "POST /g/{slug}/applications/{id}": .init(level: .staff, target: true),
        // Calendar feeds are public for public groups (the other network's too: it is public).
        "GET /g/{slug}/calendar.ics": .init(level: .everyone, target: false),
        "GET /organisations/{id}/calendar.ics": .init(level: .everyone, target: false),
        "GET /g/{slug}/programme": .init(level: .staff, target: true), "POST /g/{slug}/programme": .init(level: .staff, target: true),
        "POST /g/{slug}/programme/{event}/delete": .init(level: .staff, target: true),
        "GET /g/{slug}/questions": .init(level: .everyone, target: true), "POST /g/{slug}/questions": .init(level: .everyone, target: true),
        "POST /g/{slug}/questions/{id}/answer": .init(level: .staff, target: true),
        "POST /g/{slug}/questions/{id}/remove": .init(level: .staff, target: true),
        "GET /g/{slug}/people": .init(level: .staff, target: true), "POST /g/{slug}/people": .init(level: .staff, target: true),
        "GET /g/{slug}/room": .init(level: .everyone, target: true),
        "POST /g/{slug}/messages/{seq}/report": .init(level: .everyone, target: true),
        "POST /g/{slug}/messages/{seq}/remove": .init(level: .staff, target: true),
        "POST /g/{slug}/messages/{seq}/mute": .init(level: .staff, target: true),
        "POST /g/{slug}/messages/{seq}/exclude": .init(level: .staff, target: true),
        "POST /g/{slug}/members/{member}/exclude": .init(level: .staff, target: true),
        "POST /g/{slug}/members/{member}/unban": .init(level: .staff, target: true),
        "GET /g/{slug}/moderation": .init(level: .staff, target: true), "POST /g/{slug}/invitations": .init(level: .staff, target: true),
        "GET /admin/groups": .init(level: .admin, target: false), "GET /admin/services/{id}/group": .init(level: .admin, target: true),
        "POST /admin/services/{id}/group": .init(level: .admin, target: true), "POST /api/session": .init(level: .everyone, target: false),
        "DELETE /api/session": .init(level: .staff, target: false), "GET /socket": .init(level: .everyone, target: false),
        "POST /api/support/{service}/chats": .init(level: .everyone, target: false),
        "POST /chat/start/{service}": .init(level: .everyone, target: false),
        // A client's own chat: another client's is refused to everyone.
        "GET /chat/{id}": .init(level: .client, target: true), "GET /chat/{id}/delete": .init(level: .client, target: true),
        "POST /chat/{id}/delete": .init(level: .client, target: true), "POST /chat/{id}/feedback": .init(level: .client, target: true),
        "DELETE /api/support/chats/{id}": .init(level: .client, target: true),
        // Staff.
        "GET /console": .init(level: .staff, target: false), "GET /console/replies": .init(level: .staff, target: false),
        "POST /console/replies": .init(level: .staff, target: false), "POST /console/replies/{card}/delete": .init(level: .staff, target: true),
        "GET /profile": .init(level: .staff, target: false), "POST /profile": .init(level: .staff, target: false),
        "POST /profile/password": .init(level: .staff, target: false),
        "GET /profile/second-factor": .init(level: .staff, target: false), "POST /profile/second-factor": .init(level: .staff, target: false),
        "POST /profile/second-factor/recovery": .init(level: .staff, target: false),
        "POST /profile/second-factor/off": .init(level: .staff, target: false), "POST /api/shifts": .init(level: .staff, target: true),
        "DELETE /api/shifts": .init(level: .staff, target: false), "GET /api/support/queue": .init(level: .staff, target: false),
        "POST /api/support/chats/{id}/take": .init(level: .staff, target: true),
        "POST /api/support/chats/{id}/close": .init(level: .staff, target: true),
        "POST /api/support/chats/{id}/transfer": .init(level: .staff, target: true),
        "GET /api/support/chats/{id}/colleagues": .init(level: .staff, target: true),
        "GET /api/conversations/{id}/messages": .init(level: .client, target: true),
        // Calls: for the participants of the conversation only (the other network's chat and its call here).
        "GET /api/conversations/{id}/peers": .init(level: .client, target: true),
        "GET /api/calls": .init(level: .client, target: true), "POST /api/calls": .init(level: .client, target: true),
        "GET /api/calls/ice": .init(level: .client, target: true), "GET /api/calls/meeting": .init(level: .client, target: true),
        "GET /calls/meeting": .init(level: .client, target: true),
        "POST /api/calls/{call}/join": .init(level: .client, target: true), "POST /api/calls/{call}/decline": .init(level: .client, target: true),
        "POST /api/calls/{call}/leave": .init(level: .client, target: true), "POST /api/calls/{call}/hand": .init(level: .client, target: true),
        "POST /api/calls/{call}/media": .init(level: .client, target: true),
        "POST /api/calls/{call}/mute-all": .init(level: .client, target: true),
        "POST /api/calls/{call}/remove": .init(level: .client, target: true),
        // Coaching API: a coach's acts on their own service only; a coachee's on their own coaching.
        "GET /api/coaching/services": .init(level: .staff, target: false),
        "GET /api/coaching/services/{service}/settings": .init(level: .admin, target: true),
        "PUT /api/coaching/services/{service}/settings": .init(level: .admin, target: true),
        "GET /api/coaching/services/{service}/coachees": .init(level: .staff, target: true),
        "POST /api/coaching/services/{service}/coachees/{member}/end": .init(level: .staff, target: true),
        "POST /api/coaching/services/{service}/invitations": .init(level: .staff, target: true),
        "GET /api/coaching/services/{service}/groups": .init(level: .staff, target: true),
        "POST /api/coaching/services/{service}/groups": .init(level: .staff, target: true),
        "POST /api/coaching/groups/{group}/members": .init(level: .staff, target: true),
        "POST /api/coaching/groups/{group}/members/{member}/remove": .init(level: .staff, target: true),
        "GET /api/coaching/services/{service}/templates": .init(level: .staff, target: true),
        "POST /api/coaching/services/{service}/templates": .init(level: .staff, target: true),
        "DELETE /api/coaching/templates/{id}": .init(level: .staff, target: true),
        "POST /api/coaching/services/{service}/tasks": .init(level: .staff, target: true),
        "POST /api/coaching/tasks/{task}/feedback": .init(level: .staff, target: true),
        "GET /api/coaching/services/{service}/coachees/{member}/tasks": .init(level: .client, target: true),
        "GET /api/coaching/tasks/{task}": .init(level: .client, target: true),
        "POST /api/coaching/tasks/{task}/answer": .init(level: .client, target: true),
        // Anyone signed in with a code may take it up (the code is what lets them in).
        "GET /api/coaching/files": .init(level: .client, target: true), "POST /api/coaching/files": .init(level: .client, target: true),
        "GET /api/coaching/files/{file}": .init(level: .client, target: true),
        "POST /my/coaching/tasks/{task}/file": .init(level: .client, target: true),
        // Coaching pages: the coach's under /coaching (their own services, coachees, tasks and templates only),
        // the coachee's under /my/coaching (their own coaching only); anyone may open the join page.
        "GET /coaching": .init(level: .staff, target: false), "GET /coaching/{service}": .init(level: .staff, target: true),
        "POST /coaching/{service}/invitations": .init(level: .staff, target: true),
        "POST /coaching/{service}/groups": .init(level: .staff, target: true),
        "POST /coaching/{service}/groups/{group}/members": .init(level: .staff, target: true),
        "POST /coaching/{service}/templates": .init(level: .staff, target: true),
        "POST /coaching/{service}/templates/{id}/delete": .init(level: .staff, target: true),
        "GET /coaching/{service}/coachees/{member}": .init(level: .staff, target: true),
        "POST /coaching/{service}/coachees/{member}/tasks": .init(level: .staff, target: true),
        "POST /coaching/{service}/coachees/{member}/tasks/{task}/feedback": .init(level: .staff, target: true),
        "GET /coaching/join": .init(level: .everyone, target: false), "POST /coaching/join": .init(level: .client, target: false),
        "GET /my/coaching": .init(level: .client, target: false), "GET /my/coaching/{service}": .init(level: .client, target: true),
        "POST /my/coaching/{service}/tasks/{task}/answer": .init(level: .client, target: true),
        "POST /api/coaching/services/{service}/slots": .init(level: .staff, target: true),
        "GET /api/coaching/services/{service}/slots": .init(level: .client, target: true),
        "GET /api/coaching/services/{service}/patterns": .init(level: .staff, target: true),
        "POST /api/coaching/services/{service}/patterns": .init(level: .staff, target: true),
        "DELETE /api/coaching/patterns/{pattern}": .init(level: .staff, target: true),
        "DELETE /api/coaching/slots/{slot}": .init(level: .staff, target: true),
        "POST /api/coaching/appointments/{appointment}/attendance": .init(level: .staff, target: true),
        "POST /api/coaching/services/{service}/appointments": .init(level: .client, target: true),
        "GET /api/coaching/services/{service}/appointments": .init(level: .client, target: true),
        "POST /api/coaching/appointments/{appointment}/move": .init(level: .client, target: true),
        "POST /api/coaching/appointments/{appointment}/cancel": .init(level: .client, target: true),
        "GET /api/coaching/appointments/{appointment}/invitation.ics": .init(level: .client, target: true),
        "GET /admin/coaching": .init(level: .admin, target: false),
        "GET /admin/services/{id}/coaching": .init(level: .admin, target: true),
        "POST /admin/services/{id}/coaching": .init(level: .admin, target: true),
        "GET /api/my/coaching": .init(level: .client, target: false), "POST /api/my/coaching/join": .init(level: .client, target: false),
        // Coaching times pages: the coach's times, weekly times and appointments of their own service; the coachee's own.
        "GET /coaching/{service}/times": .init(level: .staff, target: true),
        "POST /coaching/{service}/times/slots": .init(level: .staff, target: true),
        "POST /coaching/{service}/times/slots/{slot}/delete": .init(level: .staff, target: true),
        "POST /coaching/{service}/times/patterns": .init(level: .staff, target: true),
        "POST /coaching/{service}/times/patterns/{pattern}/delete": .init(level: .staff, target: true),
        "POST /coaching/{service}/times/appointments/{appointment}/cancel": .init(level: .staff, target: true),
        "POST /coaching/{service}/times/appointments/{appointment}/attendance": .init(level: .staff, target: true),
        "GET /my/coaching/{service}/times": .init(level: .client, target: true),
        "POST /my/coaching/{service}/times/book": .init(level: .client, target: true),
        "POST /my/coaching/{service}/times/appointments/{appointment}/move": .init(level: .client, target: true),
        "POST /my/coaching/{service}/times/appointments/{appointment}/cancel": .init(level: .client, target: true),
        // Coaching group pages: the coach's own group of their service; a member's own group; a file into a thread one takes part in.
        "GET /coaching/{service}/groups/{group}": .init(level: .staff, target: true),
        "POST /coaching/{service}/groups/{group}/tasks": .init(level: .staff, target: true),
        "POST /coaching/{service}/groups/{group}/members/{member}/remove": .init(level: .staff, target: true),
        "GET /my/coaching/{service}/groups/{group}": .init(level: .client, target: true),
        "POST /coaching/threads/{conversation}/files": .init(level: .client, target: true),
        // Reach-out API: a worker's plans, outcomes and absences of their own organisation (not volunteers);
        // escalations and figures for its coordinators; a registered client's own plans.
        "GET /api/reachout/today": .init(level: .staff, target: false), "GET /api/reachout/plans": .init(level: .staff, target: false),
        "POST /api/reachout/plans": .init(level: .staff, target: true), "GET /api/reachout/plans/{plan}": .init(level: .staff, target: true),
        "PUT /api/reachout/plans/{plan}": .init(level: .staff, target: true),
        "POST /api/reachout/plans/{plan}/end": .init(level: .staff, target: true),
        "POST /api/reachout/plans/{plan}/outcomes": .init(level: .staff, target: true),
        "POST /api/reachout/plans/{plan}/chat": .init(level: .staff, target: true),
        "GET /api/reachout/team": .init(level: .staff, target: false), "GET /api/reachout/referrals": .init(level: .staff, target: false),
        "GET /api/reachout/absences": .init(level: .staff, target: false), "POST /api/reachout/absences": .init(level: .staff, target: true),
        "DELETE /api/reachout/absences/{absence}": .init(level: .staff, target: true),
        "GET /api/reachout/calendar": .init(level: .staff, target: false),
        "GET /api/reachout/escalations": .init(level: .admin, target: false),
        "POST /api/reachout/escalations/{escalation}/close": .init(level: .admin, target: true),
        "GET /api/reachout/figures": .init(level: .admin, target: false),
        "GET /api/my/reachout": .init(level: .client, target: false), "POST /api/my/reachout/{plan}/decline": .init(level: .client, target: true),
        // Reach-out pages of the day: a worker's own list, their organisation's plans; the coordinator's escalations.
        "GET /reachout": .init(level: .staff, target: false),
        "POST /reachout/plans/{plan}/outcomes": .init(level: .staff, target: true),
        "GET /reachout/plans/{plan}/chat": .init(level: .staff, target: true),
        "POST /reachout/plans/{plan}/chat": .init(level: .staff, target: true),
        "GET /reachout/escalations": .init(level: .admin, target: false),
        "POST /reachout/escalations/{escalation}/close": .init(level: .admin, target: true),
        // Reach-out plan pages: the organisation's own plans, week and absences (a foreign worker chosen is a field error);
        // a registered client's own plans under /my/contacts.
        "GET /reachout/plans": .init(level: .staff, target: false), "GET /reachout/plans/new": .init(level: .staff, target: false),
        "POST /reachout/plans/new": .init(level: .staff, target: true), "GET /reachout/plans/{plan}": .init(level: .staff, target: true),
        "POST /reachout/plans/{plan}": .init(level: .staff, target: true),
        "POST /reachout/plans/{plan}/end": .init(level: .staff, target: true),
        "GET /reachout/calendar": .init(level: .staff, target: true), "POST /reachout/calendar/absences": .init(level: .staff, target: true),
        "POST /reachout/calendar/absences/{absence}/delete": .init(level: .staff, target: true),
        "GET /my/contacts": .init(level: .client, target: false), "GET /my/contacts/{plan}": .init(level: .client, target: true),
        "GET /my/contacts/{plan}/decline": .init(level: .client, target: true),
        "POST /my/contacts/{plan}/decline": .init(level: .client, target: true),
        // Finder upkeep: coordinators keep their organisation's help points (network coordinators their network's),
        // in JSON and on pages; another network's point is not found, and naming its organisation is a field error.
        "GET /api/finder/points": .init(level: .admin, target: false), "POST /api/finder/points": .init(level: .admin, target: true),
        "GET /api/finder/points/{point}": .init(level: .admin, target: true),
        "PUT /api/finder/points/{point}": .init(level: .admin, target: true),
        "DELETE /api/finder/points/{point}": .init(level: .admin, target: true),
        "PUT /api/finder/points/{point}/exceptions/{day}": .init(level: .admin, target: true),
        "DELETE /api/finder/points/{point}/exceptions/{day}": .init(level: .admin, target: true),
        "GET /admin/finder": .init(level: .admin, target: false), "GET /admin/finder/new": .init(level: .admin, target: false),
        "POST /admin/finder/new": .init(level: .admin, target: true), "GET /admin/finder/{point}": .init(level: .admin, target: true),
        "POST /admin/finder/{point}": .init(level: .admin, target: true),
        "POST /admin/finder/{point}/exceptions": .init(level: .admin, target: true),
        "POST /admin/finder/{point}/exceptions/{day}/delete": .init(level: .admin, target: true),
        "GET /admin/finder/{point}/delete": .init(level: .admin, target: true),
        "POST /admin/finder/{point}/delete": .init(level: .admin, target: true),
        // Digital support: the organisation's own events and sessions (not volunteers); a registered client's own
        // sign-ups. The other network's session is not public, so its public page and sign-up are refused too.
        "GET /api/digital/events": .init(level: .staff, target: false), "POST /api/digital/events": .init(level: .staff, target: false),
        "GET /api/digital/events/{event}": .init(level: .staff, target: true), "PUT /api/digital/events/{event}": .init(level: .staff, target: true),
        "POST /api/digital/events/{event}/cancel": .init(level: .staff, target: true),
        "GET /api/digital/sessions": .init(level: .staff, target: false), "POST /api/digital/sessions": .init(level: .staff, target: false),
        "GET /api/digital/sessions/{session}": .init(level: .staff, target: true),
        "PUT /api/digital/sessions/{session}": .init(level: .staff, target: true),
        "POST /api/digital/sessions/{session}/cancel": .init(level: .staff, target: true),
        "POST /api/digital/sessions/{session}/meetings": .init(level: .staff, target: true),
        "DELETE /api/digital/sessions/{session}/meetings/{meeting}": .init(level: .staff, target: true),
        "GET /api/digital/sessions/{session}/participants": .init(level: .staff, target: true),
        "POST /api/digital/sessions/{session}/participants": .init(level: .staff, target: true),
        "DELETE /api/digital/sessions/{session}/participants/{participant}": .init(level: .staff, target: true),
        "GET /api/my/digital": .init(level: .client, target: false),
        "POST /api/my/digital/sessions/{session}/signup": .init(level: .client, target: true),
        "POST /api/my/digital/sessions/{session}/leave": .init(level: .client, target: true),
        "GET /digital/events": .init(level: .staff, target: false), "GET /digital/events/new": .init(level: .staff, target: false),
        "POST /digital/events/new": .init(level: .staff, target: false), "GET /digital/events/{event}": .init(level: .staff, target: true),
        "POST /digital/events/{event}": .init(level: .staff, target: true),
        "POST /digital/events/{event}/cancel": .init(level: .staff, target: true),
        "GET /digital/sessions": .init(level: .staff, target: false), "GET /digital/sessions/new": .init(level: .staff, target: false),
        "POST /digital/sessions/new": .init(level: .staff, target: false), "GET /digital/sessions/{session}": .init(level: .staff, target: true),
        "POST /digital/sessions/{session}": .init(level: .staff, target: true),
        "POST /digital/sessions/{session}/cancel": .init(level: .staff, target: true),
        "POST /digital/sessions/{session}/meetings": .init(level: .staff, target: true),
        "POST /digital/sessions/{session}/meetings/{meeting}/delete": .init(level: .staff, target: true),
        "POST /digital/sessions/{session}/participants": .init(level: .staff, target: true),
        "POST /digital/sessions/{session}/participants/{participant}/remove": .init(level: .staff, target: true),
        "GET /digital/sessions/{session}/public": .init(level: .everyone, target: true),
        "POST /digital/sessions/{session}/signup": .init(level: .client, target: true),
        "GET /my/digital": .init(level: .client, target: false), "POST /my/digital/{session}/leave": .init(level: .client, target: true),
        // Digital appointments: a worker's own times (their organisation's); any registered client books an organisation's.
        "GET /digital/times": .init(level: .staff, target: false), "POST /digital/times/slots": .init(level: .staff, target: false),
        "POST /digital/times/slots/{slot}/delete": .init(level: .staff, target: true),
        "POST /digital/times/patterns": .init(level: .staff, target: false),
        "POST /digital/times/patterns/{pattern}/delete": .init(level: .staff, target: true),
        "POST /digital/times/appointments/{appointment}/cancel": .init(level: .staff, target: true),
        "POST /digital/times/appointments/{appointment}/attendance": .init(level: .staff, target: true),
        "GET /my/digital/times/{organisation}": .init(level: .client, target: false),
        "POST /my/digital/times/{organisation}/book": .init(level: .client, target: false),
        "POST /my/digital/times/{organisation}/appointments/{appointment}/move": .init(level: .client, target: true),
        "POST /my/digital/times/{organisation}/appointments/{appointment}/cancel": .init(level: .client, target: true),
        "GET /api/digital/times/slots": .init(level: .staff, target: false), "POST /api/digital/times/slots": .init(level: .staff, target: false),
        "DELETE /api/digital/times/slots/{slot}": .init(level: .staff, target: true),
        "GET /api/digital/times/patterns": .init(level: .staff, target: false),
        "POST /api/digital/times/patterns": .init(level: .staff, target: false),
        "DELETE /api/digital/times/patterns/{pattern}": .init(level: .staff, target: true),
        "GET /api/digital/appointments": .init(level: .staff, target: false),
        "POST /api/digital/appointments/{appointment}/cancel": .init(level: .staff, target: true),
        "POST /api/digital/appointments/{appointment}/attendance": .init(level: .staff, target: true),
        "GET /api/digital/appointments/{appointment}/invitation.ics": .init(level: .staff, target: true),
        "GET /api/my/digital/times/{organisation}": .init(level: .client, target: false),
        "POST /api/my/digital/times/{organisation}/appointments": .init(level: .client, target: false),
        "GET /api/my/digital/appointments": .init(level: .client, target: false),
        "POST /api/my/digital/appointments/{appointment}/move": .init(level: .client, target: true),
        "POST /api/my/digital/appointments/{appointment}/cancel": .init(level: .client, target: true),
        "GET /api/my/digital/appointments/{appointment}/invitation.ics": .init(level: .client, target: true),
        // Coordinators.
        "GET /admin": .init(level: .admin, target: false), "GET /admin/audit": .init(level: .admin, target: false),
        "GET /admin/chat": .init(level: .admin, target: false), "GET /admin/organisations": .init(level: .admin, target: false),
        "POST /admin/organisations": .init(level: .admin, target: false), "GET /admin/organisations/{id}": .init(level: .admin, target: true),
        "POST /admin/organisations/{id}": .init(level: .admin, target: true), "GET /admin/services": .init(level: .admin, target: false),
        "GET /admin/services/new": .init(level: .admin, target: false), "POST /admin/services/new": .init(level: .admin, target: true),
        "GET /admin/services/{id}": .init(level: .admin, target: true), "POST /admin/services/{id}": .init(level: .admin, target: true),
        "GET /admin/services/{id}/hours": .init(level: .admin, target: true), "POST /admin/services/{id}/hours": .init(level: .admin, target: true),
        "POST /admin/services/{id}/exceptions": .init(level: .admin, target: true),
        "POST /admin/services/{id}/exceptions/{day}/delete": .init(level: .admin, target: true),
        "GET /admin/services/{id}/referrals": .init(level: .admin, target: true),
        "POST /admin/services/{id}/referrals": .init(level: .admin, target: true),
        "POST /admin/services/{id}/referrals/{card}/delete": .init(level: .admin, target: true),
        "GET /admin/services/{id}/replies": .init(level: .admin, target: true),
        "POST /admin/services/{id}/replies": .init(level: .admin, target: true),
        "POST /admin/services/{id}/replies/{card}/delete": .init(level: .admin, target: true),
        "GET /admin/services/{id}/topics": .init(level: .admin, target: true), "POST /admin/services/{id}/topics": .init(level: .admin, target: true),
        "POST /admin/services/{id}/topics/{topic}/remove": .init(level: .admin, target: true),
        "POST /admin/services/{id}/retention": .init(level: .admin, target: true),
        "GET /admin/staff": .init(level: .admin, target: false), "GET /admin/staff/new": .init(level: .admin, target: false),
        "POST /admin/staff/new": .init(level: .admin, target: true), "GET /admin/staff/{id}": .init(level: .admin, target: true),
        "POST /admin/staff/{id}": .init(level: .admin, target: true), "POST /admin/staff/{id}/link": .init(level: .admin, target: true),
        "POST /admin/staff/{id}/second-factor/remove": .init(level: .admin, target: true),
        "POST /admin/staff/second-factor": .init(level: .admin, target: true),
        "GET /console/supervisor": .init(level: .admin, target: false), "POST /console/supervisor/limits/{staff}": .init(level: .admin, target: true),
        "GET /console/transcripts/{id}": .init(level: .admin, target: true), "POST /console/transcripts/{id}": .init(level: .admin, target: true),
        // Finder data: the HSDS export is public and read only (every network's help points are public); the import is
        // for coordinators, and a row naming the other network's organisation is refused (the file is CSV, see `json`).
        "GET /api/hsds": .init(level: .everyone, target: false), "GET /api/hsds/services": .init(level: .everyone, target: false),
        "GET /api/hsds/services/{id}": .init(level: .everyone, target: false),
        "GET /api/hsds/organizations": .init(level: .everyone, target: false),
        "GET /api/hsds/organizations/{id}": .init(level: .everyone, target: false),
        "GET /api/hsds/service_at_locations": .init(level: .everyone, target: false),
        "GET /api/hsds/service_at_locations/{id}": .init(level: .everyone, target: false),
        "GET /api/hsds/taxonomies": .init(level: .everyone, target: false),
        "GET /api/hsds/taxonomies/{id}": .init(level: .everyone, target: false),
        "GET /api/hsds/taxonomy_terms": .init(level: .everyone, target: false),
        "GET /api/hsds/taxonomy_terms/{id}": .init(level: .everyone, target: false),
        "POST /api/finder/import": .init(level: .admin, target: true),
        "GET /admin/finder/import": .init(level: .admin, target: false), "POST /admin/finder/import": .init(level: .admin, target: false),
        "GET /admin/finder/import/template.csv": .init(level: .admin, target: false),
        // The needs mapping: a worker maps any registered client (by nickname), but sees and sets goals only of
        // their own organisation's clients; the questionnaire is the coordinators'; a client's goal is their own.
        "GET /api/digital/questionnaire": .init(level: .staff, target: false),
        "PUT /api/digital/questionnaire": .init(level: .admin, target: false),
        "POST /api/digital/mappings": .init(level: .staff, target: false),
        "GET /api/digital/clients/{member}/mappings": .init(level: .staff, target: true),
        "GET /api/digital/clients/{member}/goals": .init(level: .staff, target: true),
        "POST /api/digital/clients/{member}/goals": .init(level: .staff, target: true),
        "PUT /api/digital/clients/{member}/goals/{goal}": .init(level: .staff, target: true),
        "GET /api/my/digital/questionnaire": .init(level: .client, target: false),
        "GET /api/my/digital/mappings": .init(level: .client, target: false), "POST /api/my/digital/mappings": .init(level: .client, target: false),
        "GET /api/my/digital/goals": .init(level: .client, target: false), "POST /api/my/digital/goals": .init(level: .client, target: false),
        "PUT /api/my/digital/goals/{goal}": .init(level: .client, target: true),
        "GET /digital/mapping": .init(level: .staff, target: false), "GET /digital/mapping/new": .init(level: .staff, target: false),
        "POST /digital/mapping/new": .init(level: .staff, target: false),
        "GET /digital/mapping/clients/{member}": .init(level: .staff, target: true),
        "POST /digital/mapping/clients/{member}/goals": .init(level: .staff, target: true),
        "POST /digital/mapping/clients/{member}/goals/{goal}/status": .init(level: .staff, target: true),
        "GET /digital/mapping/questionnaire": .init(level: .admin, target: false),
        "POST /digital/mapping/questionnaire": .init(level: .admin, target: false),
        "GET /my/digital/mapping": .init(level: .client, target: false), "POST /my/digital/mapping": .init(level: .client, target: false),
        "GET /my/digital/mapping/progress": .init(level: .client, target: false),
        "POST /my/digital/mapping/goals": .init(level: .client, target: false),
        "POST /my/digital/mapping/goals/{goal}/status": .init(level: .client, target: true),
        // Digital buddies: the course is the asker's own network's (only coordinators write it); a module, an
        // assignment or a buddy of the other network is refused; a buddy's clients are their own.
        "GET /api/digital/buddy": .init(level: .staff, target: false), "GET /api/digital/buddy/course": .init(level: .staff, target: false),
        "PUT /api/digital/buddy/course": .init(level: .admin, target: false),
        "POST /api/digital/buddy/course/modules/{module}/answers": .init(level: .staff, target: true),
        "GET /api/digital/buddy/assignments": .init(level: .staff, target: false),
        "POST /api/digital/buddy/assignments": .init(level: .staff, target: true),
        "DELETE /api/digital/buddy/assignments/{assignment}": .init(level: .staff, target: true),
        "GET /digital/buddy": .init(level: .staff, target: false), "GET /digital/buddy/course": .init(level: .staff, target: false),
        "GET /digital/buddy/course/{module}": .init(level: .staff, target: true),
        "POST /digital/buddy/course/{module}": .init(level: .staff, target: true),
        "GET /digital/buddy/modules/new": .init(level: .admin, target: false), "POST /digital/buddy/modules/new": .init(level: .admin, target: false),
        "GET /digital/buddy/modules/{module}": .init(level: .admin, target: true),
        "POST /digital/buddy/modules/{module}": .init(level: .admin, target: true),
        "POST /digital/buddy/modules/{module}/delete": .init(level: .admin, target: true),
        "POST /digital/buddy/modules/{module}/move": .init(level: .admin, target: true),
        "GET /digital/buddies": .init(level: .staff, target: false), "POST /digital/buddies/assignments": .init(level: .staff, target: true),
        "POST /digital/buddies/assignments/{assignment}/remove": .init(level: .staff, target: true),
        // The material bank: staff find their network's and public material; another network's (shared
        // only in that network) is not found, nor its versions; a client page only of client material.
        "GET /bank": .init(level: .staff, target: false), "GET /bank/new": .init(level: .staff, target: false),
        "POST /bank/new": .init(level: .staff, target: false), "GET /bank/{material}": .init(level: .staff, target: true),
        "POST /bank/{material}": .init(level: .staff, target: true), "POST /bank/{material}/file": .init(level: .staff, target: true),
        "POST /bank/{material}/delete": .init(level: .staff, target: true),
        "GET /bank/{material}/versions/{version}": .init(level: .staff, target: true),
        "GET /materials/{material}": .init(level: .everyone, target: true), "GET /materials/{material}/file": .init(level: .everyone, target: true),
        "GET /api/materials": .init(level: .staff, target: false), "POST /api/materials": .init(level: .staff, target: false),
        "POST /api/materials/files": .init(level: .staff, target: false), "GET /api/materials/{material}": .init(level: .staff, target: true),
        "PUT /api/materials/{material}": .init(level: .staff, target: true), "DELETE /api/materials/{material}": .init(level: .staff, target: true),
        "GET /api/materials/{material}/versions": .init(level: .staff, target: true),
        "POST /api/materials/{material}/versions": .init(level: .staff, target: true),
        "GET /api/materials/{material}/versions/{version}": .init(level: .staff, target: true),
        // Statistics: a coordinator's own organisation, a network coordinator's network; the other network's
        // organisation asked for by name (the query) is not found, for everyone.
        "GET /stats": .init(level: .admin, target: true), "GET /stats/{table}.csv": .init(level: .admin, target: true),
        "GET /api/stats": .init(level: .admin, target: true),
        // The console's material picker: client material the worker's organisation may see, staff only.
        "GET /api/support/materials": .init(level: .staff, target: false),
    ]

    /// Another network with its own organisation, support chat, staff, a
    /// chat in progress and the chat's settings: everything the roles try.
    struct Other {
        var network: UUID, organisation: UUID, service: UUID, staff: UUID, chat: UUID
        var referral: UUID, reply: UUID, personal: UUID, topic: UUID
        var group: UUID, room: UUID, event: UUID
        /// A call on in its chat, started by its coordinator.
        var call: UUID
        /// A banned member of its group, for the member list's acts.
        var member: UUID
        /// An application to its group and a question asked there, each sealed, for the routes that name them.
        var application: GroupApplication, question: GroupQuestion
        /// Its coaching service, with a coachee, their task, a group and a template of its coach.
        var coaching: UUID, coachee: UUID, task: CoachingTask, coachingGroup: UUID, template: UUID
        /// The coachee's thread and a file in it.
        var thread: UUID, file: UUID
        /// Its coach's free time, weekly pattern, and an appointment the coachee booked.
        var slot: UUID, pattern: UUID, appointment: Appointment
        /// Reach-out: its coordinator's plan for the coachee, an absence of theirs, and an open escalation of the plan.
        var reachoutPlan: ContactPlan, absence: Absence, escalation: Escalation
        /// Finder: a help point of its organisation, with an exception.
        var finderPoint: HelpPoint
        /// Digital support: its pop-up event, and its session (not public) with a meeting and a person in it.
        var digitalEvent: PopupEvent, digitalSession: GroupSession, digitalMeeting: UUID, digitalSeat: UUID
        /// The needs mapping: its mapping of its banned member (`member`), and a goal of theirs there.
        var mapping: Mapping, mappingGoal: MappingGoal
        /// Digital appointments: its coordinator's free time, weekly time, and the coachee's booked time.
        var digitalSlot: UUID, digitalPattern: UUID, digitalAppointment: Appointment
        /// Digital buddies: its network's course module, its coordinator trained, and the coachee assigned to them.
        var buddyModule: BuddyModule, buddyAssignment: BuddyAssignment
        /// The material bank: a file of its coordinator, shared in its network, for staff only.
        var material: Material
    }

    func makeOther(_ app: Kohtaamo, _ client: any TestClientProtocol) async throws -> Other {
        let repo = app.network.repository
        let now = app.clock.now
        let network = try await repo.createNetwork(slug: "muu", names: .init(fi: "Muu verkosto", sv: "", en: ""), at: now)
        let org = try await repo.createOrganisation(network: network, names: .init(fi: "Muu ry", sv: "", en: ""), at: now)
        let service = ServiceRecord(
            id: UUID(), organisationID: org.id, slug: "muu-chat", kind: .supportChat, names: .init(fi: "Muu chat", sv: "", en: ""),
            descriptions: .init(fi: "", sv: "", en: ""), languages: ["fi"], isPublic: true, sharedWith: [])
        _ = try await repo.saveService(service, at: now)
        try await repo.replaceWeeklyHours(service: service.id, (1...7).map { WeeklyInterval(weekday: $0, opens: 0, closes: 1440) })
        let staff = try await app.accounts.service.repository.createStaff(
            organisationID: org.id, email: "muu@demo.invalid", passwordHash: try await app.accounts.service.hash(demoPassword), role: .coordinator,
            workName: "Muu Koordinaattori", workingHours: "", at: now)
        let muu = Browser(client, language: "en")
        try await muu.signIn("muu@demo.invalid")
        #expect(try await muu.json(.post, "/api/shifts", #"{"services":["muu-chat"]}"#).status == .noContent)
        let started = try await Browser(client).json(.post, "/api/support/muu-chat/chats", nil)
        let chat = UUID(uuidString: (try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as! [String: Any])["conversation"] as! String)!
        #expect(try await muu.json(.post, "/api/support/chats/\(chat.uuidString)/take", nil).status == .ok)
        let referral = TextCard(owner: service.id, language: "fi", title: "Muun kortti", body: "teksti")
        try await app.network.referrals.save(referral, at: 0)
        let reply = TextCard(owner: service.id, language: "fi", title: "Muun vastaus", body: "teksti")
        try await app.chat.service.toolkit.replies.save(reply, at: 0)
        let personal = TextCard(owner: staff.id, language: "fi", title: "Oma", body: "teksti")
        try await app.chat.service.toolkit.replies.save(personal, at: 0)
        let topic = try await app.chat.service.toolkit.topics(service: service.id)[0].id
        // A group with a member's message in its room.
        let group = ServiceRecord(
            id: UUID(), organisationID: org.id, slug: "muu-ryhma", kind: .group, names: .init(fi: "Muu ryhmä", sv: "", en: ""),
            descriptions: .init(fi: "", sv: "", en: ""), languages: ["fi"], isPublic: true, sharedWith: [])
        _ = try await repo.saveService(group, at: now)
        let settings = try await app.groups.service.settings(for: try await app.network.directory.service(id: group.id)!)
        let member = UUID()
        try await app.realtime.setParticipant(
            Participant(identity: .client(member), sender: Sender(name: "Muu jäsen", role: .client), canSend: true),
            in: settings.conversation)
        _ = try await app.groups.service.repository.saveMember(
            GroupMember(
                service: group.id, member: member, nickname: "Muu jäsen", rulesVersion: 1,
                status: .banned, bannedUntilMs: nil, banReason: "muu", joinedMs: app.clock.nowMs))
        _ = try await app.realtime.post(
            conversation: settings.conversation, clientID: UUID(), sender: .client(member),
            from: Sender(name: "Muu jäsen", role: .client), body: "muun viesti")
        let event = ProgrammeEvent(
            id: UUID(), service: group.id, weekday: 1, startMinute: 600, durationMinutes: 60,
            title: .init(fi: "Muun kahvit", sv: "", en: ""), link: "")
        try await app.groups.service.repository.addEvent(event)
        // A closed Q&A group with one unanswered question, and an application
        // still waiting from when it took members by application. (Closed, so
        // applying and joining are refused to every role here: in a public
        // screened group they are anyone's to do.)
        var qa = settings
        (qa.style, qa.questions) = (.questions, .init(fi: "Miksi haluat mukaan?", sv: "", en: ""))
        try await app.groups.service.repository.saveSettings(qa)
        let application = GroupApplication(
            id: UUID(), service: group.id, member: UUID(), nickname: "Muu hakija",
            answers: [.init(question: "Miksi haluat mukaan?", answer: "muun vastaus")], status: .waiting,
            message: "", rulesVersion: settings.rulesVersion, createdMs: app.clock.nowMs, decidedMs: nil)
        try await app.groups.service.repository.saveApplication(application)
        let question = GroupQuestion(
            id: UUID(), service: group.id, member: member, nickname: "Muu jäsen", anonymous: false,
            body: "muun kysymys", removed: false, createdMs: app.clock.nowMs, answers: [])
        try await app.groups.service.repository.addQuestion(question)
        let call = try await app.calls.service.start(
            .init(identity: .staff(staff.id), staff: nil), conversation: chat, media: .audio)
        // Coaching: the coordinator coaches a coachee, with a task, a group and a template.
        let coachingService = ServiceRecord(
            id: UUID(), organisationID: org.id, slug: "muu-valmennus", kind: .coaching, names: .init(fi: "Muu valmennus", sv: "", en: ""),
            descriptions: .init(fi: "", sv: "", en: ""), languages: ["fi"], isPublic: false, sharedWith: [])
        _ = try await repo.saveService(coachingService, at: now)
        var coachingSettings = CoachingSettings.defaults(service: coachingService.id)
        coachingSettings.coaches = [staff.id]
        try await app.coaching.service.repository.saveSettings(coachingSettings)
        let coachPrincipal = StaffPrincipal(
            staffID: staff.id, sessionID: UUID(), email: "muu@demo.invalid", role: .coordinator, organisationID: org.id, networkID: network,
            workName: "Muu Koordinaattori")
        let (coachee, _) = try await app.accounts.members.makeDemoMember(nickname: "muu-valmennettava", passwordHash: "x")
        let code = try await app.coaching.service.invite(coachPrincipal, service: coachingService.id, group: nil).code
        _ = try await app.coaching.service.join(MemberPrincipal(memberID: coachee, sessionID: UUID(), nickname: "muu-valmennettava"), code: code)
        let coachingGroup = try await app.coaching.service.makeGroup(coachPrincipal, service: coachingService.id, name: "Muu ryhmä")
        _ = try await app.coaching.service.addToGroup(coachPrincipal, group: coachingGroup.id, member: coachee)
        let content = TaskContent(title: "Muun tehtävä", instructions: "", answerKind: .text, checklist: [], material: "")
        let task = try await app.coaching.service.give(
            coachPrincipal, service: coachingService.id, to: .coachee(coachee), content: content, dueMs: nil)[0]
        let template = try await app.coaching.service.addTemplate(coachPrincipal, service: coachingService.id, content: content)
        let thread = try #require(try await app.coaching.service.repository.coachee(service: coachingService.id, member: coachee)).conversation
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 32)
        let file = try await app.realtime.files.save(conversation: thread, name: "muu.png", kind: .png, bytes: Data(png), uploader: .client(coachee))
        let tomorrow = BookingDay(now).adding(days: 1)
        let slot = try await app.coaching.service.addSlot(
            coachPrincipal, service: coachingService.id, startMs: tomorrow.ms(minute: 9 * 60), minutes: 30, place: "")
        let booked = try await app.coaching.service.addSlot(
            coachPrincipal, service: coachingService.id, startMs: tomorrow.ms(minute: 11 * 60), minutes: 30, place: "")
        let appointment = try await app.coaching.service.book(coachee, service: coachingService.id, slot: booked.id)
        let pattern = try await app.coaching.service.addPattern(
            coachPrincipal, service: coachingService.id,
            WeeklyPattern(scope: UUID(), host: UUID(), weekday: 3, startMinute: 14 * 60, minutes: 30, place: "", from: tomorrow))
        let reachout = app.reachout.service.repository
        let today = app.reachout.service.today
        let reachoutPlan = ContactPlan(
            organisation: org.id, member: coachee, label: "Muun suunnitelma", note: "muun muistiinpano", rhythm: .daily,
            starts: today.adding(days: -2), until: nil, minute: 9 * 60, channel: .chat, owner: staff.id, backup: nil,
            createdMs: today.adding(days: -3).ms(minute: 0))
        try await reachout.addPlan(reachoutPlan)
        let absence = Absence(
            organisation: org.id, staff: staff.id, from: today, to: today.adding(days: 1), createdBy: staff.id, createdMs: app.clock.nowMs)
        try await reachout.addAbsence(absence)
        let escalation = Escalation(plan: reachoutPlan.id, organisation: org.id, day: today.adding(days: -1), repeated: false, createdMs: 0)
        #expect(try await reachout.addEscalation(escalation))
        let finderPoint = HelpPoint(
            organisation: org.id, municipality: "muukunta", name: "Muun apupiste", place: .library, address: "Muukatu 1", themes: [.messaging],
            languages: ["fi"], access: .dropIn, hours: [WeeklyInterval(weekday: 1, opens: 540, closes: 960)],
            exceptions: [DayException(day: LocalDay(year: 2026, month: 12, day: 24), hours: nil, note: "muu")], updatedMs: 1)
        try await app.finder.service.repository.save(
            [finderPoint], municipalities: [Municipality(slug: "muukunta", names: .init(fi: "Muukunta", sv: "Muukunta", en: "Muukunta"))])
        let digital = app.digital.service.repository
        let digitalEvent = PopupEvent(
            organisation: org.id, title: "Muun tapahtuma", description: "", municipalityName: "Muu", municipality: "muu", place: "Muu paikka",
            address: "", day: today.adding(days: 3), startMinute: 600, endMinute: 660, themes: [], languages: ["fi"], createdMs: 0, updatedMs: 0)
        try await digital.addEvent(digitalEvent)
        let draft = GroupSession(
            organisation: org.id, title: "Muun ryhmä", description: "", municipalityName: "Muu", municipality: "muu", place: "Muu paikka",
            address: "", online: false, seats: 3, themes: [], languages: ["fi"], isPublic: false, createdMs: 0, updatedMs: 0)
        try await digital.addSession(draft)
        let digitalMeeting = SessionMeeting(session: draft.id, day: today.adding(days: 4), startMinute: 600, endMinute: 660)
        #expect(try await digital.addMeeting(digitalMeeting, max: 60, nowMs: 0))
        let digitalSeat = try await digital.signUp(SessionSeat(session: draft.id, member: coachee, label: "", addedBy: nil, createdMs: 0))
        // As stored: the meeting raised its sequence.
        let digitalSession = try #require(try await digital.session(id: draft.id))
        let mapping = Mapping(
            member: member, organisation: org.id, network: network, version: 0, answers: [:], scores: [.safety: 1], profile: .beginner,
            filledBy: staff.id, createdMs: 1)
        try await digital.addMapping(mapping)
        let mappingGoal = MappingGoal(member: member, organisation: org.id, theme: .safety, text: "Muun tavoite", addedBy: staff.id, createdMs: 1)
        try await digital.addGoal(mappingGoal)
        let digitalSlot = try await app.digital.service.addSlot(coachPrincipal, startMs: tomorrow.ms(minute: 15 * 60), minutes: 30, place: "Muu")
        let digitalBooked = try await app.digital.service.addSlot(coachPrincipal, startMs: tomorrow.ms(minute: 16 * 60), minutes: 30, place: "")
        let digitalAppointment = try await app.digital.service.book(coachee, organisation: org.id, slot: digitalBooked.id)
        let digitalPattern = try await app.digital.service.addPattern(
            coachPrincipal, WeeklyPattern(scope: UUID(), host: UUID(), weekday: 5, startMinute: 14 * 60, minutes: 30, place: "", from: tomorrow))
        let buddyModule = BuddyModule(
            network: network, position: 0, title: "Muun osa", text: "Muun teksti.", links: [],
            quiz: [BuddyQuestion(text: "Muun kysymys?", options: ["A", "B"], right: 0)], updatedMs: 0)
        try await app.digital.buddies.repository.saveCourse(network: network, [buddyModule])
        try await app.digital.buddies.repository.markTrained(BuddyTraining(staff: staff.id, network: network, completedMs: 0))
        let buddyAssignment = try await app.digital.buddies.repository.assign(
            BuddyAssignment(organisation: org.id, buddy: staff.id, member: coachee, assignedBy: staff.id, createdMs: 0))
        var materialDraft = MaterialDraft()
        (materialDraft.title, materialDraft.audiences, materialDraft.languages, materialDraft.visibility) = (
            "Muun opas", ["staff"], ["fi"], "network"
        )
        let material = try await app.materials.service.add(
            materialDraft, file: ("muu.txt", Data("Muun verkoston opas".utf8)), by: coachPrincipal)
        return Other(
            network: network, organisation: org.id, service: service.id, staff: staff.id, chat: chat,
            referral: referral.id, reply: reply.id, personal: personal.id, topic: topic, group: group.id, room: settings.conversation,
            event: event.id, call: UUID(uuidString: call.id)!, member: member, application: application, question: question,
            coaching: coachingService.id, coachee: coachee, task: task, coachingGroup: coachingGroup.id, template: template.id,
            thread: thread, file: file.id, slot: slot.id, pattern: pattern.id, appointment: appointment,
            reachoutPlan: reachoutPlan, absence: absence, escalation: escalation, finderPoint: finderPoint,
            digitalEvent: digitalEvent, digitalSession: digitalSession, digitalMeeting: digitalMeeting.id, digitalSeat: digitalSeat.id,
            mapping: mapping, mappingGoal: mappingGoal,
            digitalSlot: digitalSlot.id, digitalPattern: digitalPattern.id, digitalAppointment: digitalAppointment,
            buddyModule: buddyModule, buddyAssignment: buddyAssignment, material: material)
    }

    /// The path with every parameter pointing at the other network's data.
    func fill(_ path: String, _ o: Other) -> String {
        var p = path
        if path.hasPrefix("/api/coaching/") || path.hasPrefix("/coaching/") || path.hasPrefix("/my/coaching/") {
            for (name, value) in [
                ("{service}", o.coaching), ("{member}", o.coachee), ("{task}", o.task.id), ("{group}", o.coachingGroup), ("{id}", o.template),
                ("{file}", o.file), ("{slot}", o.slot), ("{pattern}", o.pattern), ("{appointment}", o.appointment.id),
                ("{conversation}", o.thread),
            ] {
                p = p.replacingOccurrences(of: name, with: value.uuidString)
            }
            if p.hasPrefix("/api/coaching/files") { p += "?c=\(o.thread.uuidString)&name=kaapattu.png" }
        }
        if path.contains("/finder") { p = p.replacingOccurrences(of: "{point}", with: o.finderPoint.id.uuidString) }
        if path.contains("{material}") {
            p = p.replacingOccurrences(of: "{material}", with: o.material.id.uuidString)
                .replacingOccurrences(of: "{version}", with: o.material.file?.id.uuidString ?? "")
        }
        if path.contains("reachout") {  // the API and the pages
            for (name, value) in [("{plan}", o.reachoutPlan.id), ("{absence}", o.absence.id), ("{escalation}", o.escalation.id)] {
                p = p.replacingOccurrences(of: name, with: value.uuidString)
            }
        }
        if path.contains("digital") {
            for (name, value) in [
                ("{event}", o.digitalEvent.id), ("{session}", o.digitalSession.id), ("{meeting}", o.digitalMeeting), ("{participant}", o.digitalSeat),
                ("{goal}", o.mappingGoal.id),
                ("{organisation}", o.organisation), ("{slot}", o.digitalSlot), ("{pattern}", o.digitalPattern),
                ("{appointment}", o.digitalAppointment.id),
                ("{module}", o.buddyModule.id), ("{assignment}", o.buddyAssignment.id),
            ] {
                p = p.replacingOccurrences(of: name, with: value.uuidString)
            }
        }
        let card = path.contains("/referrals/") ? o.referral : path.contains("/replies/") && path.hasPrefix("/admin") ? o.reply : o.personal
        let id =
            path.hasPrefix("/admin/organisations")
            ? o.organisation
            : path.hasPrefix("/admin/staff")
                ? o.staff
                : path.hasSuffix("/group")
                    ? o.group
                    : path.hasSuffix("/coaching") && path.hasPrefix("/admin/services")
                        ? o.coaching
                        : path.hasPrefix("/admin/services")
                            ? o.service
                            : path.hasPrefix("/g/{slug}/applications/")
                                ? o.application.id : path.hasPrefix("/g/{slug}/questions/") ? o.question.id : o.chat
        for (name, value) in [
            ("{id}", id.uuidString), ("{card}", card.uuidString), ("{topic}", o.topic.uuidString), ("{staff}", o.staff.uuidString),
            ("{day}", "2026-12-24"), ("{slug}", path.hasPrefix("/g/") ? "muu-ryhma" : "muu-chat"), ("{seq}", "1"), ("{event}", o.event.uuidString),
            ("{member}", o.member.uuidString), ("{service}", "muu-chat"), ("{token}", "not-a-token"),
            ("{code}", "fi"), ("{hash}", "0"), ("{name}", "app.css"), ("{call}", o.call.uuidString),
        ] {
            p = p.replacingOccurrences(of: name, with: value)
        }
        // The calls' entry points name the conversation in the query.
        if ["/api/calls", "/api/calls/ice", "/api/calls/meeting", "/calls/meeting"].contains(p) { p += "?c=\(o.chat.uuidString)" }
        if path.hasPrefix("/my/contacts") { p = p.replacingOccurrences(of: "{plan}", with: o.reachoutPlan.id.uuidString) }
        if p == "/reachout/calendar" { p += "?worker=\(o.staff.uuidString)" }
        if p.hasPrefix("/stats") || p == "/api/stats" {
            p = p.replacingOccurrences(of: "{table}", with: "chat-periods") + "?organisation=\(o.organisation.uuidString)"
        }
        return p
    }

    /// A body that passes validation, so only rights can refuse it.
    func form(_ route: String, _ o: Other) -> [(String, String)] {
        switch route {
        case "POST /admin/organisations/{id}", "POST /admin/organisations": [("nameFi", "Kaapattu ry"), ("nameSv", ""), ("nameEn", "")]
        case "POST /admin/services/new", "POST /admin/services/{id}":
            [
                ("slug", "kaapattu"), ("kind", "support_chat"), ("nameFi", "Kaapattu"), ("nameSv", ""), ("nameEn", ""), ("descriptionFi", ""),
                ("descriptionSv", ""), ("descriptionEn", ""), ("languages", "fi"), ("organisation", o.organisation.uuidString), ("isPublic", "1"),
            ]
        case "POST /admin/services/{id}/exceptions": [("day", "2026-12-24"), ("closed", "1"), ("note", "")]
        case "POST /admin/services/{id}/referrals", "POST /admin/services/{id}/replies", "POST /console/replies":
            [("id", ""), ("language", "fi"), ("title", "Kaapattu"), ("body", "teksti"), ("phone", ""), ("link", "")]
        case "POST /admin/services/{id}/topics": [("labelFi", "kaapattu"), ("labelSv", ""), ("labelEn", "")]
        case "POST /admin/services/{id}/retention": [("days", "1")]
        case "POST /admin/services/{id}/coaching": [("changeLimitHours", "1"), ("fileMegabytes", "1"), ("fileTypes", "pdf")]
        case "POST /admin/staff/new":
            [("email", "kaapattu@demo.invalid"), ("workName", "Kaapattu"), ("role", "worker"), ("organisation", o.organisation.uuidString)]
        case "POST /admin/staff/{id}": [("role", "worker"), ("organisation", o.organisation.uuidString), ("active", "1")]
        case "POST /console/supervisor/limits/{staff}": [("max", "9")]
        case "POST /admin/staff/second-factor": [("organisation", o.organisation.uuidString), ("required", "1")]
        case "POST /g/{slug}/join": [("nickname", "Kaappaaja"), ("accept", "1"), ("rulesVersion", "1"), ("invitation", "")]
        case "POST /g/{slug}/rules": [("accept", "1"), ("rulesVersion", "1")]
        case "POST /g/{slug}/apply": [("nickname", "Kaappaaja"), ("answer-0", "kaapattu"), ("accept", "1"), ("rulesVersion", "1")]
        case "POST /g/{slug}/applications/{id}": [("decision", "accept"), ("message", "")]
        case "POST /g/{slug}/programme":
            [
                ("weekday", "2"), ("start", "10.00"), ("duration", "60"), ("titleFi", "Kaapattu"), ("titleSv", ""),
                ("titleEn", ""), ("link", ""),
            ]
        case "POST /g/{slug}/people": [("staff", o.staff.uuidString)]
        case "POST /g/{slug}/questions", "POST /g/{slug}/questions/{id}/answer": [("body", "Kaapattu kysymys")]
        case "POST /g/{slug}/messages/{seq}/report": [("reason", "kaappaus")]
        case "POST /g/{slug}/messages/{seq}/mute": [("minutes", "60"), ("reason", "")]
        case "POST /g/{slug}/messages/{seq}/exclude", "POST /g/{slug}/members/{member}/exclude":
            [("action", "ban"), ("days", ""), ("reason", "kaappaus")]
        case "POST /admin/services/{id}/group": [("style", "peer"), ("access", "open"), ("rulesFi", "Kaapattu"), ("rulesSv", ""), ("rulesEn", "")]
        case "POST /console/transcripts/{id}": [("reason", "Haluan lukea tämän")]
        case "POST /chat/{id}/feedback": [("score", "5"), ("comment", "")]
        // Coaching pages
        case "POST /coaching/{service}/invitations": [("group", "")]
        case "POST /coaching/{service}/groups": [("name", "Kaapattu")]
        case "POST /coaching/{service}/groups/{group}/members": [("member", o.coachee.uuidString)]
        case "POST /coaching/{service}/templates":
            [("title", "Kaapattu"), ("instructions", ""), ("answerKind", "text"), ("checklist", ""), ("material", "")]
        case "POST /coaching/{service}/coachees/{member}/tasks":
            [
                ("template", ""), ("title", "Kaapattu"), ("instructions", ""), ("answerKind", "text"), ("checklist", ""), ("material", ""),
                ("dueDate", ""), ("dueTime", ""),
            ]
        case "POST /coaching/{service}/coachees/{member}/tasks/{task}/feedback": [("feedback", ""), ("decision", "accept")]
        case "POST /coaching/join": [("code", "vaara-koodi")]
        case "POST /my/coaching/{service}/tasks/{task}/answer": [("text", "kaapattu")]
        // Coaching group pages
        case "POST /coaching/{service}/groups/{group}/tasks":
            [
                ("template", ""), ("title", "Kaapattu"), ("instructions", ""), ("answerKind", "text"), ("checklist", ""), ("material", ""),
                ("dueDate", ""), ("dueTime", ""),
            ]
        case "POST /coaching/threads/{conversation}/files": [("next", "/my/coaching")]
        case "POST /reachout/plans/{plan}/outcomes": [("outcome", "reached"), ("note", "kaapattu"), ("day", "")]
        case "POST /reachout/escalations/{escalation}/close": [("note", "kaapattu")]
        // Coaching times pages
        case "POST /coaching/{service}/times/slots": [("date", "2030-01-02"), ("time", "10:00"), ("minutes", "30"), ("place", "")]
        case "POST /coaching/{service}/times/patterns":
            [("weekday", "1"), ("time", "10:00"), ("minutes", "30"), ("place", ""), ("from", "2030-01-01"), ("until", ""), ("skipping", "")]
        case "POST /coaching/{service}/times/appointments/{appointment}/attendance": [("attended", "0")]
        case "POST /my/coaching/{service}/times/book", "POST /my/coaching/{service}/times/appointments/{appointment}/move":
            [("slot", o.slot.uuidString)]
        // Reach-out plan pages
        case "POST /reachout/plans/new", "POST /reachout/plans/{plan}":
            [
                ("nickname", ""), ("label", "Kaapattu"), ("note", ""), ("rhythm", "daily"), ("starts", ""), ("until", ""), ("time", "9.00"),
                ("escalateAt", ""), ("channel", "phone"), ("owner", o.staff.uuidString), ("backup", ""),
            ]
        case "POST /reachout/calendar/absences": [("day", ""), ("worker", ""), ("staff", o.staff.uuidString), ("from", "2026-11-25"), ("to", "")]
        case "POST /reachout/calendar/absences/{absence}/delete": [("day", ""), ("worker", "")]
        // Finder upkeep: the other network's organisation named, or its point.
        case "POST /admin/finder/new", "POST /admin/finder/{point}":
            [
                ("municipality", "Muukunta"), ("name", "Kaapattu"), ("description", ""), ("organisation", o.organisation.uuidString),
                ("place", "online"), ("address", ""), ("postal_code", ""), ("city", ""), ("themes", "messaging"), ("languages", "fi"),
                ("access", "drop_in"), ("phone", ""), ("email", ""), ("url", ""), ("chat_service", ""), ("hours", ""),
            ]
        case "POST /admin/finder/{point}/exceptions": [("day", "2026-12-31"), ("closed", "1"), ("note", "kaapattu")]
        // Digital support pages
        case "POST /digital/events/new", "POST /digital/events/{event}":
            [
                ("title", "Kaapattu"), ("municipality", "Oulu"), ("place", "Kaapattu"), ("date", "2026-12-01"), ("start", "10.00"),
                ("end", "11.00"), ("languages", "fi"), ("isPublic", "1"),
            ]
        case "POST /digital/sessions/new", "POST /digital/sessions/{session}":
            [("title", "Kaapattu"), ("municipality", "Oulu"), ("place", "Kaapattu"), ("seats", "1"), ("languages", "fi"), ("isPublic", "1")]
        case "POST /digital/sessions/{session}/meetings": [("date", "2026-12-01"), ("start", "10.00"), ("end", "11.00")]
        case "POST /digital/sessions/{session}/participants": [("label", "Kaapattu")]
        case "POST /digital/mapping/clients/{member}/goals": [("theme", "safety"), ("text", "Kaapattu")]
        case "POST /digital/mapping/clients/{member}/goals/{goal}/status", "POST /my/digital/mapping/goals/{goal}/status": [("done", "1")]
        case "POST /digital/times/slots": [("date", "2030-01-02"), ("time", "10:00"), ("minutes", "30"), ("place", "")]
        case "POST /digital/times/patterns":
            [("weekday", "1"), ("time", "10:00"), ("minutes", "30"), ("place", ""), ("from", "2030-01-01"), ("until", ""), ("skipping", "")]
        case "POST /digital/times/appointments/{appointment}/attendance": [("attended", "0")]
        // The booked time: another's taken time is refused, and nothing of theirs changes.
        case "POST /my/digital/times/{organisation}/book", "POST /my/digital/times/{organisation}/appointments/{appointment}/move":
            [("slot", o.digitalAppointment.slot.uuidString)]
        // Digital buddies: the other organisation's trained buddy and its client.
        case "POST /digital/buddies/assignments": [("buddy", o.staff.uuidString), ("nickname", "muu-valmennettava")]
        case "POST /digital/buddy/course/{module}": [("q1", "0")]
        case "POST /digital/buddy/modules/{module}":
            [("title", "Kaapattu"), ("text", "Kaapattu."), ("links", ""), ("q1", "Kaapattu?"), ("q1-o1", "A"), ("q1-o2", "B"), ("q1-right", "1")]
        case "POST /digital/buddy/modules/{module}/move": [("direction", "up")]
        default: []
        }
    }

    func json(_ route: String, _ o: Other) -> String? {
        switch route {
        case "POST /api/shifts": #"{"services":["muu-chat"]}"#
        case "POST /api/support/chats/{id}/close": #"{"topics":[]}"#
        case "POST /api/support/chats/{id}/transfer": #"{"service":"muu-chat","note":""}"#
        case "POST /api/calls": #"{"conversation":"\#(o.chat.uuidString)","media":"audio"}"#
        case "POST /api/calls/{call}/hand": #"{"raised":true}"#
        case "POST /api/calls/{call}/media": #"{"audio":false,"video":false}"#
        case "POST /api/calls/{call}/remove": #"{"identity":"staff:\#(o.staff.uuidString.lowercased())"}"#
        case "PUT /api/coaching/services/{service}/settings":
            #"{"coaches":[],"changeLimitHours":1,"fileMaxBytes":2048,"fileTypes":["pdf"]}"#
        case "POST /api/coaching/services/{service}/groups": #"{"name":"Kaapattu"}"#
        case "POST /api/coaching/groups/{group}/members": #"{"member":"\#(o.coachee.uuidString)"}"#
        case "POST /api/coaching/services/{service}/templates": #"{"title":"Kaapattu","answerKind":"text"}"#
        case "POST /api/coaching/services/{service}/tasks": #"{"coachee":"\#(o.coachee.uuidString)","title":"Kaapattu","answerKind":"text"}"#
        case "POST /api/coaching/tasks/{task}/feedback": #"{"accept":true}"#
        case "POST /api/coaching/tasks/{task}/answer": #"{"text":"kaapattu"}"#
        case "POST /api/my/coaching/join": #"{"code":"vaara-koodi"}"#
        // Reach-out: the other organisation's coordinator as owner or as the one away.
        case "POST /api/reachout/plans":
            #"{"label":"Kaapattu","rhythm":"daily","time":"9:00","channel":"phone","owner":"\#(o.staff.uuidString)"}"#
        case "PUT /api/reachout/plans/{plan}": #"{"label":"Kaapattu","rhythm":"daily","time":"9:00","channel":"phone"}"#
        case "POST /api/reachout/plans/{plan}/outcomes": #"{"outcome":"declined","note":"kaapattu"}"#
        case "POST /api/reachout/absences": #"{"staff":"\#(o.staff.uuidString)","from":"\#(o.absence.from)"}"#
        case "POST /api/reachout/escalations/{escalation}/close": #"{"note":"kaapattu"}"#
        case "POST /api/finder/points", "PUT /api/finder/points/{point}":
            #"{"municipality":"Muukunta","name":"Kaapattu","organisation":"\#(o.organisation.uuidString)","place":"online","themes":["messaging"],"languages":["fi"],"access":"drop_in"}"#
        case "PUT /api/finder/points/{point}/exceptions/{day}": #"{"closed":true,"note":"kaapattu"}"#
        case "POST /api/coaching/services/{service}/slots": #"{"start":"2030-01-02T10:00:00Z","minutes":30}"#
        case "POST /api/coaching/services/{service}/patterns": #"{"weekday":1,"start":"10:00","minutes":30,"from":"2030-01-01"}"#
        case "POST /api/coaching/appointments/{appointment}/attendance": #"{"attended":false}"#
        // Digital support: valid bodies, so only rights refuse them.
        case "POST /api/digital/events", "PUT /api/digital/events/{event}":
            #"{"title":"Kaapattu","municipality":"Oulu","place":"Kaapattu","date":"2026-12-01","start":"10:00","end":"11:00","languages":["fi"]}"#
        case "POST /api/digital/sessions", "PUT /api/digital/sessions/{session}":
            #"{"title":"Kaapattu","municipality":"Oulu","place":"Kaapattu","seats":1,"languages":["fi"]}"#
        case "POST /api/digital/sessions/{session}/meetings": #"{"date":"2026-12-01","start":"10:00","end":"11:00"}"#
        case "POST /api/digital/sessions/{session}/participants": #"{"label":"Kaapattu"}"#
        case "POST /api/digital/clients/{member}/goals": #"{"theme":"safety","text":"Kaapattu"}"#
        case "PUT /api/digital/clients/{member}/goals/{goal}", "PUT /api/my/digital/goals/{goal}": #"{"status":"done"}"#
        case "POST /api/digital/buddy/course/modules/{module}/answers": #"{"answers":[0]}"#
        case "POST /api/digital/buddy/assignments": #"{"buddy":"\#(o.staff.uuidString)","nickname":"muu-valmennettava"}"#
        case "POST /api/coaching/services/{service}/appointments", "POST /api/coaching/appointments/{appointment}/move":
            #"{"slot":"\#(o.slot.uuidString)"}"#
        case "POST /api/digital/times/slots": #"{"start":"2030-01-02T10:00:00Z","minutes":30,"place":"Kaapattu"}"#
        case "POST /api/digital/times/patterns": #"{"weekday":1,"start":"10:00","minutes":30,"from":"2030-01-01"}"#
        case "POST /api/digital/appointments/{appointment}/attendance": #"{"attended":false}"#
        case "POST /api/my/digital/times/{organisation}/appointments", "POST /api/my/digital/appointments/{appointment}/move":
            #"{"slot":"\#(o.digitalAppointment.slot.uuidString)"}"#
        // A CSV file: a help point for the other network's organisation.
        case "POST /api/finder/import":
            "municipality,name,organisation,place,themes,languages,access\nOulu,Kaapattu,Muu ry,online,safety,fi,drop_in\n"
        default: nil
        }
    }

    /// A registered client, signed in, and an active member of the demo's group
    /// (so the matrix covers someone with a standing in a group, just not in theirs).
    func groupMember(_ app: Kohtaamo, _ client: any TestClientProtocol, _ nickname: String) async throws -> Browser {
        let b = Browser(client, language: "en")
        let made = try await b.post(
            "/account/new", [("nickname", nickname), ("password", "salasana-123"), ("repeat", "salasana-123"), ("email", "")])
        #expect(made.status == .seeOther && b.cookies["k_member"] != nil)
        let info = try #require(try await app.network.directory.service(slug: "omaisryhma"))
        let settings = try await app.groups.service.settings(for: info)
        let joined = try await b.post(
            "/g/omaisryhma/join", [("nickname", nickname), ("rulesVersion", String(settings.rulesVersion)), ("invitation", ""), ("accept", "1")])
        #expect(joined.status == .seeOther)
        #expect(try await app.groups.service.repository.members(service: info.id).contains { $0.nickname == nickname && $0.status == .active })
        return b
    }

    func refused(_ r: TestResponse) -> Bool {
        [401, 403, 404].contains(r.status.code)
            || (r.status.code == 303 && ["/signin", "/account/signin"].contains { (r.headers[.location] ?? "").hasPrefix($0) })
            // A member who is not in the group is sent to its public page (to join), not into it.
            || (r.status.code == 303 && r.headers[.location] == "/g/muu-ryhma")
            // A foreign organisation chosen in a create form is a field error.
            || r.status.code == 400
    }

    @Test func everyRouteAndFrameRefusesAnotherNetworksData() async throws {
        try await withLiveApp { app, client, port in
            let other = try await makeOther(app, client)
            let routes = app.router().routes.map { "\($0.method) \($0.path)" }
            let missing = Set(routes).subtracting(Self.policies.keys)
            #expect(missing.isEmpty, "routes without a line in the authorisation matrix: \(missing.sorted())")

            // The roles: nobody, an anonymous client with a chat of their own, a
            // registered client who is a member of a group of their own, and each staff role.
            var actors: [(name: String, level: Level, browser: Browser)] = [("anonymous", .everyone, Browser(client))]
            let anonymous = Browser(client, language: "en")
            _ = try await anonymous.json(.post, "/api/support/tukichat/chats", nil)
            actors.append(("client", .client, anonymous))
            actors.append(("member", .client, try await groupMember(app, client, "Jäsen Yksi")))
            // The demo's coachee, with a coaching of their own.
            let coachee = Browser(client, language: "en")
            #expect(try await coachee.post("/account/signin", [("nickname", "valmennettava"), ("password", demoPassword)]).status == .seeOther)
            actors.append(("coachee", .client, coachee))
            for (email, level) in [
                ("volunteer1@demo.invalid", Level.staff), ("worker1@demo.invalid", .staff),
                ("coordinator@demo.invalid", .admin), ("network@demo.invalid", .admin),
            ] {
                let b = Browser(client, language: "en")
                try await b.signIn(email)
                actors.append((email, level, b))
            }
            let rank: [Level: Int] = [.everyone: 0, .client: 1, .staff: 2, .admin: 3]
            var tried = 0
            // Signing out and leaving quickly end an actor's session or token: they go last.
            let last = ["POST /account/signout", "GET /leave"]
            for route in routes.sorted().filter({ !last.contains($0) }) + last where route != "POST /signout" && route != "DELETE /api/session" {
                guard let policy = Self.policies[route] else { continue }
                let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                let path = fill(parts[1], other)
                for actor in actors {
                    let response: TestResponse
                    switch parts[0] {
                    case "GET": response = try await actor.browser.get(path)
                    case "DELETE": response = try await actor.browser.json(.delete, path, nil)
                    default:
                        if path.hasPrefix("/api/") {
                            response = try await actor.browser.json(
                                HTTPRequest.Method(rawValue: parts[0]) ?? .post, path, json(route, other) ?? "{}",
                                headers: route == "POST /api/finder/import" ? [.contentType: "text/csv"] : [:])
                        } else {
                            response = try await actor.browser.post(path, form(route, other))
                        }
                    }
                    tried += 1
                    #expect(response.status.code < 500, "\(route) by \(actor.name): \(response.status.code)")
                    let below = (rank[actor.level] ?? 0) < (rank[policy.level] ?? 0)
                    if policy.target || (below && policy.level != .client) {
                        #expect(refused(response), "\(route) by \(actor.name) was not refused: \(response.status.code)")
                    }
                }
            }
            #expect(tried >= routes.count * 5)

            // Socket frames into the other network's chat, from every role that has a socket.
            // (A new client: the first one's token ended when it left quickly.)
            let newClient = Browser(client)
            _ = try await newClient.json(.post, "/api/support/tukichat/chats", nil)
            let newMember = try await groupMember(app, client, "Jäsen Kaksi")
            // (The member and the coachee signed out above: newMember stands for them.)
            for actor in [("client", Level.client, newClient), ("member", .client, newMember)] + actors.dropFirst(4) {
                let cookie = actor.2.cookieLine
                let socket = TestSocket(port: port, cookie: cookie)
                for c in [other.chat, other.room].map({ $0.uuidString.lowercased() }) {
                    for frame in [
                        sendFrame(c, "kaapattu"), #"{"t":"sync","c":"\#(c)","after":0}"#, #"{"t":"read","c":"\#(c)","seq":1}"#,
                        #"{"t":"typing","c":"\#(c)"}"#,
                        #"{"t":"signal","c":"\#(c)","to":"staff:\#(other.staff.uuidString.lowercased())","data":{"sdp":"x"}}"#,
                    ] {
                        socket.send(frame)
                        #expect(await socket.next("error")?["code"] as? String == "not_participant", "\(frame) by \(actor.0)")
                    }
                }
                socket.close()
            }

            // And nothing of theirs changed.
            #expect(try await app.network.repository.service(id: other.service)?.names.fi == "Muu chat")
            #expect(try await app.network.repository.organisation(id: other.organisation)?.names.fi == "Muu ry")
            #expect(try await app.accounts.service.repository.staff(id: other.staff)?.role == .coordinator)
            let chat = try await app.chat.service.repository.chat(other.chat)
            #expect(chat?.status == .active && chat?.worker == other.staff)
            #expect(try await app.realtime.store.messages(conversation: other.chat, after: 0, limit: 10).isEmpty)
            #expect(try await app.network.referrals.cards(owners: [other.service]).map(\.id) == [other.referral])
            #expect(
                Set(try await app.chat.service.toolkit.replies.cards(owners: [other.service, other.staff]).map(\.id)) == [
                    other.reply, other.personal,
                ])
            #expect(try await app.chat.service.toolkit.topics(service: other.service).allSatisfy { !$0.archived })
            #expect(try await app.chat.service.repository.retentionDays(service: other.service) == nil)
            #expect(try await app.network.repository.service(slug: "kaapattu") == nil)
            #expect(try await app.accounts.service.repository.staff(email: "kaapattu@demo.invalid") == nil)
            #expect(try await app.accounts.service.repository.secondFactorRequired(organisation: other.organisation) == false)
            let group = try await app.groups.service.repository.settings(service: other.group)
            #expect(group?.access == .closed && group?.style == .questions && group?.rules.fi == "")
            #expect(try await app.groups.service.repository.application(id: other.application.id) == other.application)
            #expect(try await app.groups.service.repository.applications(service: other.group, open: false).map(\.id) == [other.application.id])
            #expect(try await app.groups.service.repository.questions(service: other.group) == [other.question])
            let members = try await app.groups.service.repository.members(service: other.group)
            #expect(
                members.map(\.member) == [other.member] && members.first?.isBanned(at: app.clock.nowMs) == true && members.first?.banReason == "muu")
            #expect(try await app.groups.service.repository.facilitators(service: other.group).isEmpty)
            #expect(try await app.groups.service.repository.events(service: other.group).map(\.id) == [other.event])
            #expect(try await app.groups.service.repository.invitedStaff(service: other.group).isEmpty)
            #expect(try await app.groups.service.repository.reports(service: other.group, open: false).isEmpty)
            let kept = try await app.realtime.store.messages(conversation: other.room, after: 0, limit: 10)
            #expect(kept.map(\.body) == ["muun viesti"])
            #expect(try await app.realtime.participants(other.room).map(\.sender.name) == ["Muu jäsen"])
            let call = try await app.calls.service.calls.call(id: other.call)
            #expect(call?.isOn == true)
            let inCall = try await app.calls.service.calls.members(call: other.call)
            #expect(inCall.map(\.identity) == [.staff(other.staff)] && inCall.allSatisfy { $0.isIn && !$0.hand && $0.audio })
            let coaching = app.coaching.service.repository
            #expect(try await coaching.task(id: other.task.id) == other.task)
            #expect(try await coaching.settings(service: other.coaching)?.coaches == [other.staff])
            #expect(try await coaching.settings(service: other.coaching)?.changeLimitHours == 24)
            let coachees = try await coaching.coachees(service: other.coaching, coach: nil)
            #expect(coachees.map(\.member) == [other.coachee] && coachees.allSatisfy { $0.status == .active })
            #expect(try await coaching.group(id: other.coachingGroup)?.members == [other.coachee])
            #expect(try await coaching.groups(service: other.coaching, coach: nil).count == 1)
            #expect(try await coaching.templates(service: other.coaching, coach: other.staff).map(\.id) == [other.template])
            #expect(try await coaching.tasks(service: other.coaching, coachee: other.coachee).count == 1)
            #expect(try await app.realtime.files.list(conversation: other.thread).map(\.id) == [other.file])
            #expect(try await app.coaching.service.booking.appointment(id: other.appointment.id, for: .guest(other.coachee)) == other.appointment)
            let times = try await app.coaching.service.booking.hostSlots(host: other.staff, fromMs: app.clock.nowMs, now: app.clock.now)
            #expect(times.contains { $0.slot.id == other.slot && $0.booked == nil })
            #expect(
                try await app.coaching.service.booking.patterns(host: other.staff).filter { $0.scope == other.coaching }.map(\.id) == [other.pattern])
            let reachout = app.reachout.service.repository
            #expect(try await reachout.plan(id: other.reachoutPlan.id) == other.reachoutPlan)
            #expect(try await reachout.history(plan: other.reachoutPlan.id, limit: 5).isEmpty)
            #expect(try await reachout.escalation(id: other.escalation.id)?.isOpen == true)
            #expect(try await reachout.absences(organisation: other.organisation, from: other.absence.from, to: other.absence.to) == [other.absence])
            #expect(try await reachout.plans(organisation: other.organisation).count == 1)
            #expect(try await app.finder.service.repository.point(id: other.finderPoint.id) == other.finderPoint)
            #expect(try await app.finder.service.repository.allPoints().allSatisfy { $0.name != "Kaapattu" })
            let digital = app.digital.service.repository
            #expect(try await digital.event(id: other.digitalEvent.id) == other.digitalEvent)
            #expect(try await digital.session(id: other.digitalSession.id) == other.digitalSession)
            #expect(try await digital.meetings(session: other.digitalSession.id).map(\.id) == [other.digitalMeeting])
            #expect(try await digital.seats(session: other.digitalSession.id).map(\.id) == [other.digitalSeat])
            #expect(try await digital.mappings(member: other.member) == [other.mapping])
            #expect(try await digital.goals(member: other.member) == [other.mappingGoal])
            let booking = app.digital.service.booking
            #expect(try await booking.appointment(id: other.digitalAppointment.id, for: .guest(other.coachee)) == other.digitalAppointment)
            #expect(try await booking.slot(id: other.digitalSlot) != nil)
            #expect(try await booking.repository.pattern(id: other.digitalPattern) != nil)
            #expect(times.contains { $0.slot.id == other.digitalSlot && $0.booked == nil })
            let buddies = app.digital.buddies.repository
            #expect(try await buddies.modules(network: other.network) == [other.buddyModule])
            #expect(try await buddies.assignments(organisation: other.organisation) == [other.buddyAssignment])
            #expect(try await buddies.progress(staff: other.staff).isEmpty)
        }
    }

    /// Routes that decide inside the handler whether the person may act (by
    /// their standing in the group, or signing out when not signed in): every
    /// other staff and coordinator route is in a group of a typed context.
    static let checkedInHandler: Set<String> = [
        "POST /signout", "POST /g/{slug}/questions/{id}/answer", "POST /g/{slug}/questions/{id}/remove",
    ]

    /// Every staff and coordinator route is in a group of `StaffContext` or
    /// `CoordinatorContext`, so the person is checked before the handler reads
    /// anything: a body no handler would accept (a form of the wrong type, JSON
    /// that is not JSON) still gets the sign-in answer when no one is signed
    /// in, and 403 for a worker on a coordinator's route. A handler that read
    /// its body first would answer 415 or 400 instead.
    @Test func staffRoutesCheckThePersonBeforeTheHandler() async throws {
        try await withApp { app, client in
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let anonymous = Browser(client, language: "en")
            func probe(_ b: Browser, _ method: String, _ path: String) async throws -> TestResponse {
                if method == "GET" { return try await b.get(path) }
                let api = path.hasPrefix("/api/")
                return try await client.execute(
                    uri: path, method: HTTPRequest.Method(rawValue: method) ?? .post,
                    headers: [.cookie: b.cookieLine, .contentType: api ? "application/json" : "text/plain"],
                    body: ByteBuffer(string: "not a form"))
            }
            var checked = 0
            for route in app.router().routes.map({ "\($0.method) \($0.path)" }).sorted() where !Self.checkedInHandler.contains(route) {
                guard let policy = Self.policies[route], policy.level == .staff || policy.level == .admin else { continue }
                let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                let path = parts[1].replacingOccurrences(of: "{slug}", with: "omaisryhma")
                    .replacingOccurrences(of: #"\{[a-z]+\}"#, with: UUID().uuidString, options: .regularExpression)
                let r = try await probe(anonymous, parts[0], path)
                #expect(
                    r.status == .unauthorized || (r.status == .seeOther && (r.headers[.location] ?? "").hasPrefix("/signin")),
                    "\(route) without a sign-in: \(r.status.code)")
                if policy.level == .admin {
                    #expect(try await probe(worker, parts[0], path).status == .forbidden, "\(route) by a worker")
                }
                checked += 1
            }
            #expect(checked >= 73)
        }
    }
}
