// "Share this cart" (issue 15, point 3): the copy button beside the link. Without this file
// the link still shows, in a read-only input to select and copy by hand, and the button
// stays hidden. Also used by the admin's assisted-sale link.
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll("[data-share-copy][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    return new Promise(function (resolve, reject) {
      input.focus();
      input.select();
      try {
        if (document.execCommand("copy")) resolve();
        else reject(new Error("copy refused"));
      } catch (error) {
        reject(error);
      }
    });
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest("[data-share-copy]") : null;
    if (!button) return;
    const input = document.getElementById(button.getAttribute("data-share-copy"));
    const status = document.getElementById(button.getAttribute("data-share-status"));
    if (!input) return;
    copy(input).then(
      function () {
        if (status) status.textContent = button.getAttribute("data-copied");
      },
      function () {
        // The link stays selected for the keyboard or the menu.
        input.focus();
        input.select();
        if (status) status.textContent = button.getAttribute("data-copy-failed");
      }
    );
  });

  // Focus in the read-only link selects it all, ready to copy by hand.
  document.addEventListener("focusin", function (event) {
    const input = event.target;
    if (input.matches && input.matches("[data-share-url]")) input.select();
  });

  reveal(document);
  document.addEventListener("htmx:afterSettle", function () {
    reveal(document);
  });
})();
