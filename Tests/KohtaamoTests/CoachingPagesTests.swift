import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Coaching
@testable import Kohtaamo
@testable import KohtaamoBase

/// The coaching pages without a browser: links in people's text, due times
/// in Helsinki, and the forms' refusals that keep what was typed.
@Suite struct CoachingPagesTests {
    @Test func onlyAddressesTheValidatorTakesBecomeLinks() {
        let lines = CoachingPageText.lines("Katso https://example.fi/ohje. ja javascript:alert(1)\nhttps://x\"y.fi/ <b>")
        #expect(lines.count == 2)
        #expect(lines[0].parts.map(\.link) == [nil, "https://example.fi/ohje", nil])
        #expect(lines[0].parts.map(\.text).joined() == "Katso https://example.fi/ohje. ja javascript:alert(1)")
        #expect(lines[1].parts.allSatisfy { $0.link == nil })
        #expect(lines[1].parts.map(\.text).joined() == "https://x\"y.fi/ <b>")
    }

    @Test func aDueTimeIsHelsinkiWallTime() throws {
        // Summer (UTC+3) and winter (UTC+2).
        #expect(try CoachingPageText.due(date: "2026-07-01", time: "12:00").get() == 1_782_896_400_000)
        #expect(try CoachingPageText.due(date: "2026-12-01", time: "12.00").get() == 1_796_119_200_000)
        #expect(try CoachingPageText.due(date: "", time: "12:00").get() == nil)
        for (date, time) in [("2026-02-30", "12:00"), ("huomenna", ""), ("2026-12-01", "25:00")] {
            #expect(throws: CoachingService.Refusal.badDue) { try CoachingPageText.due(date: date, time: time).get() }
        }
    }

    @Test func aCoachInvitesAndARefusedTaskKeepsWhatWasTyped() async throws {
        try await withApp { app, client in
            let coach = Browser(client, language: "fi")
            try await coach.signIn("worker1@demo.invalid")
            #expect(try await coach.get("/coaching").text.contains(#"href="/coaching/valmennus""#))
            let invited = try await coach.post("/coaching/valmennus/invitations", [("group", "")])
            #expect(invited.status == .created)
            let marker = #"id="invitation-code" class="secret">"#
            let start = try #require(invited.text.range(of: marker)).upperBound
            let code = String(invited.text[start...].prefix { $0 != "<" })
            #expect(code.count == 10)

            let person = Browser(client, language: "fi")
            let made = try await person.post(
                "/account/new?next=%2Fcoaching%2Fjoin%3Fcode%3D\(code)",
                [("nickname", "Sivu Testaaja"), ("password", "salasana-123"), ("repeat", "salasana-123"), ("email", "")])
            #expect(made.status == .seeOther)
            #expect(try await person.get("/coaching/join?code=\(code)").text.contains(#"value="\#(code)""#))
            let wrong = try await person.post("/coaching/join", [("code", "<b>vaara</b>")])
            #expect(wrong.status == .badRequest && wrong.text.contains("&lt;b&gt;vaara&lt;/b&gt;") && !wrong.text.contains("<b>vaara"))
            let joined = try await person.post("/coaching/join", [("code", code)])
            #expect(joined.status == .seeOther && joined.headers[.location] == "/my/coaching/valmennus")
            let service = try #require(try await app.network.directory.service(slug: "valmennus")).id
            let coachees = try await app.coaching.service.repository.coachees(service: service, coach: nil)
            let member = try #require(coachees.first { $0.nickname == "Sivu Testaaja" }).member

            // A checklist without steps: 400, the title kept (escaped), the field named.
            let path = "/coaching/valmennus/coachees/\(member.uuidString.lowercased())"
            let refused = try await coach.post(
                path + "/tasks",
                [
                    ("template", ""), ("title", "<i>Askeleet</i>"), ("instructions", "Rivi 1\nRivi 2"), ("answerKind", "checklist"),
                    ("checklist", ""), ("material", ""), ("dueDate", ""), ("dueTime", "16:00"),
                ])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(#"value="&lt;i&gt;Askeleet&lt;/i&gt;""#) && refused.text.contains("Rivi 1\nRivi 2"))
            #expect(refused.text.contains(#"id="checklist" name="checklist""#) && refused.text.contains(##"href="#checklist""##))
            let given = try await coach.post(
                path + "/tasks",
                [
                    ("template", ""), ("title", "Askeleet"), ("instructions", ""), ("answerKind", "checklist"), ("checklist", "Yksi\nKaksi"),
                    ("material", ""), ("dueDate", "2026-11-30"), ("dueTime", "16:00"),
                ])
            #expect(given.status == .seeOther)
            let task = try #require(try await app.coaching.service.repository.tasks(service: service, coachee: member).first)
            #expect(task.content.checklist == ["Yksi", "Kaksi"] && task.dueMs == 1_796_047_200_000)

            // The coachee ticks a step that is not there: refused, the ticks and words kept.
            let mine = "/my/coaching/valmennus/tasks/\(task.id.uuidString.lowercased())/answer"
            let bad = try await person.post(mine, [("checked", "1"), ("checked", "7"), ("text", "<script>x</script>")])
            #expect(bad.status == .badRequest && bad.text.contains("&lt;script&gt;x&lt;/script&gt;"))
            #expect(bad.text.contains(#"value="1" checked"#) && !bad.text.contains(#"value="0" checked"#))
            #expect(try await person.post(mine, [("checked", "1"), ("text", "")]).status == .seeOther)
            // Feedback: sending back needs words; accepting does not.
            let feedback = path + "/tasks/\(task.id.uuidString.lowercased())/feedback"
            #expect(try await coach.post(feedback, [("feedback", ""), ("decision", "return")]).status == .badRequest)
            #expect(try await coach.post(feedback, [("feedback", ""), ("decision", "accept")]).status == .seeOther)
            #expect(try await app.coaching.service.repository.task(id: task.id)?.status == .done)
            #expect(try await person.get("/my/coaching/valmennus").text.contains(#"aria-labelledby="section-done""#))
        }
    }
}
