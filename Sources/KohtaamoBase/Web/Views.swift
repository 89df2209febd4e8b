import CompressNIO
import Foundation
import Hummingbird
import Mustache

/// Renders server-side pages: one layout (landmarks, skip link, language
/// switch) around a page template, with every text from the catalogues.
/// Mustache escapes every `{{value}}`, so user text is always shown as text.
package struct Views: Sendable {
    package let library: MustacheLibrary
    package let localizer: Localizer
    package let assets: Assets

    package init(resources: URL) async throws {
        library = try await MustacheLibrary(directory: resources.appendingPathComponent("templates").path)
        localizer = try Localizer(directory: resources.appendingPathComponent("locales"))
        assets = try Assets(directory: resources.appendingPathComponent("static"))
    }

    /// Renders `template` as a full page. `title` names the page (WCAG 2.4.2);
    /// `model` is the page's own values (see `PageModel`). Field errors become
    /// `err.<field>` beside fields and `errorSummary` at the top.
    package func page(
        _ template: Template,
        title: String,
        request: Request,
        context: some PageContext,
        status: HTTPResponse.Status = .ok,
        model: some PageModel,
        errors: FieldErrors = FieldErrors()
    ) -> Response {
        render(template, title: title, request: request, context: context, status: status, data: Self.values(of: model), errors: errors)
    }

    /// A page with no values of its own, only the layout's.
    package func page(
        _ template: Template,
        title: String,
        request: Request,
        context: some PageContext,
        status: HTTPResponse.Status = .ok,
        errors: FieldErrors = FieldErrors()
    ) -> Response {
        render(template, title: title, request: request, context: context, status: status, data: [:], errors: errors)
    }

    /// The layout's values (language, who is signed in, the CSRF token,
    /// field errors) over the page's own `data`.
    private func render(
        _ template: Template,
        title: String,
        request: Request,
        context: some PageContext,
        status: HTTPResponse.Status,
        data: [String: Any],
        errors: FieldErrors
    ) -> Response {
        let lang = context.language
        let t = localizer.catalogue(lang)
        var values = data
        values["t"] = t
        values["lang"] = lang.rawValue
        values["title"] = title
        values["css"] = assets.url("app.css")
        values["icon"] = assets.url("icon.svg")
        if let script = data["script"] as? String {
            let preloads = assets.preloads(ofScriptURL: script)
            values["preloads"] = preloads
            // A page whose script talks over the socket opens it at once.
            if preloads.contains(where: { $0.hasSuffix("/realtime.js") }) { values["earlySocket"] = EarlySocket.script }
        }
        let path = request.uri.path
        values["langs"] = Language.allCases.map { l in
            [
                "code": l.rawValue, "name": l.nativeName, "current": l == lang,
                "href": "/lang/\(l.rawValue)?next=\(path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")",
            ] as [String: Any]
        }
        if let p = context.principal {
            values["user"] =
                [
                    "workName": p.workName, "email": p.email, "isAdmin": p.role.canAdminister,
                    "role": t["role_\(p.role.rawValue)"] ?? p.role.rawValue,
                    // Reach-out's lists hold people's numbers: not for volunteers.
                    "canReachout": p.role != .volunteer,
                ] as [String: Any]
        }
        // Pages with a form (and every page of a signed-in person, for the
        // sign-out button) carry the CSRF token.
        if let m = context.member, context.principal == nil { values["member"] = ["nickname": m.nickname] }
        if context.principal != nil || context.member != nil || template.rawValue.hasSuffix("form") || data["form"] != nil {
            values["csrf"] = context.csrf.masked
        }
        if !errors.isEmpty {
            values["hasErrors"] = true
            values["errorSummary"] = errors.items.map { ["field": $0.field, "message": t[$0.key] ?? $0.key] }
            values["err"] = Dictionary(errors.items.map { ($0.field, t[$0.key] ?? $0.key) }, uniquingKeysWith: { a, _ in a })
            values["title"] = "\(t["error_prefix"] ?? "Error"): \(title)"
        }
        let html =
            library.render(values, withTemplate: template.rawValue)
            ?? "<!doctype html><title>Kohtaamo</title><p>Template \(template.rawValue) missing</p>"
        return Self.html(html, status: status, acceptEncoding: request.headers[.acceptEncoding])
    }

    /// A page, gzipped when the browser takes it: a page is 5–30 KiB of
    /// repetitive markup that shrinks to a fifth, and on a phone line
    /// (400 kbit/s) each KiB is 20 ms. Safe with secrets in the page
    /// because the only one, the CSRF token, is masked anew in each (`CSRFToken.masked`).
    package static func html(_ html: String, status: HTTPResponse.Status, acceptEncoding: String?) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .vary: "Accept-Encoding"]
        var body = ByteBuffer(string: html)
        if body.readableBytes > 1024, acceptEncoding.map(Self.acceptsGzip) == true, let gzip = try? body.compress(with: .gzip()) {
            headers[.contentEncoding] = "gzip"
            body = gzip
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// Whether an Accept-Encoding takes gzip (named or `*`, and not with q=0);
    /// pages and static files (`Assets`) both ask here.
    static func acceptsGzip(_ header: String) -> Bool {
        header.lowercased().split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return q > 0
        }
    }

    /// A page model's stored properties by name, without the `nil` ones:
    /// the same values swift-mustache would find in the struct through
    /// `Mirror`, where a `nil` property counts as absent, as a missing key.
    package static func values(of model: some PageModel) -> [String: Any] {
        var values: [String: Any] = [:]
        for child in Mirror(reflecting: model).children {
            guard let label = child.label else { continue }
            let mirror = Mirror(reflecting: child.value)
            if mirror.displayStyle == .optional {
                if let wrapped = mirror.children.first?.value { values[label] = wrapped }
            } else {
                values[label] = child.value
            }
        }
        return values
    }

    /// Text for a `{{#name}}…{{/name}}` section of a page model: Mustache
    /// counts an empty string as true, so empty text is `nil` (absent).
    package static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    /// A page title: "<what> – <where> – Kohtaamo".
    package func title(_ parts: String...) -> String {
        (parts + ["Kohtaamo"]).joined(separator: " – ")
    }

    /// A redirect after a successful form (303 so the browser GETs).
    package static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// Texts a page's script needs, as data-t-* attributes: `a-b` is the
    /// catalogue's `<prefix>a_b`, from the first prefix that has it.
    package static func scriptTexts(_ t: [String: String], _ keys: [String], prefixes: [String]) -> [[String: String]] {
        keys.map { key in
            let name = key.replacingOccurrences(of: "-", with: "_")
            return ["name": key, "text": prefixes.lazy.compactMap { t[$0 + name] }.first ?? key]
        }
    }
}
