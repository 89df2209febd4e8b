import Crypto
import Foundation

/// A few lines inline in a live page's head that open its socket while the
/// modules are still coming; `RealtimeClient` takes the socket over, with
/// what arrived meanwhile. On a phone line (400 ms a round trip, 400
/// kbit/s) the modules take about a second, and the socket's handshake
/// now runs beside them instead of after (measured: `scripts/bench network`).
/// Inline script is allowed by its hash alone (`SecurityHeadersMiddleware`).
package enum EarlySocket {
    package static let script =
        #"(()=>{try{const e={frames:[],closed:false,ws:new WebSocket((location.protocol==="https:"?"wss:":"ws:")+"//"+location.host+"/socket")};"#
        + #"e.ws.onmessage=(m)=>e.frames.push(m.data);e.ws.onclose=()=>{e.closed=true};globalThis.kohtaamoEarlySocket=e}catch{}})();"#

    /// The CSP source that allows exactly this script.
    package static let cspSource = "'sha256-" + Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString() + "'"
}
