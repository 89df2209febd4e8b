/// The page of an error (`error.mustache`): its heading, the message and the
/// code to quote to support.
struct ErrorPage: PageModel {
    let heading: String
    let message: String
    let code: String
}
