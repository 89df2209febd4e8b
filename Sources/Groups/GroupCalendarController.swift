import Foundation
import Hummingbird
import KohtaamoBase

/// A group's weekly programme (edited by its moderators) and the calendar
/// feeds: one per group and one per organisation, as iCalendar files that
/// a phone's calendar can subscribe to. Only public groups have feeds.
struct GroupCalendarController {
    let groups: GroupService
    let views: Views
    let pages: GroupPagesController

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/g/{slug}/calendar.ics", use: groupFeed)
        router.get("/organisations/{id}/calendar.ics", use: organisationFeed)
        let programme = router.group("/g/{slug}/programme", context: StaffContext.self)
        programme.get(use: programmePage)
        programme.post(use: addEvent)
        programme.post("{event}/delete", use: deleteEvent)
    }

    private func t(_ context: some PageContext) -> [String: String] { views.localizer.catalogue(context.language) }

    /// The group's events in a feed: its programme, and a themed group's scheduled times.
    func events(_ info: ServiceInfo, _ settings: GroupSettings, language: Language, base: String) async throws -> [ICalendar.WeeklyEvent] {
        var list = try await groups.events(service: info.id).map { e in
            ICalendar.WeeklyEvent(
                uid: "\(e.id.uuidString.lowercased())@kohtaamo", weekday: e.weekday, startMinute: e.startMinute,
                durationMinutes: e.durationMinutes, summary: "\(e.title.in(language)) – \(info.names.in(language))",
                url: e.link.isEmpty ? "\(base)/g/\(info.slug)/room" : e.link)
        }
        if settings.scheduled {
            for h in try await groups.services.weeklyHours(service: info.id) {
                list.append(
                    ICalendar.WeeklyEvent(
                        uid: "\(info.id.uuidString.lowercased())-\(h.weekday)-\(h.opens)@kohtaamo", weekday: h.weekday,
                        startMinute: h.opens, durationMinutes: h.closes - h.opens, summary: info.names.in(language),
                        url: "\(base)/g/\(info.slug)/room"))
            }
        }
        return list.sorted { ($0.weekday, $0.startMinute) < ($1.weekday, $1.startMinute) }
    }

    private func base(_ request: Request) -> String { "http://\(request.head.authority ?? "127.0.0.1")" }

    private func feed(_ calendar: ICalendar, file: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: #"inline; filename="\#(file).ics""#],
            body: .init(byteBuffer: ByteBuffer(string: calendar.text)))
    }

    func groupFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (info, settings) = try await pages.group(context)
        guard info.isPublic, settings.access != .staff else { throw AppError.notFound }
        let calendar = ICalendar(
            name: info.names.in(context.language),
            events: try await events(info, settings, language: context.language, base: base(request)), stamp: groups.clock.now)
        return feed(calendar, file: info.slug)
    }

    func organisationFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let organisation = try await groups.services.organisationName(id, language: context.language)
        else { throw AppError.notFound }
        var all: [ICalendar.WeeklyEvent] = []
        for info in try await groups.services.services(organisation: id) where info.kind == .group && info.isPublic {
            let settings = try await groups.settings(for: info)
            guard settings.access != .staff else { continue }
            all += try await events(info, settings, language: context.language, base: base(request))
        }
        return feed(ICalendar(name: organisation, events: all, stamp: groups.clock.now), file: "groups")
    }

    // MARK: the programme, edited by the group's moderators

    private func moderator(_ context: StaffContext) async throws -> (ServiceInfo, GroupSettings, StaffPrincipal) {
        try await pages.moderator(context)
    }

    private func render(
        _ request: Request, _ context: StaffContext, _ info: ServiceInfo, form: Form? = nil,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let t = t(context), lang = context.language
        let events = try await groups.events(service: info.id).map { e in
            GroupProgrammePage.Event(
                id: e.id.uuidString, day: t["weekday_\(e.weekday)"] ?? "", time: GroupCalendarController.time(e.startMinute, lang),
                end: GroupCalendarController.time(e.startMinute + e.durationMinutes, lang), title: e.title.in(lang), link: Views.nonEmpty(e.link))
        }
        let weekday = form.flatMap { Int($0["weekday"]) } ?? 1
        return views.page(
            .groupProgrammeForm, title: views.title(views.localizer.t("group_programme_title", lang), info.names.in(lang)), request: request,
            context: context, status: status,
            model: GroupProgrammePage(
                slug: info.slug, name: info.names.in(lang), events: events, hasEvents: !events.isEmpty,
                weekdays: (1...7).map { .init(value: $0, label: t["weekday_\($0)"] ?? "", selected: $0 == weekday) },
                start: form?["start"] ?? "", duration: form?["duration"] ?? "60", titleFi: form?["titleFi"] ?? "",
                titleSv: form?["titleSv"] ?? "", titleEn: form?["titleEn"] ?? "", newLink: form?["link"] ?? ""),
            errors: errors)
    }

    static func time(_ minute: Int, _ lang: Language) -> String {
        let h = (minute / 60) % 24 == 0 && minute >= 1440 ? 24 : minute / 60, m = minute % 60
        return lang == .en ? String(format: "%d:%02d", h, m) : String(format: "%d.%02d", h, m)
    }

    /// "18.30", "18:30" or "18" → minutes since midnight.
    static func minute(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "." || $0 == ":" })
        guard (1...2).contains(parts.count), let h = Int(parts[0]), (0...23).contains(h) else { return nil }
        let m = parts.count == 2 ? Int(parts[1]) : 0
        guard let m, (0...59).contains(m), parts.count == 1 || parts[1].count == 2 else { return nil }
        return h * 60 + m
    }

    func programmePage(_ request: Request, context: StaffContext) async throws -> Response {
        let (info, _, _) = try await moderator(context)
        return try await render(request, context, info)
    }

    func addEvent(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, _, p) = try await moderator(context)
        var errors = FieldErrors()
        let weekday = Int(form["weekday"]).flatMap { (1...7).contains($0) ? $0 : nil }
        if weekday == nil { errors.add("weekday", "error_programme_weekday") }
        let start = Self.minute(form["start"])
        if start == nil { errors.add("start", "error_programme_start") }
        let duration = Int(form["duration"]).flatMap { (5...720).contains($0) ? $0 : nil }
        if duration == nil { errors.add("duration", "error_programme_duration") }
        let title = LocalizedText(
            fi: form["titleFi"].trimmingCharacters(in: .whitespaces), sv: form["titleSv"].trimmingCharacters(in: .whitespaces),
            en: form["titleEn"].trimmingCharacters(in: .whitespaces))
        if !Validate.length(title.fi, 2...80) || !Validate.plainLine(title.fi) { errors.add("titleFi", "error_programme_title") }
        for (field, text) in [("titleSv", title.sv), ("titleEn", title.en)] where !Validate.length(text, 0...80) || !Validate.plainLine(text) {
            errors.add(field, "error_programme_title")
        }
        let link = form["link"].trimmingCharacters(in: .whitespaces)
        if !link.isEmpty, !Validate.webAddress(link) { errors.add("link", "error_programme_link") }
        guard errors.isEmpty, let weekday, let start, let duration else {
            return try await render(request, context, info, form: form, errors: errors, status: .badRequest)
        }
        try await groups.addEvent(
            ProgrammeEvent(
                id: UUID(), service: info.id, weekday: weekday, startMinute: start, durationMinutes: duration,
                title: title, link: link), by: p, service: info)
        return Views.redirect("/g/\(info.slug)/programme")
    }

    func deleteEvent(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let (info, _, p) = try await moderator(context)
        guard let id = context.parameters.get("event").flatMap(UUID.init(uuidString:)),
            try await groups.deleteEvent(id, by: p, service: info)
        else { throw AppError.notFound }
        return Views.redirect("/g/\(info.slug)/programme")
    }
}
