import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Coaching
@testable import Kohtaamo
@testable import KohtaamoBase

/// Coaching groups and files in a thread on the pages, without a browser, in
/// Finnish, on the demo's coaching (`worker1` coaches `valmennettava`).
@Suite struct CoachingGroupPagesTests {
    /// Posts a `multipart/form-data` form with one file, as the thread's form does.
    func attach(
        _ browser: Browser, _ uri: String, next: String, name: String, bytes: [UInt8], referer: String? = nil
    ) async throws -> TestResponse {
        let boundary = "kohtaamo-test-boundary"
        var body = [UInt8]()
        for (field, value) in [("csrf", browser.csrf), ("next", next)] {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
        body += bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        var headers: HTTPFields = [
            .contentType: "multipart/form-data; boundary=\(boundary)", .cookie: browser.cookieLine, .acceptLanguage: "fi",
        ]
        if let referer { headers[.referer] = referer }
        return try await browser.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    @Test func aCoachGivesAGroupTaskAndTheMemberOpensTheGroup() async throws {
        try await withApp { app, client in
            let coach = Browser(client, language: "fi")
            try await coach.signIn("worker1@demo.invalid")
            let made = try await coach.post("/coaching/valmennus/groups", [("name", "Aamuryhmä")])
            #expect(made.status == .seeOther)
            let service = try #require(try await app.network.directory.service(slug: "valmennus")).id
            let coachees = try await app.coaching.service.repository.coachees(service: service, coach: nil)
            let member = try #require(coachees.first { $0.nickname == "valmennettava" }).member
            let servicePage = try await coach.get("/coaching/valmennus").text
            let marker = try #require(servicePage.range(of: #"<a href="/coaching/valmennus/groups/"#)).upperBound
            let group = String(servicePage[marker...].prefix(36))
            let path = "/coaching/valmennus/groups/\(group)"
            #expect(servicePage.contains(#"<a href="\#(path)">Aamuryhmä</a>"#))
            let added = try await coach.post("\(path)/members", [("member", member.text())])
            #expect(added.status == .seeOther)

            // The group's page: its thread (a group call), its member, the task form.
            let page = try await coach.get(path)
            #expect(page.status == .ok && page.text.contains("<h1>Aamuryhmä</h1>") && page.text.contains(#"data-call-kind="group""#))
            #expect(page.text.contains(#"<h3 id="member-\#(member.text())">valmennettava</h3>"#))
            #expect(page.text.contains(#"action="/coaching/threads/"#) && page.text.contains(#"enctype="multipart/form-data""#))

            // A refused group task keeps what was typed; a good one reaches every member.
            let refused = try await coach.post(
                "\(path)/tasks",
                [
                    ("template", ""), ("title", ""), ("instructions", "Ohje"), ("answerKind", "text"), ("checklist", ""), ("material", ""),
                    ("dueDate", ""), ("dueTime", ""),
                ])
            #expect(refused.status == .badRequest && refused.text.contains(">Ohje</textarea>"))
            let given = try await coach.post(
                "\(path)/tasks",
                [
                    ("template", ""), ("title", "Kävele <b>kymmenen</b> minuuttia"), ("instructions", ""), ("answerKind", "done"),
                    ("checklist", ""), ("material", ""), ("dueDate", ""), ("dueTime", ""),
                ])
            #expect(given.status == .seeOther && given.headers[.location] == "\(path)#members")
            let withTask = try await coach.get(path).text
            #expect(withTask.contains("Kävele &lt;b&gt;kymmenen&lt;/b&gt; minuuttia: avoinna"))

            // The member: a link from their coaching, the group's page, and the task among their own.
            let person = Browser(client, language: "fi")
            #expect(try await person.post("/account/signin", [("nickname", "valmennettava"), ("password", demoPassword)]).status == .seeOther)
            let mine = try await person.get("/my/coaching/valmennus").text
            #expect(mine.contains(#"<a href="/my/coaching/valmennus/groups/\#(group)">Aamuryhmä</a>"#))
            #expect(mine.contains("Kävele &lt;b&gt;kymmenen&lt;/b&gt; minuuttia"))
            let theirs = try await person.get("/my/coaching/valmennus/groups/\(group)")
            #expect(theirs.status == .ok && theirs.text.contains("<h1>Aamuryhmä</h1>") && theirs.text.contains(#"data-call-kind="group""#))

            // Strangers: another worker, a person not in the group; each gets 404.
            let other = Browser(client, language: "fi")
            try await other.signIn("worker2@demo.invalid")
            #expect(try await other.get(path).status == .notFound)
            let outsider = Browser(client, language: "fi")
            let account = try await outsider.post(
                "/account/new", [("nickname", "Ulkopuolinen"), ("password", "salasana-123"), ("repeat", "salasana-123"), ("email", "")])
            #expect(account.status == .seeOther)
            #expect(try await outsider.get("/my/coaching/valmennus/groups/\(group)").status == .notFound)

            // Removing the member: gone from the page, and their page of the group is gone.
            let removed = try await coach.post("\(path)/members/\(member.text())/remove")
            #expect(removed.status == .seeOther)
            #expect(!(try await coach.get(path).text.contains(#"id="member-\#(member.text())""#)))
            #expect(try await person.get("/my/coaching/valmennus/groups/\(group)").status == .notFound)
        }
    }

    @Test func aFileAttachedThroughTheFormBecomesAMessage() async throws {
        try await withApp { app, client in
            let person = Browser(client, language: "fi")
            #expect(try await person.post("/account/signin", [("nickname", "valmennettava"), ("password", demoPassword)]).status == .seeOther)
            let service = try #require(try await app.network.directory.service(slug: "valmennus")).id
            let coachees = try await app.coaching.service.repository.coachees(service: service, coach: nil)
            let me = try #require(coachees.first { $0.nickname == "valmennettava" })
            let thread = me.conversation
            let uri = "/coaching/threads/\(thread.text())/files"
            #expect(try await person.get("/my/coaching/valmennus").text.contains(#"action="\#(uri)""#))

            let pdf = Array("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)
            let sent = try await attach(person, uri, next: "/my/coaching/valmennus", name: "suunnitelma.pdf", bytes: pdf)
            #expect(sent.status == .seeOther && sent.headers[.location] == "/my/coaching/valmennus#thread-title")
            let files = try await app.realtime.files.list(conversation: thread)
            let file = try #require(files.first)
            let messages = try await app.realtime.messages(conversation: thread, after: 0, limit: 100)
            #expect(messages.contains { $0.body == "📎 suunnitelma.pdf\n\(CoachingService.filePath(file))" })

            // HTML whose name says PDF: refused with the reason on the same page, nothing kept.
            let html = Array("<!DOCTYPE html><html><script>alert(1)</script></html>".utf8)
            let refused = try await attach(person, uri, next: "/my/coaching/valmennus", name: "lasku.pdf", bytes: html)
            #expect(refused.status == .seeOther)
            let back = try #require(refused.headers[.location])
            #expect(back == "/my/coaching/valmennus?file_error=file_type_not_allowed#thread-file")
            let page = try await person.get(String(back.prefix { $0 != "#" }))
            #expect(page.text.contains("Tällaista tiedostoa ei voi lähettää tähän. Kokeile toista tiedostoa."))
            #expect(page.text.contains(#"aria-invalid="true""#))
            #expect(try await app.realtime.files.list(conversation: thread).count == 1)

            // An unsafe next goes nowhere else; a stranger to the thread gets 404 before the form is read.
            let away = try await attach(person, uri, next: "//evil.example/", name: "toinen.pdf", bytes: pdf)
            #expect(away.headers[.location] == "/#thread-title")
            let stranger = Browser(client, language: "fi")
            try await stranger.signIn("worker2@demo.invalid")
            #expect(try await attach(stranger, uri, next: "/", name: "x.pdf", bytes: pdf).status == .notFound)
        }
    }
}
