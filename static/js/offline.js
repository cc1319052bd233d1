// Cart actions on a flaky network (issue 17, point 4). A cart action that cannot reach the
// shop (no answer at all, or a gateway's 502/503/504) waits in a queue under the offline
// banner, and is sent again, in order, when the browser is back online and on a backoff timer
// meanwhile. Each keeps its one-time form key, so the shop applies it once even if an earlier
// send did arrive (shop/formkeys.py). Without this file the forms post as they always did.
(function () {
  "use strict";

  const KEY = "form_key";
  const RESEND_HEADER = "X-Cart-Resend";
  const TRANSIENT = [409, 502, 503, 504]; // 409: an earlier send of the same key still runs
  // A queue sent again in a burst may meet the rate limit: it then waits its turn too.
  const RESEND_TRANSIENT = TRANSIENT.concat([429]);
  const FIRST_DELAY = 1000;
  const MAX_DELAY = 30000;

  const queue = []; // {verb, path, values, target, swap}, oldest first
  const sentKeys = new Set();
  let sending = false;
  let timer = null;
  let delay = FIRST_DELAY;
  let lastStatus = 0;

  function freshKey() {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function isCartAction(config) {
    return Boolean(config && config.formData && config.formData.has(KEY));
  }

  function isResend(config) {
    return Boolean(config && config.headers && config.headers[RESEND_HEADER]);
  }

  function showBanner(shown) {
    const banner = document.getElementById("offline-banner");
    if (banner) banner.hidden = !shown;
  }

  function capture(config) {
    const values = new FormData();
    config.formData.forEach(function (value, name) { values.append(name, value); });
    const swapping = config.elt.closest("[hx-swap]");
    return {
      verb: config.verb,
      path: config.path,
      values: values,
      target: config.target,
      swap: swapping ? swapping.getAttribute("hx-swap") : "none",
    };
  }

  function schedule() {
    if (sending || timer || !queue.length) return;
    timer = setTimeout(flush, delay);
    delay = Math.min(delay * 2, MAX_DELAY);
  }

  function enqueue(item) {
    queue.push(item);
    showBanner(true);
    schedule();
  }

  function settle() {
    sending = false;
    if (lastStatus === 0 || RESEND_TRANSIENT.indexOf(lastStatus) >= 0) {
      schedule(); // still unreachable: the same request, later
      return;
    }
    queue.shift();
    delay = FIRST_DELAY;
    if (queue.length) {
      flush();
    } else {
      showBanner(false);
    }
  }

  // Send the oldest waiting action again, with its original values (and key).
  function flush() {
    clearTimeout(timer);
    timer = null;
    if (sending || !queue.length || !window.htmx) return;
    sending = true;
    lastStatus = 0;
    const item = queue[0];
    const headers = {};
    headers[RESEND_HEADER] = "1";
    const options = { source: document.body, values: item.values, headers: headers, swap: "none" };
    if (item.target && item.target.isConnected && item.target !== document.body) {
      options.target = item.target;
      options.swap = item.swap;
    }
    htmx.ajax(item.verb, item.path, options).then(settle, settle);
  }

  function onConfigRequest(event) {
    const config = event.detail;
    if (!isCartAction(config) || isResend(config)) return;
    // A form sent a second time (not re-rendered in between) is a second change: a new key.
    if (sentKeys.has(config.formData.get(KEY))) config.formData.set(KEY, freshKey());
    sentKeys.add(config.formData.get(KEY));
    if (queue.length) {
      // Actions keep their order: this one waits behind those not yet through.
      event.preventDefault();
      enqueue(capture(config));
      config.elt.dispatchEvent(new CustomEvent("cart-action-queued", { bubbles: true, detail: { elt: config.elt } }));
    }
  }

  // Runs before the page's own error handling (capture phase), which skips what it queues.
  function onFailure(event) {
    const config = event.detail.requestConfig;
    if (!isCartAction(config)) return;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    const retried = isResend(config) ? RESEND_TRANSIENT : TRANSIENT;
    const transient = event.type !== "htmx:responseError" || retried.indexOf(status) >= 0;
    if (!transient) return;
    event.detail.cartQueued = true;
    if (!isResend(config)) enqueue(capture(config));
  }

  function onAfterRequest(event) {
    if (isResend(event.detail.requestConfig)) lastStatus = event.detail.xhr.status;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("htmx:configRequest", onConfigRequest);
    document.body.addEventListener("htmx:afterRequest", onAfterRequest);
    document.addEventListener("htmx:sendError", onFailure, true);
    document.addEventListener("htmx:timeout", onFailure, true);
    document.addEventListener("htmx:responseError", onFailure, true);
    window.addEventListener("online", function () {
      delay = FIRST_DELAY;
      flush();
    });
  });
})();
