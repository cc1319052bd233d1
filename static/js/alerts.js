// "Email me when it's back" stands for the chosen variant: choosing a sold-out one shows it
// (and names that variant in its form), choosing one in stock hides it.
(function () {
  "use strict";

  function init() {
    const picker = document.getElementById("add-to-cart-form");
    if (!picker) return;
    picker.addEventListener("change", function () {
      const chosen = picker.querySelector("input[name=variant_id]:checked");
      const section = document.getElementById("back-in-stock");
      const variant = document.getElementById("back-in-stock-variant");
      if (!chosen || !section || !variant) return;
      if (variant.value !== chosen.value) {
        // What was said about the variant chosen before is not about this one.
        const status = section.querySelector("[role=status]");
        if (status) status.textContent = "";
      }
      variant.value = chosen.value;
      section.hidden = chosen.dataset.stockCode !== "out_of_stock";
    });
  }

  // A refusal (400 bad address, 404, 409 in stock again) comes back as the section saying why:
  // show it there rather than as the generic error banner. 429 and 5xx stay errors.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    const target = event.detail.target;
    if (target && target.id === "back-in-stock" && [400, 404, 409].indexOf(status) >= 0) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", init);
})();
