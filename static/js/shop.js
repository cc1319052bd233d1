// The storefront's own behaviour. Everything here improves pages that already work without it.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // Product page: choosing a variant shows its price and stock without a round trip.
  function initVariantPicker() {
    const form = document.getElementById("add-to-cart-form");
    if (!form) return;
    const price = document.getElementById("product-price");
    const stock = document.getElementById("stock-status");
    const button = document.getElementById("add-to-cart");
    const error = document.getElementById("stock-error");
    form.addEventListener("change", function (event) {
      const input = event.target;
      if (input.name !== "variant_id" || input.type !== "radio") return;
      price.textContent = input.dataset.price;
      const compareAt = form.parentElement.querySelector(".compare-at");
      if (compareAt) compareAt.remove();
      if (input.dataset.compareAt) {
        const s = document.createElement("s");
        s.className = "compare-at";
        const was = document.createElement("span");
        was.className = "visually-hidden";
        was.textContent = price.dataset.wasLabel || "";
        s.append(was, " " + input.dataset.compareAt);
        price.after(s);
      }
      stock.textContent = input.dataset.stockLabel;
      stock.className = "stock-status stock-" + input.dataset.stockCode;
      button.disabled = input.dataset.canBuy !== "true";
      if (error) error.textContent = "";
      const url = new URL(window.location.href);
      url.searchParams.set("variant", input.dataset.slug);
      window.history.replaceState(null, "", url);
    });
  }

  // Header: the cart icon opens the mini cart, with focus on the panel; a click outside, Escape
  // or focus moving out of it closes it.
  function initMiniCart() {
    const icon = document.getElementById("cart-icon");
    const dropdown = document.getElementById("mini-cart-dropdown");
    if (!icon || !dropdown) return;

    function setOpen(open, returnFocus) {
      dropdown.hidden = !open;
      icon.setAttribute("aria-expanded", String(open));
      if (open && window.htmx) {
        htmx.trigger(document.getElementById("mini-cart-content"), "mini-cart-open");
      }
      if (open) {
        dropdown.focus({ preventScroll: true });
      } else if (returnFocus) {
        icon.focus();
      }
    }

    icon.addEventListener("click", function (event) {
      event.preventDefault();
      setOpen(dropdown.hidden, false);
    });
    document.addEventListener("click", function (event) {
      if (dropdown.hidden) return;
      // A click inside, or on a control the last swap removed from the mini cart, keeps it open.
      if (!event.target.isConnected || event.target.closest("#header-cart")) return;
      setOpen(false, false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !dropdown.hidden) {
        setOpen(false, true);
      }
    });
    dropdown.addEventListener("focusout", function (event) {
      // No next target: the focused control went with a swap (cartui.js places focus then).
      const next = event.relatedTarget;
      if (next && !next.closest("#header-cart")) setOpen(false, false);
    });
  }

  // Notices: the error banner shows what the server said (layout.js times the toasts).
  function bannerText(key) {
    const banner = document.getElementById("error-banner");
    return (banner && banner.dataset[key]) || "";
  }

  function showError(message, requestId) {
    const banner = document.getElementById("error-banner");
    if (!banner) return;
    banner.textContent = "";
    const text = document.createElement("span");
    text.textContent = message;
    banner.appendChild(text);
    if (requestId) {
      const ref = document.createElement("small");
      ref.className = "request-id";
      ref.textContent = " (" + bannerText("msgRequestId") + ": " + requestId + ")";
      banner.appendChild(ref);
    }
    banner.hidden = false;
  }

  function initNotices() {
    document.body.addEventListener("htmx:beforeRequest", function () {
      const banner = document.getElementById("error-banner");
      if (banner) banner.hidden = true;
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      if (event.detail.cartQueued) return; // waits to be sent again (offline.js)
      const xhr = event.detail.xhr;
      const type = xhr.getResponseHeader("Content-Type") || "";
      let message = bannerText("msg" + xhr.status) || bannerText("msgDefault");
      if (type.indexOf("text/plain") === 0 && xhr.responseText) {
        message = xhr.responseText;
      }
      showError(message, xhr.getResponseHeader("X-Request-ID"));
    });
    document.body.addEventListener("htmx:sendError", function (event) {
      if (event.detail.cartQueued) return;
      showError(bannerText("msgOffline"), "");
    });
  }

  // The badge bumps when the cart changes (the server sends `cart-changed` with the count).
  function initBadge() {
    document.body.addEventListener("cart-changed", function () {
      const badge = document.getElementById("cart-count");
      if (!badge) return;
      badge.classList.remove("bump");
      void badge.offsetWidth;
      badge.classList.add("bump");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initVariantPicker();
    initMiniCart();
    initNotices();
    initBadge();
  });
})();
