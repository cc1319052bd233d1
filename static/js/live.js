// The live cart: every page with the header listens to its shopper's cart stream (/events/,
// Server-Sent Events) and, on a change made anywhere else (another tab or device, the API, a
// checkout, staff changing a price or stock), fetches the badge, mini cart and cart page
// partials again (not a reload). Without a stream (blocked, dropped, a guest with no cart yet)
// a tab coming back into view revalidates the cart instead, at most once every few seconds.
// Pages work without this file.
(function () {
  "use strict";

  const REVALIDATE_EVERY_MS = 5000; // the visibilitychange fallback, at most this often
  const COALESCE_MS = 100; // events arriving together make one refresh
  const RETRY_MIN_MS = 5000; // reopening a stream the server refused or ended for good
  const RETRY_MAX_MS = 80000;

  let header = null;
  let source = null;
  let retryMs = RETRY_MIN_MS;
  let retryTimer = null;
  let refreshTimer = null;
  let lastRefresh = 0;

  // A field the shopper is typing in (the note, a quantity) is not swapped under their
  // fingers: the refresh waits until they leave it.
  function typing() {
    const active = document.activeElement;
    return active && active.matches && active.matches("input:not([type=hidden]), textarea") &&
      active.closest("#cart-body, #mini-cart-dropdown") !== null ? active : null;
  }

  function refresh() {
    refreshTimer = null;
    const field = typing();
    if (field) {
      field.addEventListener("focusout", scheduleRefresh, { once: true });
      return;
    }
    lastRefresh = Date.now();
    // Queued behind the shopper's own cart actions (hx-sync on <body>); every part comes out
    // of band, as after a cart action.
    window.htmx.ajax("GET", header.dataset.liveRefresh, { source: document.body, swap: "none" });
  }

  function scheduleRefresh() {
    if (!refreshTimer) refreshTimer = window.setTimeout(refresh, COALESCE_MS);
  }

  function reopenLater() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      open();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  function open() {
    if (source || !window.EventSource || document.visibilityState === "hidden") return;
    source = new EventSource(header.dataset.liveEvents);
    document.documentElement.dataset.liveStream = "connecting";
    source.addEventListener("open", function () {
      retryMs = RETRY_MIN_MS;
      document.documentElement.dataset.liveStream = "open";
    });
    source.addEventListener("cart", scheduleRefresh);
    source.addEventListener("error", function () {
      // While CONNECTING the browser retries by itself (sending Last-Event-ID); CLOSED means
      // the server said no (204: nothing to hear yet; 429: too many tabs) or went away.
      if (source && source.readyState === EventSource.CLOSED) {
        source.close();
        source = null;
        document.documentElement.dataset.liveStream = "closed";
        reopenLater();
      }
    });
  }

  function streamOpen() {
    return source !== null && source.readyState === EventSource.OPEN;
  }

  document.addEventListener("DOMContentLoaded", function () {
    header = document.getElementById("header-cart");
    if (!header || !header.dataset.liveEvents || !window.htmx) return;
    open();
    // The shopper's own change may have made their first cart: now there is a stream to hear.
    document.body.addEventListener("cart-changed", function () {
      if (!source) open();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "visible") return;
      if (!streamOpen() && Date.now() - lastRefresh >= REVALIDATE_EVERY_MS) scheduleRefresh();
      open();
    });
    // A page restored from the back/forward cache shows what the cart was then.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) scheduleRefresh();
    });
  });
})();
