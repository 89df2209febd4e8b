import Foundation
import Hummingbird
import KohtaamoBase

/// The public finder: `/finder`, `/finder/{slug}` with its GET search form,
/// and `/finder/{slug}.ics`. No sign-in, no script, no cookie needed: the
/// people who most need digital help are the least able to use a heavy page.
struct FinderPagesController {
    let service: FinderService
    let views: Views
    /// The site's public address, for absolute links in the calendar feed.
    let publicURL: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/finder", use: index)
        // `{slug}.ics` is matched before `{slug}` (a capture with a suffix ranks higher in the router).
        router.get("/finder/{slug}.ics", use: calendar)
        router.get("/finder/{slug}", use: municipality)
    }

    private func t(_ key: String, _ lang: Language, _ values: [String: String] = [:]) -> String { views.localizer.t(key, lang, values) }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await indexPage(request, context: context, notFound: false)
    }

    /// The list of municipalities; with `notFound`, a 404 that says the asked one has no help.
    private func indexPage(_ request: Request, context: AppRequestContext, notFound: Bool) async throws -> Response {
        let lang = context.language
        let items = try await service.municipalities().map { FinderIndexPage.Item(name: $0.names.in(lang), href: "/finder/\($0.slug)") }
        return views.page(
            .finder, title: views.title(t(notFound ? "finder_not_found_heading" : "finder_title", lang)), request: request, context: context,
            status: notFound ? .notFound : .ok,
            model: FinderIndexPage(municipalities: items, hasMunicipalities: !items.isEmpty, notFound: notFound))
    }

    func municipality(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = context.parameters.get("slug") ?? ""
        guard let municipality = try await service.municipality(slug: slug) else {
            return try await indexPage(request, context: context, notFound: true)
        }
        let lang = context.language
        let catalogue = views.localizer.catalogue(lang)
        // The choices: themes and languages the municipality's points offer, so no choice leads nowhere.
        let choices = try await service.choices(municipality: slug)
        let offeredThemes = choices.themes
        let offeredLanguages = Self.ordered(choices.languages, names: { Self.languageName($0, catalogue) })

        // The search: an absent or empty value is "any"; anything else must be one of the choices.
        var errors = FieldErrors()
        let themeText = request.uri.queryParameters["theme"].map(String.init) ?? ""
        let languageText = request.uri.queryParameters["language"].map(String.init) ?? ""
        let theme = DigitalTheme(rawValue: themeText)
        if !themeText.isEmpty && theme == nil { errors.add("theme", "finder_bad_theme") }
        let language = languageText.isEmpty ? nil : languageText
        if let language, !offeredLanguages.contains(language) { errors.add("language", "finder_bad_language") }

        let themeOptions = offeredThemes.map {
            FinderMunicipalityPage.Option(value: $0.rawValue, label: t("finder_theme_\($0.rawValue)", lang), selected: $0 == theme)
        }
        let languageOptions = offeredLanguages.map {
            FinderMunicipalityPage.Option(value: $0, label: Self.languageName($0, catalogue), selected: $0 == language)
        }
        let name = municipality.names.in(lang)
        let heading = t("finder_municipality_title", lang, ["municipality": name])
        let title = views.title(heading)
        guard errors.isEmpty, let listing = try await service.listing(slug: slug, theme: theme, language: language, in: lang) else {
            return views.page(
                .finderMunicipality, title: title, request: request, context: context, status: .badRequest,
                model: FinderMunicipalityPage(
                    heading: heading, slug: slug, themes: themeOptions, languages: languageOptions, count: nil, searched: true, points: [],
                    noResults: false, happenings: [], hasHappenings: false, showHappenings: false),
                errors: errors)
        }
        // One visit for each organisation whose help the page shows; nothing of the visitor.
        service.visits.record(organisations: Set(listing.points.map(\.point.organisation)))
        let searched = theme != nil || language != nil
        let count =
            searched
            ? t("finder_count", lang, ["shown": "\(listing.points.count)", "total": "\(listing.total)"])
            : t("finder_count_all", lang, ["total": "\(listing.total)"])
        let text = ScheduleText(localizer: views.localizer, lang: lang)
        let now = service.clock.now
        let points = listing.points.enumerated().map { index, p in pointView(p, index: index, text: text, now: now, catalogue: catalogue, lang: lang)
        }
        let happenings = listing.happenings.map { happeningView($0, text: text, now: now, lang: lang) }
        return views.page(
            .finderMunicipality, title: title, request: request, context: context,
            model: FinderMunicipalityPage(
                heading: heading, slug: slug, themes: themeOptions, languages: languageOptions, count: count, searched: searched, points: points,
                noResults: points.isEmpty, happenings: happenings, hasHappenings: !happenings.isEmpty, showHappenings: true))
    }

    func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = context.parameters.get("slug") ?? ""
        guard let municipality = try await service.municipality(slug: slug) else { throw AppError.notFound }
        let lang = context.language
        let feed = FinderCalendar(
            name: t("finder_municipality_title", lang, ["municipality": municipality.names.in(lang)]),
            happenings: try await service.happenings(municipality: slug), stamp: service.clock.now,
            base: publicURL ?? "http://\(request.head.authority ?? "127.0.0.1")", note: { [views] h in Self.note(h, views.localizer, lang) })
        return Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: #"inline; filename="finder-\#(slug).ics""#],
            body: .init(byteBuffer: ByteBuffer(string: feed.text)))
    }

    // MARK: views

    func pointView(
        _ p: FinderService.Point, index: Int, text: ScheduleText, now: Date, catalogue: [String: String], lang: Language
    ) -> FinderMunicipalityPage.PointView {
        let point = p.point, schedule = point.schedule
        var hours: FinderMunicipalityPage.Hours?
        // An online point without hours (a chat says itself whether it is open) gets no "closed, no hours" line.
        if !schedule.isEmpty {
            let status = text.status(schedule, now: now)
            let exceptions = text.upcomingExceptions(schedule, now: now)
            hours = .init(
                open: status.open, status: status.text, weekly: text.weeklyRows(schedule), exceptions: exceptions, hasExceptions: !exceptions.isEmpty)
        }
        let postal = [point.postalCode, point.city].filter { !$0.isEmpty }.joined(separator: " ")
        let address = [point.address, postal].filter { !$0.isEmpty }.joined(separator: ", ")
        let phoneDigits = point.phone.filter { $0.isASCII && ($0.isNumber || $0 == "+") }
        return .init(
            anchor: "point-\(index + 1)", name: point.name, organisation: Views.nonEmpty(p.organisationName),
            description: Views.nonEmpty(point.description), place: t("finder_place_\(point.place.rawValue)", lang),
            address: point.online ? nil : Views.nonEmpty(address), access: t("finder_access_\(point.access.rawValue)", lang),
            book: point.access != .dropIn ? "/my/digital/times/\(point.organisation.text())" : nil, hours: hours,
            themes: point.themes.map { t("finder_theme_\($0.rawValue)", lang) }.joined(separator: ", "),
            languages: point.languages.map { Self.languageName($0, catalogue) }.joined(separator: ", "),
            phone: Views.nonEmpty(point.phone), phoneHref: phoneDigits.isEmpty ? nil : "tel:" + phoneDigits, email: Views.nonEmpty(point.email),
            url: Self.safeLink(point.url),
            chat: p.chatOpen.flatMap { open in point.chatService.map { .init(open: open, href: "/s/\($0)") } })
    }

    func happeningView(_ h: Happening, text: ScheduleText, now: Date, lang: Language) -> FinderMunicipalityPage.HappeningView {
        let start = Date(timeIntervalSince1970: Double(h.startMs) / 1000), end = Date(timeIntervalSince1970: Double(h.endMs) / 1000)
        return .init(
            title: h.title, kind: t("finder_kind_\(h.kind.rawValue)", lang),
            when: t("finder_when", lang, ["day": text.day(of: start, now: now), "start": text.time(of: start), "end": text.time(of: end)]),
            place: h.online ? t("finder_place_online", lang) : h.place, description: Views.nonEmpty(h.description),
            note: Self.note(h, views.localizer, lang), link: h.link.flatMap(Self.safeLink), cancelled: h.cancelled)
    }

    /// What to know before going: a pop-up needs no registration; a group session has seats (or is full).
    static func note(_ h: Happening, _ localizer: Localizer, _ lang: Language) -> String {
        switch (h.kind, h.seatsLeft) {
        case (.popup, _): localizer.t("finder_popup_note", lang)
        case (.groupSession, let seats?):
            seats > 0 ? localizer.t("finder_seats_left", lang, ["seats": "\(seats)"]) : localizer.t("finder_seats_full", lang)
        case (.groupSession, nil): ""
        }
    }

    /// A link the page may show: a web address or a path of this site; nil for anything a browser could run (`javascript:`).
    static func safeLink(_ s: String) -> String? {
        let lower = s.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || (s.hasPrefix("/") && !s.hasPrefix("//")) else { return nil }
        return s
    }

    /// A language code in the reader's words ("ruotsi"); a code the catalogues do not name is shown as it is.
    static func languageName(_ code: String, _ catalogue: [String: String]) -> String {
        catalogue["language_\(code)"] ?? catalogue["finder_language_\(code)"] ?? code
    }

    /// Finnish, Swedish and English first (the country's and the site's languages), then the rest by name.
    static func ordered(_ codes: Set<String>, names: (String) -> String) -> [String] {
        let first = ["fi", "sv", "en"].filter(codes.contains)
        return first + codes.subtracting(first).sorted { names($0).localizedCompare(names($1)) == .orderedAscending }
    }
}
