// The page frame: the account menu, the toasts and the phone header. Pages work without it.
(function () {
  "use strict";

  const TOAST_MS = 6000;

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

  initAccountMenu();
  initToasts();
})();
