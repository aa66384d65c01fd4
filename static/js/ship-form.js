// The ship form: the bus and "other" boxes show only for the carrier they belong to. Without
// JavaScript every box shows, each saying when it is needed, and the server ignores the rest.
(function () {
  "use strict";
  var form = document.querySelector(".ship-form");
  if (!form) {
    return;
  }
  function update() {
    var checked = form.querySelector("input[name=carrier]:checked");
    var carrier = checked ? checked.value : "";
    form.querySelectorAll(".ship-extra").forEach(function (group) {
      group.hidden = group.dataset.carrier !== carrier;
    });
  }
  form.addEventListener("change", update);
  update();
})();
