// Post kit: without script the download buttons and the caption boxes do the job. This adds a
// copy button per caption and, where the browser can hand files to the phone's share sheet (Web
// Share API level 2: navigator.canShare({files})), "Chia sẻ" buttons that pass the picture and the
// caption on, so the producer picks Zalo or Facebook; each share made is counted by a POST.
(function () {
  "use strict";
  var kit = document.querySelector("[data-post-kit]");
  if (!kit) {
    return;
  }
  var canCopy = navigator.clipboard && window.isSecureContext;

  function copy(text) {
    return canCopy ? navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard"));
  }

  if (canCopy) {
    kit.querySelectorAll(".copy-btn[data-copy-from]").forEach(function (button) {
      var box = document.getElementById(button.dataset.copyFrom);
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(box.value).then(function () {
          button.textContent = button.dataset.done;
          setTimeout(function () { button.textContent = label; }, 2000);
        }).catch(function () {});
      });
    });
  }

  var share = kit.querySelector("[data-post-share]");
  if (!share || !navigator.share || !navigator.canShare || !window.File) {
    return;
  }
  try {
    if (!navigator.canShare({ files: [new File([""], "post.jpg", { type: "image/jpeg" })] })) {
      return;
    }
  } catch (error) {
    return;
  }
  share.hidden = false;
  var status = share.querySelector("[data-post-status]");
  var files = {};

  // The full picture of a shape, fetched once and kept for the next tap.
  function picture(shape) {
    if (!files[shape]) {
      var img = kit.querySelector('img[data-shape="' + shape + '"]');
      files[shape] = fetch(img.dataset.full, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.blob();
        })
        .then(function (blob) {
          return new File([blob], img.dataset.filename, { type: "image/jpeg" });
        });
      files[shape].catch(function () { delete files[shape]; });
    }
    return files[shape];
  }

  function token() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function record(shape, channel) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", share.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("token", token());
    body.append("shape", shape);
    body.append("channel", channel);
    return fetch(share.dataset.madeUrl, { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
  }

  share.querySelectorAll("button[data-channel]").forEach(function (button) {
    button.addEventListener("click", function () {
      var channel = button.dataset.channel;
      var shape = share.querySelector("input[name=post-shape]:checked").value;
      var text = document.getElementById("caption-" + channel).value;
      // Facebook ignores text handed to it with a picture: the caption waits on the clipboard.
      copy(text).catch(function () {});
      status.textContent = share.dataset.preparing;
      picture(shape).then(function (file) {
        return navigator.share({ files: [file], text: text, title: share.dataset.title }).then(function () {
          status.textContent = share.dataset.done;
          return record(shape, channel);
        });
      }).catch(function (error) {
        var name = error && error.name;
        // A share sheet closed without choosing: nothing to say. A slow download used up the tap's
        // permission to open it: the picture is ready now, a second tap shares at once.
        status.textContent = name === "AbortError" ? "" : name === "NotAllowedError" ? share.dataset.again : share.dataset.failed;
      });
    });
  });
})();
