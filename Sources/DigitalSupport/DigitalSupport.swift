/// Digital support (digituki): pop-up events anyone may drop in to, and
/// group sessions (a course of dated meetings with a seat limit and a
/// waiting list). Every day and time is Helsinki wall time.
package enum DigitalSupport {
    package static let maxTitle = 120
    package static let maxDescription = 2000
    package static let maxPlace = 200
    package static let maxAddress = 200
    package static let maxMunicipality = 60
    /// What a worker calls a person they add ("Aino, 040 123 4567"); sealed.
    package static let maxLabel = 120
    package static let seats = 1...200
    /// A course has at most this many meetings.
    package static let maxMeetings = 60
    /// How far ahead an event or a meeting may be put.
    package static let aheadDays = 2 * 366
}
