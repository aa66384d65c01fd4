// "Thêm vào giỏ" on cards and product pages. Without script the form posts and the page comes
// back with a message; with it the buyer stays where they were, and only the header's count and
// the form's status line change (the server answers JSON when asked for it).
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;
  var badge = document.querySelector(".header-cart .cart-count");
  var label = document.querySelector(".header-cart .cart-count-label");
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-cart-add")) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[role=status]");
    var say = function (text) { if (status) status.textContent = text; };
    button.disabled = true;
    say("");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        say(data.message || "");
        if (typeof data.count === "number" && badge) {
          badge.textContent = data.count;
          if (label && data.count_label) label.textContent = data.count_label;
        }
      })
      .catch(function () { say(form.getAttribute("data-failed") || ""); })
      .then(function () { button.disabled = false; });
  });
})();
