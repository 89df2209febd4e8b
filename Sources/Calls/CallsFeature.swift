import Foundation
import Hummingbird
import KohtaamoBase
import KohtaamoRealtime

/// The Calls capability: voice and video inside a support chat or a room,
/// peer to peer over WebRTC (signalling on the socket, TURN when needed),
/// and a room's link to a large meeting on an existing Jitsi.
package struct CallsFeature: Sendable {
    package let service: CallService

    package init(service: CallService) { self.service = service }

    package func addRoutes(to router: Router<AppRequestContext>) {
        CallsAPIController(calls: service).addRoutes(to: router)
    }
}
