/*
 * Waakvlam session timeout warning.
 *
 * SPDX-License-Identifier: EUPL-1.2
 *
 * Progressive enhancement only: every page works without it (the server ends idle sessions by itself).
 * Load with <script src="/assets/session.js" defer></script>; no inline script, no external requests,
 * no inline styles, so it runs under `Content-Security-Policy: script-src 'self'; style-src 'self'`.
 *
 * It reads:
 *   <meta name="waakvlam-idle-seconds" content="1800">   the server's idle timeout in seconds
 *   <meta name="csrf-token" content="…">                  the session's CSRF token
 *   <form id="logout-form" method="post" action="/logout"> the page's own logout form
 *
 * Two minutes before the idle timeout it opens a modal <dialog role="alertdialog">, moves focus into it and offers
 * "Ingelogd blijven" (POST /session/extend with the form body csrf_token=…, expects 204, then restarts the timer)
 * and "Nu uitloggen" (submits form#logout-form). When the time has run out it goes to /login?expired=1.
 * Every htmx request also resets the server's idle timer, so it restarts the countdown too.
 */
(function () {
  "use strict";

  var WARN_BEFORE_MS = 2 * 60 * 1000;
  var EXTEND_URL = "/session/extend";
  var EXPIRED_URL = "/login?expired=1";

  var TEXTS = {
    nl: {
      title: "Blijf je ingelogd?",
      message: "Je wordt over 2 minuten uitgelogd omdat je een tijdje niets hebt gedaan.",
      stay: "Ingelogd blijven",
      logout: "Nu uitloggen",
      failed: "Dat lukte niet. Probeer het opnieuw of log opnieuw in."
    },
    en: {
      title: "Stay logged in?",
      message: "You will be logged out in 2 minutes because you have not done anything for a while.",
      stay: "Stay logged in",
      logout: "Log out now",
      failed: "That did not work. Try again or log in again."
    }
  };

  function metaContent(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : null;
  }

  var idleSeconds = parseInt(metaContent("waakvlam-idle-seconds") || "", 10);
  if (!(idleSeconds > 0)) {
    return; // Not a logged-in page, or the server did not ask for a warning.
  }
  var csrfToken = metaContent("csrf-token") || "";
  var lang = (document.documentElement.getAttribute("lang") || "nl").slice(0, 2).toLowerCase();
  var t = TEXTS[lang] || TEXTS.nl;

  var idleMs = idleSeconds * 1000;
  var deadline = 0; // time (ms since epoch) at which the server ends the session
  var timer = null;
  var dialog = null;
  var statusEl = null;
  var stayButton = null;
  var returnFocusTo = null;
  var busy = false;

  function now() {
    return Date.now();
  }

  function expire() {
    clearTimeout(timer);
    window.location.assign(EXPIRED_URL);
  }

  // One timer that re-checks the deadline: robust against throttled timers in background tabs and sleep.
  function schedule() {
    clearTimeout(timer);
    var remaining = deadline - now();
    if (remaining <= 0) {
      expire();
      return;
    }
    var untilWarning = remaining - WARN_BEFORE_MS;
    if (untilWarning <= 0) {
      openDialog();
      timer = setTimeout(schedule, Math.min(remaining, 15000));
    } else {
      timer = setTimeout(schedule, Math.min(untilWarning, 60000));
    }
  }

  function restart() {
    deadline = now() + idleMs;
    schedule();
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function buildDialog() {
    var d = el("dialog", {
      id: "waakvlam-session-dialog",
      class: "waakvlam-session-dialog",
      role: "alertdialog",
      "aria-modal": "true",
      "aria-labelledby": "waakvlam-session-dialog-title",
      "aria-describedby": "waakvlam-session-dialog-message"
    });
    d.appendChild(
      el("h2", { id: "waakvlam-session-dialog-title", class: "waakvlam-session-dialog__title utrecht-heading-2" }, t.title)
    );
    d.appendChild(
      el("p", { id: "waakvlam-session-dialog-message", class: "waakvlam-session-dialog__message utrecht-paragraph" }, t.message)
    );
    statusEl = el("p", { class: "waakvlam-session-dialog__status utrecht-paragraph", role: "status", "aria-live": "polite" });
    d.appendChild(statusEl);

    var actions = el("div", { class: "waakvlam-session-dialog__actions utrecht-button-group" });
    stayButton = el(
      "button",
      { type: "button", class: "utrecht-button utrecht-button--primary-action", "data-action": "stay" },
      t.stay
    );
    var logoutButton = el(
      "button",
      { type: "button", class: "utrecht-button utrecht-button--secondary-action", "data-action": "logout" },
      t.logout
    );
    actions.appendChild(stayButton);
    actions.appendChild(logoutButton);
    d.appendChild(actions);

    stayButton.addEventListener("click", stayLoggedIn);
    logoutButton.addEventListener("click", logoutNow);
    // Escape closes a modal dialog; treat it as "stay logged in" so nobody is logged out unwarned.
    d.addEventListener("cancel", function (event) {
      event.preventDefault();
      stayLoggedIn();
    });
    document.body.appendChild(d);
    return d;
  }

  function isOpen() {
    return !!(dialog && dialog.hasAttribute("open"));
  }

  function openDialog() {
    if (isOpen()) {
      return;
    }
    if (!dialog) {
      dialog = buildDialog();
    }
    statusEl.textContent = "";
    returnFocusTo = document.activeElement;
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", ""); // very old browsers: shown in place, still focused
    }
    stayButton.focus();
  }

  function closeDialog() {
    if (!isOpen()) {
      return;
    }
    if (typeof dialog.close === "function") {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
    }
    if (returnFocusTo && typeof returnFocusTo.focus === "function" && document.contains(returnFocusTo)) {
      returnFocusTo.focus();
    }
    returnFocusTo = null;
  }

  function stayLoggedIn() {
    if (busy) {
      return;
    }
    busy = true;
    statusEl.textContent = "";
    fetch(EXTEND_URL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: "csrf_token=" + encodeURIComponent(csrfToken)
    })
      .then(function (response) {
        busy = false;
        if (response.status === 204) {
          closeDialog();
          restart();
        } else if (response.status === 401 || response.status === 403) {
          expire(); // the session is already gone
        } else {
          statusEl.textContent = t.failed;
        }
      })
      .catch(function () {
        busy = false;
        statusEl.textContent = t.failed;
      });
  }

  function logoutNow() {
    clearTimeout(timer);
    var form = document.getElementById("logout-form");
    if (form && typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else if (form) {
      form.submit();
    } else {
      window.location.assign(EXPIRED_URL);
    }
  }

  // Requests made with htmx reset the server's idle timer as well.
  document.addEventListener("htmx:afterRequest", function () {
    if (!isOpen()) {
      restart();
    }
  });
  // Re-check at once when a tab comes back to the foreground (its timers may have been throttled).
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      schedule();
    }
  });

  restart();
})();

// The printable plan: a "Print" button is shown only when JavaScript runs; the
// page itself is print-friendly without it (the browser's own print works).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });
})();
