// Places offered while typing a commune or a postcode: fills the <datalist> of every input
// marked data-places from GET /api/v1/places. Without JavaScript the field is a plain text
// field, located when the form is saved.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-places]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        // After a street, the commune is what follows the last comma.
        var typed = input.value.split(",").pop().trim();
        if (typed.length < 2 || typed === asked) { return; }
        asked = typed;
        fetch("/api/v1/places?limit=8&q=" + encodeURIComponent(typed), { credentials: "omit" })
          .then(function (r) { return r.ok ? r.json() : { places: [] }; })
          .then(function (body) {
            var head = input.value.lastIndexOf(",") >= 0
              ? input.value.slice(0, input.value.lastIndexOf(",") + 1) + " " : "";
            list.textContent = "";
            body.places.forEach(function (p) {
              var option = document.createElement("option");
              var postcode = p.postcodes.length ? p.postcodes[0] + " " : "";
              option.value = head + (input.dataset.places === "postcode" ? postcode : "") + p.name;
              option.label = p.label;
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 200);
    });
  });
})();
