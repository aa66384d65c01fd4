// Chợ Phiên's service worker (/dashboard/sw.js, scope /dashboard/): it only shows push messages
// and opens what they point to. No fetch handler: every page still comes from the network.
"use strict";
{% autoescape off %}var ICON = {{ icon }};
var HOME = {{ home }};{% endautoescape %}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var message = {};
  try { message = event.data ? event.data.json() : {}; } catch (error) { message = {}; }
  event.waitUntil(self.registration.showNotification(message.title || "Chợ Phiên", {
    body: message.body || "",
    icon: ICON,
    badge: ICON,
    tag: message.tag || undefined,
    renotify: Boolean(message.tag),
    lang: message.lang || "vi",
    data: { url: message.url || HOME }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || HOME, self.location.origin);
  if (target.origin !== self.location.origin) { target = new URL(HOME, self.location.origin); }
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target.href && "focus" in windows[i]) { return windows[i].focus(); }
    }
    return self.clients.openWindow(target.href);
  }));
});
