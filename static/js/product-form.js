/* The product add/edit form on a weak signal. Progressive enhancement: without this script the
 * form posts its photos with everything else, as it always did.
 *
 * Photos: each chosen photo is shrunk in the phone (long side 2000 px, under about 400 KB,
 * upright from its EXIF) and sent by itself to the form's data-photo-upload address straight
 * away, one after another, no more than the product has room for (data-max-photos). A dropped
 * connection retries that one photo, waiting longer each time and trying again the moment the
 * phone is back online; a server that keeps failing stops it after a few tries, and a photo
 * waiting to be sent again can be dropped. Its answer (a signed token) joins the form as a kept
 * photo, name="pending", exactly like the photos the server keeps after a form error, so the
 * submit itself carries only text. Save tapped while photos are on their way sends the form once
 * they are all in, unless one was refused: then the producer decides.
 *
 * Draft: what is typed is kept in localStorage under data-draft-key and offered back
 * ("Khôi phục bản nháp") when the page opens without it: closed, reloaded, or sent after the
 * session expired. A draft typed in a form whose one-time token is in data-saved-tokens was
 * saved, and is dropped. Typing while the offer shows starts a new draft in its place.
 *
 * Words come from data-msg-* attributes so they stay translatable in the template.
 */
(function () {
  "use strict";
  var MAX_SIDE = 2000;
  var TARGET_BYTES = 400 * 1024;
  var QUALITIES = [0.82, 0.72, 0.62];
  var THUMB = 192;
  var RETRY_FIRST = 1000;
  var RETRY_MAX = 30000;
  /* A server error (not a lost connection) this many times in a row: the photo is refused. */
  var SERVER_TRIES = 5;
  /* A slow link may take minutes for one photo; an upload is given up only when it stalls. */
  var STALL_MS = 45000;
  var DRAFT_DAYS = 7;
  /* Kept photos' tokens live a day on the server; a draft's photos are offered back for less. */
  var DRAFT_PHOTO_HOURS = 20;
  var NOT_IN_DRAFT = /^(csrfmiddlewaretoken|pending|pending_remove|photo-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)$/;

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var fill = function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, key) { return key in values ? values[key] : all; });
  };

  /* --- shrinking in the phone ------------------------------------------------------------ */

  function readAsImage(file) {
    /* The page's CSP allows data: images but not blob: ones. */
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () { resolve(img); };
        img.onerror = reject;
        img.src = reader.result;
      };
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
  }

  function decode(file) {
    if (!window.createImageBitmap) return readAsImage(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
      return readAsImage(file);
    });
  }

  function canvasOf(image, width, height) {
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff"; /* transparent PNG areas become white, not black */
    context.fillRect(0, 0, width, height);
    return { canvas: canvas, context: context };
  }

  function thumbnail(image) {
    var side = Math.min(image.width, image.height);
    var drawn = canvasOf(image, THUMB, THUMB);
    drawn.context.drawImage(image, (image.width - side) / 2, (image.height - side) / 2, side, side, 0, 0, THUMB, THUMB);
    return drawn.canvas.toDataURL("image/jpeg", 0.7);
  }

  function toBlob(canvas, type, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, type, quality); });
  }

  /* WebP where the browser writes it (a browser that cannot answers PNG), JPEG otherwise; lower
     quality, then fewer pixels, until the photo fits. */
  function encode(image, scale, type, step) {
    var drawn = canvasOf(image, Math.round(image.width * scale), Math.round(image.height * scale));
    drawn.context.drawImage(image, 0, 0, drawn.canvas.width, drawn.canvas.height);
    return toBlob(drawn.canvas, type, QUALITIES[step]).then(function (blob) {
      if (!blob) throw new Error("encode");
      if (blob.type !== type) return encode(image, scale, "image/jpeg", 0);
      if (blob.size <= TARGET_BYTES) return blob;
      if (step + 1 < QUALITIES.length) return encode(image, scale, type, step + 1);
      if (scale > 0.3) return encode(image, scale * 0.8, type, 0);
      return blob;
    });
  }

  /* Resolves with {file, thumb}: the photo to send and a small preview (a data: URL, or ""). A
     file the browser cannot draw (a HEIC photo, or no photo at all) goes as it is: the server
     converts it or says what is wrong. */
  function shrink(file) {
    return decode(file).then(function (image) {
      var thumb = thumbnail(image);
      var scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
      if (scale === 1 && file.size <= TARGET_BYTES && /^image\/(jpeg|webp)$/.test(file.type)) {
        return { file: file, thumb: thumb };
      }
      return encode(image, scale, "image/webp", 0).then(function (blob) {
        if (image.close) image.close();
        var name = file.name.replace(/\.[^.]*$/, "") + (blob.type === "image/webp" ? ".webp" : ".jpg");
        return { file: blob.size < file.size ? named(blob, name) : file, thumb: thumb };
      });
    }).catch(function () { return { file: file, thumb: "" }; });
  }

  function named(blob, name) {
    try {
      return new File([blob], name, { type: blob.type, lastModified: Date.now() });
    } catch (e) {
      blob.name = name;
      return blob;
    }
  }

  /* --- the form -------------------------------------------------------------------------- */

  function setup(form) {
    var url = form.getAttribute("data-photo-upload");
    var input = form.querySelector("input.photo-input");
    var list = form.querySelector(".photo-list");
    var template = form.querySelector("template.pending-photo");
    var box = form.querySelector(".form-status");
    if (!url || !input || !list || !template || !box || !window.FormData || !window.Promise || !("content" in template)) return;
    var csrf = form.elements.csrfmiddlewaretoken.value;
    var bar = box.querySelector("progress");
    var text = box.querySelector(".form-status-text");
    var problem = box.querySelector(".form-status-error");
    var msg = function (key) { return box.getAttribute("data-msg-" + key) || ""; };
    var items = [];
    var current = null;
    var shrinking = Promise.resolve();
    var wantSubmit = false;
    var submitting = false;
    var sessionGone = false;
    var maxPhotos = parseInt(form.getAttribute("data-max-photos"), 10) || Infinity;
    var draft = setupDraft(form, msg, show);

    function changed() {
      render();
      form.dispatchEvent(new CustomEvent("photos-changed"));
    }

    function render() {
      var sent = items.filter(function (i) { return i.state !== "failed"; });
      var done = sent.filter(function (i) { return i.state === "done"; }).length;
      var active = sent.length - done;
      if (sessionGone) {
        problem.textContent = msg("session");
        problem.hidden = false;
      }
      if (submitting) {
        show(msg("doing"));
      } else if (active) {
        var part = current && current.total ? current.loaded / current.total : 0;
        var values = { done: done, total: sent.length, name: current ? current.name : "" };
        var words = [];
        if (current && current.state === "waiting") {
          words.push(msg(navigator.onLine === false ? "offline" : current.serverErrors ? "server-retrying" : "retrying"));
        }
        words.push(msg(wantSubmit ? "waiting" : "sending"));
        show(fill(words.join(" "), values), Math.round(((done + part) / sent.length) * 100));
      } else if (done) {
        show(fill(msg("ready"), { total: done }));
      } else {
        show("");
      }
    }

    function show(words, percent) {
      text.textContent = words;
      bar.hidden = percent === undefined;
      if (percent !== undefined) bar.value = percent;
      box.hidden = !words && problem.hidden;
    }

    function itemFor(file) {
      var li = template.content.firstElementChild.cloneNode(true);
      li.classList.add("photo-sending");
      li.querySelector(".photo-name").textContent = file.name;
      li.querySelector(".photo-state").textContent = msg("photo-queued");
      li.querySelector(".photo-note").hidden = true;
      li.querySelector(".photo-delete").hidden = true;
      list.appendChild(li);
      var item = { name: file.name, li: li, state: "queued", tries: 0, serverErrors: 0, loaded: 0, total: 0 };
      li.querySelector('input[name="pending_remove"]').addEventListener("change", function (event) {
        if (event.target.checked && item.state !== "done") drop(item);
      });
      item.ready = shrinking = shrinking.then(function () { return shrink(file); }).then(function (result) {
        item.file = result.file;
        if (result.thumb) li.querySelector("img").src = result.thumb;
        return item;
      });
      return item;
    }

    function pump() {
      if (current) return;
      current = items.filter(function (i) { return i.state === "queued"; })[0] || null;
      if (!current) {
        if (wantSubmit) submit();
        return;
      }
      current.state = "sending";
      current.ready.then(send);
      render();
    }

    function send(item) {
      if (item.state === "dropped") return;
      clearTimeout(item.timer);
      item.state = "sending";
      item.loaded = 0;
      item.li.querySelector(".photo-state").textContent = msg("photo-sending");
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrf);
      data.append("photo", item.file, item.file.name || item.name);
      var xhr = item.xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      var stalled = function () {
        xhr.onabort = null;
        xhr.abort();
        retry(item, false);
      };
      var watchdog = setTimeout(stalled, STALL_MS);
      var alive = function () {
        clearTimeout(watchdog);
        watchdog = setTimeout(stalled, STALL_MS);
      };
      xhr.upload.onprogress = function (event) {
        alive();
        if (!event.lengthComputable) return;
        item.loaded = event.loaded;
        item.total = event.total;
        render();
      };
      xhr.onprogress = alive;
      xhr.onloadend = function () { clearTimeout(watchdog); };
      xhr.onload = function () {
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
        if (xhr.status === 200 && answer && answer.token) return received(item, answer);
        if (xhr.status >= 500 || xhr.status === 408 || xhr.status === 429) return retry(item, true);
        if (answer && answer.error) return refused(item, answer.error);
        /* Not our JSON: the sign-in page (the session expired), a refused CSRF token, or a proxy
           in front that would not take the file. */
        var landed = (xhr.responseURL || "").split("?")[0];
        var signedOut = xhr.status === 403 || (xhr.status === 200 && landed.slice(-url.length) !== url);
        if (signedOut) sessionGone = true;
        refused(item, msg(signedOut ? "session" : "refused"));
      };
      xhr.onerror = function () { retry(item, false); };
      render();
      xhr.send(data);
    }

    function retry(item, serverError) {
      if (item.state === "dropped") return;
      item.tries += 1;
      item.serverErrors = serverError ? item.serverErrors + 1 : 0;
      if (item.serverErrors >= SERVER_TRIES) return refused(item, msg("server"));
      item.state = "waiting";
      item.li.querySelector(".photo-state").textContent = msg(serverError ? "photo-server" : "photo-waiting");
      item.li.querySelector(".photo-delete").hidden = false;
      var wait = Math.min(RETRY_MAX, RETRY_FIRST * Math.pow(2, item.tries - 1));
      item.timer = setTimeout(function () { send(item); }, wait * (0.75 + Math.random() / 2));
      render();
    }

    /* The producer gave up on a photo still on its way. */
    function drop(item) {
      var wasCurrent = item === current;
      clearTimeout(item.timer);
      item.state = "dropped";
      if (item.xhr) {
        item.xhr.onabort = item.xhr.onerror = item.xhr.onload = null;
        item.xhr.abort();
      }
      item.li.remove();
      items = items.filter(function (i) { return i !== item; });
      if (wasCurrent) next();
      else changed();
    }

    function received(item, answer) {
      var li = item.li;
      var hidden = li.querySelector('input[name="pending"]');
      hidden.value = answer.token;
      hidden.disabled = false;
      li.querySelector('input[name="pending_remove"]').value = answer.token;
      li.setAttribute("data-preview", answer.preview);
      li.classList.remove("photo-sending");
      li.querySelector(".photo-state").textContent = template.content.querySelector(".photo-state").textContent;
      li.querySelector(".photo-note").hidden = false;
      li.querySelector(".photo-delete").hidden = false;
      item.state = "done";
      next();
    }

    function refused(item, error) {
      item.state = "failed";
      item.li.classList.remove("photo-sending");
      item.li.classList.add("photo-failed");
      item.li.querySelector(".photo-state").textContent = error;
      /* Its row can be taken away; the form never sends it anyway. */
      item.li.querySelector(".photo-delete").hidden = false;
      problem.textContent = fill(msg("failed"), { name: item.name, error: error });
      problem.hidden = false;
      /* The form would go without this photo: the producer, not the script, says so (a session
         that ended is the exception, the form's own submit leads to signing in again). */
      if (!sessionGone) wantSubmit = false;
      if (item === current) next();
      else changed();
    }

    function room() {
      var kept = list.querySelectorAll(".photo-item:not(.photo-failed)").length;
      var removed = list.querySelectorAll(".photo-item:not(.photo-failed) .photo-delete input:checked").length;
      return maxPhotos - (kept - removed);
    }

    function next() {
      current = null;
      changed();
      pump();
    }

    function busy() {
      return items.some(function (i) { return i.state !== "done" && i.state !== "failed"; });
    }

    function submit() {
      if (navigator.onLine === false) {
        wantSubmit = true;
        render();
        return;
      }
      wantSubmit = false;
      submitting = true;
      input.value = "";
      draft.save();
      render();
      form.submit();
    }

    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files || []);
      /* The photos go one by one from here; the form itself then carries only their tokens. */
      input.value = "";
      if (!sessionGone) problem.hidden = true;
      var left = room();
      var extra = chosen.length - Math.max(0, left);
      chosen.slice(0, Math.max(0, left)).forEach(function (file) { items.push(itemFor(file)); });
      if (extra > 0) {
        /* Not sent at all: on a paid data plan a photo with no room costs as much as any other. */
        problem.textContent = fill(msg("too-many"), { max: maxPhotos, extra: extra });
        problem.hidden = false;
      }
      render();
      pump();
    });

    window.addEventListener("online", function () {
      if (current && current.state === "waiting") send(current);
      else if (wantSubmit && !busy()) submit();
    });
    window.addEventListener("offline", render);
    /* Back from the next page (the browser's page cache): the form can be sent again. */
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        submitting = false;
        render();
      }
    });

    form.addEventListener("submit", function (event) {
      if (submitting || busy() || navigator.onLine === false) {
        event.preventDefault();
        if (!submitting) {
          wantSubmit = true;
          render();
        }
        return;
      }
      input.value = "";
      submitting = true;
      draft.save();
      render();
    });

    draft.start(function (photo) {
      var li = template.content.firstElementChild.cloneNode(true);
      li.querySelector('input[name="pending"]').value = photo.token;
      li.querySelector('input[name="pending"]').disabled = false;
      li.querySelector('input[name="pending_remove"]').value = photo.token;
      li.querySelector(".photo-name").textContent = photo.name;
      li.querySelector("img").src = photo.preview;
      li.setAttribute("data-preview", photo.preview);
      list.appendChild(li);
    });
  }

  /* --- the draft on the phone ------------------------------------------------------------ */

  function storage() {
    try {
      var probe = "chophien:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function setupDraft(form, msg, say) {
    var store = storage();
    var key = "chophien:draft:" + form.getAttribute("data-draft-key");
    var offer = form.querySelector(".draft-offer");
    /* The product's last saved edit when the form was drawn ("" for a new product). */
    var base = form.getAttribute("data-edit-base") || "";
    var paused = false;
    var dirty = false;
    var timer = null;
    var none = { save: function () {}, start: function () {} };
    if (!store || !offer || !form.getAttribute("data-draft-key")) return none;

    function snapshot() {
      var fields = {};
      each(form.elements, function (el) {
        if (!el.name || el.disabled || NOT_IN_DRAFT.test(el.name) || el.type === "file") return;
        if (el.type === "checkbox") fields[el.name] = el.checked;
        else if (el.type === "radio") { if (el.checked) fields[el.name] = el.value; }
        else if (el.tagName !== "BUTTON") fields[el.name] = el.value;
      });
      var photos = [];
      each(form.querySelectorAll(".photo-pending"), function (li) {
        var token = li.querySelector('input[name="pending"]');
        if (!token || token.disabled || !token.value) return;
        var src = li.querySelector("img").getAttribute("src") || "";
        photos.push({
          token: token.value,
          preview: li.getAttribute("data-preview") || (src.indexOf("data:") === 0 ? "" : src),
          name: li.querySelector(".photo-name").textContent,
        });
      });
      return { at: Date.now(), base: base, fields: fields, photos: photos };
    }

    function read() {
      try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
    }

    function save() {
      if (paused || !dirty) return;
      clearTimeout(timer);
      try { store.setItem(key, JSON.stringify(snapshot())); } catch (e) { /* full: the form still works */ }
    }

    function later() {
      if (paused) {
        /* The producer ignored the offer and typed anew: that is the draft now. */
        store.removeItem(key);
        decided(true, false);
      }
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, 400);
    }

    /* Hidden fields (the form's one-time token, the stock it showed) differ on every drawing. */
    function same(a, b) {
      var names = Object.keys(a.fields).concat(Object.keys(b.fields)).filter(function (n) {
        var el = form.elements[n];
        return !(el && el.type === "hidden");
      });
      var fieldsSame = names.every(function (n) { return a.fields[n] === b.fields[n]; });
      var tokens = function (d) { return d.photos.map(function (p) { return p.token; }).sort().join(" "); };
      return fieldsSame && tokens(a) === tokens(b);
    }

    function restore(kept, addPhoto) {
      var byName = {};
      each(form.elements, function (el) { if (el.name) (byName[el.name] = byName[el.name] || []).push(el); });
      Object.keys(kept.fields).forEach(function (name) {
        var row = /^photo-(\d+)-/.exec(name);
        /* A photo row is restored only onto the same photo. */
        if (row && name !== row[0] + "id") {
          var id = row[0] + "id";
          if (!byName[id] || byName[id][0].value !== kept.fields[id]) return;
        }
        (byName[name] || []).forEach(function (el) {
          /* The one-time token and the stock the form showed go back with the draft, so its stock
             is still a change from what the producer saw, unless the product was saved since:
             then they belong to this drawing of the form, or a change would count twice. */
          if (el.type === "hidden" && kept.moved) return;
          if (el.type === "checkbox") el.checked = kept.fields[name];
          else if (el.type === "radio") el.checked = el.value === kept.fields[name];
          else if (el.type !== "file" && !/-id$/.test(name)) el.value = kept.fields[name];
        });
      });
      if (Date.now() - kept.at < DRAFT_PHOTO_HOURS * 3600000) {
        var present = snapshot().photos.map(function (p) { return p.token; });
        kept.photos.forEach(function (photo) {
          if (present.indexOf(photo.token) < 0 && photo.preview) addPhoto(photo);
        });
      }
    }

    function when(at) {
      var date = new Date(at);
      var lang = document.documentElement.lang || undefined;
      var time = date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
      return new Date().toDateString() === date.toDateString() ? time : date.toLocaleDateString(lang) + " " + time;
    }

    function start(addPhoto) {
      var kept = read();
      var savedTokens = (form.getAttribute("data-saved-tokens") || "").split(" ");
      var stale = kept && (Date.now() - kept.at > DRAFT_DAYS * 86400000 || !kept.fields);
      if (stale || (kept && kept.fields.form_token && savedTokens.indexOf(kept.fields.form_token) >= 0)) {
        store.removeItem(key);
        kept = null;
      }
      /* A form drawn again with its mistakes already shows what was sent. */
      if (kept && !form.hasAttribute("data-bound") && !same(kept, snapshot())) {
        paused = true;
        kept.moved = (kept.base || "") !== base;
        var words = fill(offer.getAttribute("data-msg-when"), { time: when(kept.at) });
        if (kept.moved) words += " " + offer.getAttribute("data-msg-moved");
        offer.querySelector(".draft-when").textContent = words;
        offer.hidden = false;
        offer.querySelector('[data-draft="restore"]').addEventListener("click", function () {
          restore(kept, addPhoto);
          decided(true);
          say(msg("restored"));
        });
        offer.querySelector('[data-draft="discard"]').addEventListener("click", function () {
          store.removeItem(key);
          decided(false);
        });
      } else if (form.hasAttribute("data-bound")) {
        dirty = true;
        save();
      }
      form.addEventListener("input", later);
      form.addEventListener("change", later);
      form.addEventListener("photos-changed", later);
      window.addEventListener("pagehide", save);
    }

    function decided(keep, focus) {
      offer.hidden = true;
      paused = false;
      dirty = keep;
      save();
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first && focus !== false) first.focus();
    }

    return { save: save, start: start };
  }

  each(document.querySelectorAll("form[data-photo-upload]"), setup);
})();
