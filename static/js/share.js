// Share row: the links and the address work without script; this adds the phone's own share
// sheet (Web Share API, which lists Zalo, Messenger… when installed) and a one-tap copy button.
(function () {
  "use strict";
  document.querySelectorAll(".share-row").forEach(function (row) {
    var native = row.querySelector(".share-native");
    var input = row.querySelector("input[readonly]");
    var copy = row.querySelector(".share-copy-btn");
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        // A closed share sheet rejects with AbortError: nothing to tell the visitor.
        navigator.share({ title: native.dataset.title, url: native.dataset.url }).catch(function () {});
      });
    }
    if (input) {
      input.addEventListener("focus", function () { input.select(); });
    }
    if (copy && input && navigator.clipboard && window.isSecureContext) {
      var label = copy.textContent;
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          copy.textContent = copy.dataset.done;
          setTimeout(function () { copy.textContent = label; }, 2000);
        });
      });
    }
  });
})();
