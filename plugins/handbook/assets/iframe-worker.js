// A Worker for the offline copy of the handbook, opened from the file system (file://).
//
// Browsers refuse `new Worker(...)` for a file:// page, and Material then hides its search box. Material
// supports a shim that runs the worker's script in a hidden frame instead (the npm package iframe-worker,
// which the theme's offline plugin loads from a CDN). That package writes an inline script into the frame,
// which the handbook's content security policy refuses; this one writes none: the frame is the page's own
// blank frame (same origin, same policy), and the worker's script and the scripts it imports are loaded
// into it as files, which the policy allows ('self').
//
// What the worker sees is what Material's search worker expects of that shim:
// - `postMessage(data)` sends data to the page; the page's messages arrive as "message" events;
// - `importScripts(...urls)` returns a promise, fulfilled once the scripts ran in order (the worker awaits it);
// - `parent.IFrameWorker` exists, and the frame's first script with a `src` is the worker's own, which is
//   how the worker finds the stemmers beside it.
(() => {
  "use strict";

  const load = (frameDocument, src) => new Promise((resolve, reject) => {
    const script = frameDocument.createElement("script");
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`the worker could not load ${src}`));
    frameDocument.body.appendChild(script);
  });

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = new URL(String(url), document.baseURI).href;
      this.onmessage = null;
      this.onerror = null;
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.setAttribute("aria-hidden", "true");
      this.frame.tabIndex = -1;
      document.body.appendChild(this.frame);
      const scope = this.frame.contentWindow;
      const frameDocument = this.frame.contentDocument;
      scope.postMessage = (data) => {
        const copy = structuredClone(data); // made in the page's realm, as a worker's message would be
        setTimeout(() => this.emit(new MessageEvent("message", { data: copy })), 0);
      };
      scope.importScripts = (...urls) => urls.reduce(
        (done, src) => done.then(() => load(frameDocument, new URL(String(src), this.url).href)),
        Promise.resolve(),
      );
      scope.addEventListener("error", (event) => {
        this.emit(new ErrorEvent("error", { message: event.message, filename: event.filename,
                                            lineno: event.lineno, colno: event.colno, error: event.error }));
      });
      this.ready = load(frameDocument, this.url);
      this.ready.catch((error) => this.emit(new ErrorEvent("error", { message: error.message, error })));
    }

    emit(event) {
      this.dispatchEvent(event);
      const handler = event.type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") {
        handler.call(this, event);
      }
    }

    postMessage(data) {
      this.ready.then(() => {
        const scope = this.frame.contentWindow;
        if (scope) {
          scope.dispatchEvent(new scope.MessageEvent("message", { data: scope.structuredClone(data) }));
        }
      }, () => {});
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.IFrameWorker = IFrameWorker;
  if (location.protocol === "file:") {
    window.Worker = IFrameWorker;
  }
})();
