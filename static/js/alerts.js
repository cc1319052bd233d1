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

  document.addEventListener("DOMContentLoaded", init);
})();
