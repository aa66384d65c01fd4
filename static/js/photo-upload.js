/* Shrink photos in the phone before upload and show a progress bar.
 *
 * Progressive enhancement for forms marked data-photo-upload (a buyer's review; the product form
 * sends its photos one by one with static/js/product-form.js): a 5 MB camera photo becomes a
 * ~1600 px JPEG of a few hundred KB before it leaves the phone, which is what a producer on
 * 3G pays for. Without this script (or when anything here fails) the plain form post works.
 * Messages come from data-msg-* attributes so they stay translatable in the template.
 */
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var QUALITY = 0.8;
  var SHRINKABLE = /^image\/(jpeg|png|webp)$/;

  function mb(bytes) {
    return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return createImageBitmap(file);
      });
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      img.src = url;
    });
  }

  /* Resolve with a smaller JPEG File, or with the original when shrinking would not help. */
  function shrink(file) {
    if (!SHRINKABLE.test(file.type)) return Promise.resolve(file);
    return decode(file).then(function (image) {
      var w = image.width, h = image.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      if (scale === 1 && file.size < 600 * 1024) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; /* transparent PNG areas become white, not black */
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) image.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          try {
            resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
          } catch (e) {
            blob.name = name;
            resolve(blob);
          }
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function setup(form) {
    var input = form.querySelector('input[type="file"][multiple]');
    var box = form.querySelector(".upload-progress");
    if (!input || !box || !window.FormData || !window.Promise) return;
    var bar = box.querySelector("progress");
    var status = box.querySelector(".upload-status");
    var msg = function (key) { return box.getAttribute("data-msg-" + key) || ""; };
    var files = null; /* the shrunk files, once ready */
    var ready = Promise.resolve();
    var busy = false;

    function show(text, value) {
      box.hidden = false;
      status.textContent = text;
      if (value === undefined) bar.removeAttribute("value"); else bar.value = value;
    }

    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files || []);
      files = null;
      if (!chosen.length) { box.hidden = true; return; }
      show(msg("shrinking"));
      var before = chosen.reduce(function (s, f) { return s + f.size; }, 0);
      ready = Promise.all(chosen.map(shrink)).then(function (result) {
        files = result;
        var after = result.reduce(function (s, f) { return s + f.size; }, 0);
        if (window.DataTransfer) {
          try {
            var dt = new DataTransfer();
            result.forEach(function (f) { dt.items.add(f instanceof File ? f : new File([f], f.name, { type: f.type })); });
            input.files = dt.files;
          } catch (e) { /* older browsers: the XHR below still sends the small files */ }
        }
        show(msg("ready").replace("%(before)s", mb(before)).replace("%(after)s", mb(after)), 0);
      });
    });

    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest) return;
      event.preventDefault();
      if (busy) return;
      busy = true;
      var buttons = form.querySelectorAll('button[type="submit"]');
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
      ready.then(function () {
        var data = new FormData(form);
        if (files && data.delete) {
          data.delete(input.name);
          files.forEach(function (f) { data.append(input.name, f, f.name); });
        }
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action || window.location.href);
        xhr.upload.onprogress = function (e) {
          if (e.lengthComputable) {
            var pct = Math.round((e.loaded / e.total) * 100);
            show(msg("sending").replace("%(percent)s", pct), pct);
          }
        };
        xhr.onload = function () {
          /* Show the answer as the browser would have: the next page (its message included),
             or the form again with what was typed and the photos already kept. */
          var redirected = xhr.responseURL && xhr.responseURL.split("#")[0] !== (form.action || window.location.href).split("#")[0];
          document.open();
          document.write(xhr.responseText);
          document.close();
          if (redirected && window.history && history.pushState) {
            history.pushState(null, "", xhr.responseURL);
          }
        };
        xhr.onerror = function () {
          busy = false;
          Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
          show(msg("failed"), 0);
        };
        xhr.send(data);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-photo-upload]"), setup);
})();
