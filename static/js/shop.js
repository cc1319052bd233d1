// The storefront's own behaviour. Everything here improves pages that already work without it.
(function () {
  "use strict";

  // Product page: choosing a variant shows its price and stock without a round trip.
  function initVariantPicker(root) {
    const form = root.querySelector("#add-to-cart-form");
    if (!form) return;
    const price = root.querySelector("#product-price");
    const stock = root.querySelector("#stock-status");
    const button = root.querySelector("#add-to-cart");
    form.addEventListener("change", function (event) {
      const input = event.target;
      if (input.name !== "variant_id" || input.type !== "radio") return;
      price.textContent = input.dataset.price;
      const compareAt = root.querySelector(".compare-at");
      if (compareAt) compareAt.remove();
      if (input.dataset.compareAt) {
        const s = document.createElement("s");
        s.className = "compare-at";
        s.textContent = input.dataset.compareAt;
        price.after(s);
      }
      stock.textContent = input.dataset.stockLabel;
      stock.className = "stock-status stock-" + input.dataset.stockCode;
      button.disabled = input.dataset.canBuy !== "true";
      const url = new URL(window.location.href);
      url.searchParams.set("variant", input.dataset.slug);
      window.history.replaceState(null, "", url);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initVariantPicker(document);
  });
})();
