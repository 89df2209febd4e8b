/// The values one page's template shows, as a struct in the feature folder
/// of the controller that renders the page (`Views.page(_:model:)`).
/// swift-mustache reads its stored properties by name through `Mirror`:
/// a `Bool` opens or skips a section, an array repeats it (an empty one
/// skips it), a nested struct opens a section with its own fields, and a
/// `nil` optional counts as absent. An empty `String` counts as true, so
/// text that may be empty is an optional (`Views.nonEmpty`) or a `Bool` beside it.
package protocol PageModel {}
