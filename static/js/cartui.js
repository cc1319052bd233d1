// The cart's keyboard focus and the product page's add button. Pages work without this file:
// every cart form posts and redirects; here they only keep focus and clicks where they belong.
(function () {
  "use strict";

  const PAGE_LINES = "#cart-body [data-testid=cart-item]";
  const MINI_LINES = "#mini-cart-dropdown [data-testid=mini-cart-item]";

  // --- Focus after a cart change -------------------------------------------------------
  // A swap that removes the focused control (Remove, a quantity typed to 0, Clear cart, Undo)
  // would drop focus to <body>. Where it goes instead is decided when the request leaves (which
  // list, which place in it) and applied when the answer is in, only if focus was lost.
  // The Undo of a removal is not focused: it is announced (role=status) and stays reachable
  // by keyboard, while focus keeps the shopper's place in the list (see notes/cartui.md).

  function miniPanel() {
    const panel = document.getElementById("mini-cart-dropdown");
    return panel && !panel.hidden ? panel : null;
  }

  function intentFor(elt) {
    if (!elt || !elt.closest) return null;
    if (elt.matches("[data-testid=clear-cart]")) return { kind: "heading" };
    if (elt.matches("[data-testid=undo-remove]")) {
      const inputs = elt.form ? elt.form.querySelectorAll("input[name=variant_id]") : [];
      return { kind: "restore", variants: Array.from(inputs, function (input) { return input.value; }) };
    }
    const mini = elt.closest("#mini-cart-dropdown");
    const selector = mini ? MINI_LINES : PAGE_LINES;
    const line = elt.closest(mini ? "[data-testid=mini-cart-item]" : "[data-testid=cart-item]");
    if (!line) return null;
    const index = Array.prototype.indexOf.call(document.querySelectorAll(selector), line);
    return index < 0 ? null : { kind: mini ? "mini" : "page", selector: selector, index: index };
  }

  function restoredLine(variants) {
    const scope = document.getElementById("cart-body") || miniPanel();
    if (!scope) return null;
    for (const id of variants) {
      const line = scope.querySelector('[data-variant-id="' + CSS.escape(id) + '"]');
      if (line) return line;
    }
    return null;
  }

  function focusTarget(intent) {
    const heading = document.getElementById("cart-heading");
    if (intent.kind === "heading") return heading;
    if (intent.kind === "restore") {
      return restoredLine(intent.variants) || heading || document.getElementById("cart-icon");
    }
    if (intent.kind === "mini" && !miniPanel()) return null;
    // The line that took the removed one's place, else the one before it, else the list's title.
    const lines = document.querySelectorAll(intent.selector);
    if (lines.length) return lines[Math.min(intent.index, lines.length - 1)];
    return intent.kind === "mini" ? miniPanel() : heading;
  }

  function initCartFocus() {
    const intents = new Map(); // request -> what to focus if its answer takes focus away

    document.body.addEventListener("htmx:beforeRequest", function (event) {
      const intent = intentFor(event.detail.elt);
      if (intent) intents.set(event.detail.xhr, intent);
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      const intent = intents.get(event.detail.xhr);
      if (!intent) return;
      intents.delete(event.detail.xhr);
      const active = document.activeElement;
      if (active && active !== document.body) return; // focus is still somewhere: leave it
      const target = focusTarget(intent);
      if (target) target.focus();
    });
  }

  // --- The product page's add button ---------------------------------------------------
  // With several variants and none chosen it says what to choose ("Choose a size") and does
  // nothing; while an add is on its way it takes no second click (a double click adds one).
  // aria-disabled rather than disabled, so the button keeps focus and stays in the tab order.

  function initAddButton() {
    const form = document.getElementById("add-to-cart-form");
    const button = document.getElementById("add-to-cart");
    if (!form || !button) return;
    const addLabel = button.textContent;
    const chooseLabel = button.dataset.chooseLabel || "";
    let busy = false;

    function chosen() {
      return !chooseLabel || form.querySelector("input[name=variant_id]:checked") !== null;
    }

    function refresh() {
      const choose = !chosen();
      button.textContent = choose ? chooseLabel : addLabel;
      if (choose || busy) {
        button.setAttribute("aria-disabled", "true");
      } else {
        button.removeAttribute("aria-disabled");
      }
    }

    // A click, or Enter in the quantity box (which clicks the button), submits nothing then.
    button.addEventListener("click", function (event) {
      if (button.getAttribute("aria-disabled") === "true") event.preventDefault();
    });
    form.addEventListener("change", refresh);
    form.addEventListener("htmx:confirm", function (event) {
      if (event.detail.elt !== form) return;
      if (busy || !chosen()) {
        event.preventDefault();
        return;
      }
      busy = true;
      refresh();
    });
    function done(event) {
      if (event.detail.elt !== form) return;
      busy = false;
      refresh();
    }
    form.addEventListener("htmx:afterRequest", done);
    form.addEventListener("htmx:validation:halted", done); // never sent (say, quantity 0)
    form.addEventListener("cart-action-queued", done); // waits behind others (offline.js)
    refresh();
  }

  // --- The product page's heart ----------------------------------------------------------
  // It stands for the chosen variant: choosing another shows whether that one is on the
  // wishlist (each choice carries data-wished), and a toggle's answer updates the choice.

  function initWishlistHeart() {
    const form = document.getElementById("add-to-cart-form");
    if (!form) return;
    function chosen() {
      return form.querySelector("input[name=variant_id]:checked");
    }
    form.addEventListener("change", function () {
      const input = chosen();
      const heart = document.getElementById("add-to-wishlist");
      if (input && heart && input.dataset.wished) {
        heart.setAttribute("aria-pressed", input.dataset.wished);
      }
    });
    document.body.addEventListener("htmx:afterSwap", function () {
      const input = chosen();
      const heart = document.getElementById("add-to-wishlist");
      if (input && heart) input.dataset.wished = heart.getAttribute("aria-pressed");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initCartFocus();
    initAddButton();
    initWishlistHeart();
  });
})();
