import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// A group's weekly programme, on its page without JavaScript and in the
/// calendar feeds (per group and per organisation), read back as iCalendar.
@Suite struct GroupCalendarTests {
    /// The feed's lines unfolded, after checking the folding itself.
    static func lines(_ feed: String) throws -> [String] {
        #expect(feed.hasSuffix("\r\n"))
        let raw = feed.components(separatedBy: "\r\n").dropLast()
        for line in raw { #expect(line.utf8.count <= 75, "a line over 75 octets: \(line)") }
        var out: [String] = []
        for line in raw {
            if line.hasPrefix(" ") { out[out.count - 1] += line.dropFirst() } else { out.append(line) }
        }
        return out
    }

    /// Each VEVENT as its properties (name with parameters → value).
    static func events(_ lines: [String]) -> [[String: String]] {
        var events: [[String: String]] = [], current: [String: String]?
        for line in lines {
            if line == "BEGIN:VEVENT" { current = [:]; continue }
            if line == "END:VEVENT" { events.append(current!); current = nil; continue }
            guard current != nil, let colon = line.firstIndex(of: ":") else { continue }
            current![String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return events
    }

    @Test func theProgrammeAndTheScheduledTimesMakeAFeed() async throws {
        try await withApp(now: GroupTests.noon) { app, client in
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let page = "/g/\(GroupTests.slug)/programme"
            #expect(try await worker.get(page).status == .ok)
            let bad = try await worker.post(
                page,
                [
                    ("weekday", "3"), ("start", "25.00"), ("duration", "60"), ("titleFi", "Aamukahvit"),
                    ("titleSv", ""), ("titleEn", ""), ("link", ""),
                ])
            #expect(bad.status == .badRequest && bad.text.contains("Write the time"))
            #expect(
                try await worker.post(
                    page,
                    [
                        ("weekday", "3"), ("start", "9.30"), ("duration", "60"), ("titleFi", "Aamukahvit, pulla; juttu"),
                        ("titleSv", ""), ("titleEn", "Morning coffee, bun; chat"), ("link", ""),
                    ]
                ).status == .seeOther)
            #expect(
                try await worker.post(
                    page,
                    [
                        ("weekday", "5"), ("start", "14:00"), ("duration", "90"), ("titleFi", "Liikunta"),
                        ("titleSv", ""), ("titleEn", "Exercise"), ("link", "https://meet.example.fi/liikunta"),
                    ]
                ).status == .seeOther)
            #expect(
                try await worker.post(
                    page,
                    [
                        ("weekday", "5"), ("start", "14:00"), ("duration", "90"), ("titleFi", "Liikunta"),
                        ("titleSv", ""), ("titleEn", ""), ("link", "javascript:alert(1)"),
                    ]
                ).status == .badRequest)
            // On the group's page, without JavaScript.
            let groupPage = try await Browser(client, language: "en").get("/g/\(GroupTests.slug)")
            #expect(groupPage.text.contains("Morning coffee, bun; chat") && groupPage.text.contains("Wednesday 9:30–10:30"))
            // The call's link says what it is; an event in the room links there for those who may enter.
            #expect(
                groupPage.text.contains(
                    #"href="https://meet.example.fi/liikunta" rel="noopener noreferrer">Join the call<span class="visually-hidden">: Exercise</span>"#
                ))
            #expect(groupPage.text.contains("(in the group&#39;s conversation)") && !groupPage.text.contains("href=\"/g/\(GroupTests.slug)/room\""))
            #expect(
                try await worker.get("/g/\(GroupTests.slug)").text.contains(
                    #"<a href="/g/\#(GroupTests.slug)/room">Go to the group&#39;s conversation<span class="visually-hidden">: Morning coffee, bun; chat</span></a>"#
                ))

            let feed = try await Browser(client, language: "en").get("/g/\(GroupTests.slug)/calendar.ics")
            #expect(feed.status == .ok && feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
            let lines = try Self.lines(feed.text)
            #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
            #expect(lines.filter { $0.hasPrefix("BEGIN:") }.count == lines.filter { $0.hasPrefix("END:") }.count)
            #expect(lines.contains("TZID:Europe/Helsinki") && lines.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"))
            let events = Self.events(lines)
            #expect(events.count == 3, "two programme events and the themed group's Tuesday time")
            let coffee = try #require(events.first { $0["SUMMARY"]?.hasPrefix("Morning coffee") == true })
            #expect(coffee["SUMMARY"] == "Morning coffee\\, bun\\; chat – Group for relatives")
            #expect(coffee["DTSTART;TZID=Europe/Helsinki"] == "20250108T093000" && coffee["RRULE"] == "FREQ=WEEKLY;BYDAY=WE")
            #expect(coffee["DURATION"] == "PT1H0M" && coffee["URL"]?.hasSuffix("/g/omaisryhma/room") == true)
            let exercise = try #require(events.first { $0["SUMMARY"]?.hasPrefix("Exercise") == true })
            #expect(
                exercise["URL"] == "https://meet.example.fi/liikunta" && exercise["RRULE"] == "FREQ=WEEKLY;BYDAY=FR"
                    && exercise["DURATION"] == "PT1H30M")
            let tuesday = try #require(events.first { $0["RRULE"] == "FREQ=WEEKLY;BYDAY=TU" })
            #expect(tuesday["DTSTART;TZID=Europe/Helsinki"] == "20250107T180000" && tuesday["DURATION"] == "PT1H30M")
            #expect(Set(events.compactMap { $0["UID"] }).count == 3 && events.allSatisfy { $0["DTSTAMP"]?.hasSuffix("Z") == true })

            // The organisation's feed has its groups' events; the other organisation's has none of them.
            let staff = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            let organisation = try await Browser(client, language: "en").get("/organisations/\(staff.organisationID.uuidString)/calendar.ics")
            #expect(Self.events(try Self.lines(organisation.text)).count == 3)
            let lahde = try await app.accounts.service.repository.staff(email: "worker2@demo.invalid")!.organisationID
            #expect(Self.events(try Self.lines(try await Browser(client).get("/organisations/\(lahde.uuidString)/calendar.ics").text)).isEmpty)
            #expect(try await Browser(client).get("/organisations/not-an-id/calendar.ics").status == .notFound)

            // Deleting an event takes it out of the feed; a member cannot edit the programme.
            let group = try #require(try await app.network.directory.service(slug: GroupTests.slug)).id
            let id = try #require(try await app.groups.service.repository.events(service: group).first?.id)
            #expect(try await worker.post("/g/\(GroupTests.slug)/programme/\(id.uuidString)/delete").status == .seeOther)
            #expect(Self.events(try Self.lines(try await Browser(client).get("/g/\(GroupTests.slug)/calendar.ics").text)).count == 2)
            let member = try await GroupTests.member(client, "Aino")
            #expect(try await member.get(page).location?.hasPrefix("/signin") == true)
        }
    }

    @Test func textIsEscapedAndLongLinesFoldedWithoutSplittingACharacter() {
        let long = String(repeating: "ä", count: 60) + ",;\\\n"
        let feed = ICalendar(
            name: "Ryhmä", events: [.init(uid: "x@kohtaamo", weekday: 7, startMinute: 0, durationMinutes: 1440, summary: long)],
            stamp: Date(timeIntervalSince1970: 0)
        ).text
        let lines = feed.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.allSatisfy { String(validating: Array($0.utf8), as: UTF8.self) != nil })
        let unfolded = feed.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + String(repeating: "ä", count: 60) + "\\,\\;\\\\\\n\r\n"))
        #expect(unfolded.contains("DTSTAMP:19700101T000000Z") && unfolded.contains("DURATION:PT24H0M") && unfolded.contains("BYDAY=SU"))
    }
}
