import Foundation

/// A municipality's address part, made of its Finnish name: "Mänttä-Vilppula"
/// → `mantta-vilppula`. The finder and digital support's events name
/// municipalities by it, so an event lands on the right finder page.
package enum MunicipalitySlug {
    /// nil when nothing of the name is left, or it is longer than 60.
    package static func make(_ name: String) -> String? {
        var out = ""
        for c in name.lowercased().folding(options: [.diacriticInsensitive], locale: nil) {
            if c.isASCII && (c.isLetter || c.isNumber) {
                out.append(c)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        while out.last == "-" { out.removeLast() }
        return out.isEmpty || out.count > 60 ? nil : out
    }
}
