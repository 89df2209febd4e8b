// The call panel is the largest script (about two fifths of the chat's
// bytes) and is needed only when a call starts. On a phone line loading it
// up front delays the chat's first connection by a quarter of a second or
// more, so pages load it once they are live. Until it is there, what the
// page asks of it waits in order: a call offered in the first moment is
// shown as soon as the panel exists.

/**
 * @param {object} options what `new CallPanel(options)` takes
 * @param {() => Promise<{CallPanel: Function}>} load the import (a test passes its own)
 */
export function lazyCallPanel(options, load = () => import("./call.js")) {
  const waiting = [];
  let panel = null;
  let loading = null;
  const call = (method, args) => {
    if (panel) return panel[method](...args);
    waiting.push([method, args]);
  };
  return {
    /** Starts loading (once); resolves to the panel. */
    load() {
      loading ??= load().then(({ CallPanel }) => {
        panel = new CallPanel(options);
        for (const [method, args] of waiting.splice(0)) panel[method](...args);
        return panel;
      });
      return loading;
    },
    handle: (...args) => call("handle", args),
    close: (...args) => call("close", args),
    init: (...args) => call("init", args),
  };
}
