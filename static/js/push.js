// "Báo cho tôi…": subscribes this phone to Web Push and posts the subscription to the site.
// Used on the dashboard home (new orders) and on a buyer's order page (its status changes). The
// box stays hidden unless the browser has service workers, the Push API and notifications.
(function () {
  "use strict";
  var box = document.querySelector("[data-push-key]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  var on = box.querySelector(".push-on");
  var off = box.querySelector(".push-off");
  var state = box.querySelector(".push-state");
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  // Which phone subscribed for whom is known to the server only; the phone remembers its own
  // answer, per member or order, to show the right button when the page opens again.
  var memory = "push:" + box.getAttribute("data-push-for");

  function applicationServerKey(base64url) {
    var raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function remembered() {
    try { return window.localStorage.getItem(memory) || ""; } catch (error) { return ""; }
  }

  function remember(endpoint) {
    try {
      if (endpoint) { window.localStorage.setItem(memory, endpoint); } else { window.localStorage.removeItem(memory); }
    } catch (error) { /* private mode: the button just shows "on" next time */ }
  }

  function show(subscribed, message) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    state.textContent = message || "";
  }

  function post(url, subscription) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(subscription)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) { throw new Error(answer.message || box.getAttribute("data-error-text")); }
        return answer;
      });
    });
  }

  function forTodaysKey(subscription) {
    // A subscription belongs for life to the key it was made with; after the site's VAPID keys
    // are replaced, the push service refuses every message sent to the old one.
    var made = subscription.options && subscription.options.applicationServerKey;
    if (!made) { return true; }
    var theirs = new Uint8Array(made);
    var ours = applicationServerKey(box.getAttribute("data-push-key"));
    if (theirs.length !== ours.length) { return false; }
    for (var i = 0; i < ours.length; i++) { if (theirs[i] !== ours[i]) { return false; } }
    return true;
  }

  // The phone's other pages (the dashboard and the orders it follows share one subscription)
  // remembered the old address: they are told of the new one, as the site moves their rows.
  function rememberMoved(from, to) {
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key.indexOf("push:") === 0 && window.localStorage.getItem(key) === from) {
          window.localStorage.setItem(key, to);
        }
      }
    } catch (error) { /* private mode: those pages show "off" until tapped again */ }
  }

  function subscribeHere(registration, current) {
    var kept = Promise.resolve(current);
    var replaces = "";
    if (current && !forTodaysKey(current)) {
      replaces = current.endpoint;
      kept = current.unsubscribe().catch(function () { return false; }).then(function () { return null; });
    }
    return kept.then(function (subscription) {
      return subscription || registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: applicationServerKey(box.getAttribute("data-push-key"))
      });
    }).then(function (subscription) {
      var body = subscription.toJSON();
      if (replaces) { body.replaces = replaces; }
      return post(box.getAttribute("data-subscribe-url"), body).then(function (answer) {
        if (replaces) { rememberMoved(replaces, subscription.endpoint); }
        remember(subscription.endpoint);
        show(true, answer.message);
      });
    });
  }

  function busy(button, promise) {
    button.disabled = true;
    return promise.catch(function (error) {
      show(!off.hidden, (error && error.message && error.name === "Error") ? error.message : box.getAttribute("data-error-text"));
    }).then(function () { button.disabled = false; });
  }

  navigator.serviceWorker.register(box.getAttribute("data-sw-url"), { scope: box.getAttribute("data-scope") })
    .then(function (registration) {
      return registration.pushManager.getSubscription().then(function (existing) {
        box.hidden = false;
        var subscribed = Boolean(existing) && remembered() === existing.endpoint;
        show(subscribed, subscribed ? box.getAttribute("data-on-text") : "");
        if (Notification.permission === "denied") { show(false, box.getAttribute("data-denied-text")); }

        if (subscribed && !forTodaysKey(existing) && Notification.permission === "granted") {
          // This phone asked to be told: it is moved to today's key without another tap.
          busy(on, subscribeHere(registration, existing));
        }

        on.addEventListener("click", function () {
          busy(on, Notification.requestPermission().then(function (permission) {
            if (permission !== "granted") { throw new Error(box.getAttribute("data-denied-text")); }
            return registration.pushManager.getSubscription();
          }).then(function (current) {
            return subscribeHere(registration, current);
          }));
        });

        off.addEventListener("click", function () {
          busy(off, registration.pushManager.getSubscription().then(function (current) {
            // The browser keeps its subscription: it may also serve the other side (a member who
            // follows an order as a buyer); the site stops sending to it for this member or order.
            if (!current) { return { message: "" }; }
            return post(box.getAttribute("data-unsubscribe-url"), { endpoint: current.endpoint });
          }).then(function (answer) {
            remember("");
            show(false, answer.message);
          }));
        });
      });
    })
    .catch(function () { /* no service worker here (private mode, old browser): the box stays hidden */ });
})();
