// The product page's add button. Pages work without this file:
// every cart form posts and redirects; here they only keep focus and clicks where they belong.
(function () {
  "use strict";

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
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    initAddButton();
  });
})();
