// The page frame: the account menu, the toasts and the phone header. Pages work without it.
(function () {
  "use strict";

  const TOAST_MS = 6000;
  const PHONE = "(max-width: 759.98px)";

  // Account menu (a <details>): a click outside or Escape closes it, as the mini cart does.
  function initAccountMenu() {
    const menu = document.getElementById("account-menu");
    if (!menu) return;
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !menu.open) return;
      menu.open = false;
      menu.querySelector("summary").focus();
    });
    menu.addEventListener("focusout", function (event) {
      if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
    });
  }

  // Toasts go after a while, but never while pointed at or focused; one with Undo stays
  // until the shopper dismisses it.
  function held(toast) {
    return toast.matches(":hover, :focus-within");
  }

  function dismiss(toast) {
    window.clearTimeout(toast.layoutTimer);
    if (toast.contains(document.activeElement)) {
      document.getElementById("main").focus({ preventScroll: true });
    }
    toast.remove();
  }

  function schedule(toast) {
    window.clearTimeout(toast.layoutTimer);
    if (toast.classList.contains("toast-sticky")) return;
    toast.layoutTimer = window.setTimeout(function () {
      if (toast.isConnected && !held(toast)) dismiss(toast);
    }, TOAST_MS);
  }

  function arm(toast) {
    if (toast.dataset.armed) return;
    toast.dataset.armed = "1";
    schedule(toast);
    toast.addEventListener("mouseenter", function () { window.clearTimeout(toast.layoutTimer); });
    toast.addEventListener("focusin", function () { window.clearTimeout(toast.layoutTimer); });
    toast.addEventListener("mouseleave", function () { if (!held(toast)) schedule(toast); });
    toast.addEventListener("focusout", function (event) {
      if (!toast.contains(event.relatedTarget) && !toast.matches(":hover")) schedule(toast);
    });
  }

  function initToasts() {
    const region = document.getElementById("notices");
    if (!region) return;
    const armAll = function () { region.querySelectorAll(".toast").forEach(arm); };
    armAll();
    // htmx answers put new toasts in the region (an out-of-band swap).
    new MutationObserver(armAll).observe(region, { childList: true });
    region.addEventListener("click", function (event) {
      const close = event.target.closest(".toast-close");
      if (close) dismiss(close.closest(".toast"));
    });
  }

  // Phone: scrolling down folds the header to its first row; scrolling up unfolds it.
  // Only its look changes (see shop.css), never its size in the page.
  function initCompactHeader() {
    const header = document.getElementById("site-header");
    if (!header) return;
    const phone = window.matchMedia(PHONE);
    const bar = header.querySelector(".header-bar");
    const firstRow = [".brand", ".user-menu", ".header-cart"]
      .map(function (selector) { return header.querySelector(selector); })
      .filter(Boolean);
    let lastY = window.scrollY;
    let queued = false;

    // How much folding hides; sets the folded height for the stylesheet.
    function measure() {
      const top = header.getBoundingClientRect().top;
      const bottom = Math.max.apply(null, firstRow.map(function (el) {
        return el.getBoundingClientRect().bottom;
      }));
      const pad = parseFloat(getComputedStyle(bar).paddingBlockStart) || 0;
      const folded = Math.ceil(bottom - top + pad);
      header.style.setProperty("--header-compact-h", folded + "px");
      return header.offsetHeight - folded;
    }

    function update() {
      queued = false;
      const y = window.scrollY;
      if (!phone.matches || y <= measure()) {
        header.classList.remove("is-compact");
      } else if (y > lastY) {
        header.classList.add("is-compact");
      } else if (y < lastY - 40) {
        header.classList.remove("is-compact");
      } else {
        return; // a small move up: wait until it adds up
      }
      lastY = y;
    }

    function queue() {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(update);
    }

    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", queue);
    update();
  }

  initAccountMenu();
  initToasts();
  initCompactHeader();
})();
