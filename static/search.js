// The search form and page, enhanced (the form and the list work without JavaScript):
// - "Utiliser ma position": the browser's position fills the hidden lat/lon fields;
// - the map of the results (Leaflet, served by this site), whose moves re-run the search
//   with the map's box: the list follows the map.
(function () {
  "use strict";

  // --- The browser's position -------------------------------------------------------------
  var locate = document.getElementById("locate");
  var near = document.getElementById("near");
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var status = document.getElementById("locate-status");
  if (near && lat && lon) {
    // A place typed wins: the position given before is forgotten.
    near.addEventListener("input", function () { lat.value = ""; lon.value = ""; });
  }
  if (locate && lat && lon && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = locate.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (p) {
        lat.value = p.coords.latitude.toFixed(5);
        lon.value = p.coords.longitude.toFixed(5);
        if (near) { near.value = ""; }
        status.textContent = locate.dataset.located;
        locate.form.submit();
      }, function () {
        status.textContent = locate.dataset.unavailable;
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
    });
  }

  // --- The map ----------------------------------------------------------------------------
  var box = document.getElementById("search-map");
  if (!box || !window.L) { return; }
  var L = window.L;
  var d = box.dataset;
  // Leaflet empties the tiles it drops with a data: image, which the site's policy forbids.
  L.Util.emptyImageUrl = "/static/blank.gif";
  document.getElementById("map-section").hidden = false;
  var map = L.map(box, { scrollWheelZoom: false, worldCopyJump: false });
  // One tile host, no prefetch beyond Leaflet's own view (OpenStreetMap's tile policy).
  L.tileLayer(d.tiles, { maxZoom: 19, attribution: d.attribution }).addTo(map);
  var cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();
  cluster.addTo(map);
  var mapStatus = document.getElementById("map-status");
  var quiet = 0; // moves made by this script, not by the person
  function fit(bounds) {
    quiet += 1;
    try { map.fitBounds(bounds, { animate: false, maxZoom: 13, padding: [32, 32] }); } finally { quiet -= 1; }
  }
  function view(zoom, center) {
    quiet += 1;
    try { map.setView(center, zoom, { animate: false }); } finally { quiet -= 1; }
  }
  var placed = false;
  if (d.bbox) {
    var c = d.bbox.split(":").map(function (p) { return p.split(",").map(Number); });
    fit([[c[1][0], c[0][1]], [c[0][0], c[1][1]]]);
    placed = true;
  } else if (d.center) {
    var ll = d.center.split(",").map(Number);
    var circle = L.circle(ll, { radius: Number(d.radius || 10) * 1000, interactive: false, fill: false, weight: 2 });
    circle.addTo(map);
    view(10, ll);
    fit(circle.getBounds());
    placed = true;
  } else {
    view(5, [46.6, 2.4]); // France, until the results are placed
  }

  function popup(r) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = r.url;
    a.textContent = r.title;
    var p = document.createElement("p");
    p.textContent = r.association;
    div.appendChild(a);
    div.appendChild(p);
    return div;
  }

  function showMarkers(url, refit) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (body) {
        cluster.clearLayers();
        var points = [];
        body.results.forEach(function (r) {
          if (r.latitude === null || r.latitude === undefined) { return; }
          var m = L.marker([r.latitude, r.longitude], { title: r.title, alt: r.title });
          m.bindPopup(popup(r));
          cluster.addLayer(m);
          points.push([r.latitude, r.longitude]);
        });
        if (refit && points.length) { fit(points); }
      })
      .catch(function () { /* the list is still there */ });
  }
  showMarkers(d.markers, !placed);

  // The list follows the map: the same search within the map's box.
  var results = document.getElementById("results");
  var timer = null;
  var asked = 0;
  function followed() {
    var b = map.getBounds();
    var n = function (x) { return x.toFixed(5); };
    var params = new URLSearchParams(window.location.search);
    ["near", "lat", "lon", "radius", "page", "bbox"].forEach(function (k) { params.delete(k); });
    if (params.get("sort") === "distance") { params.delete("sort"); }
    params.set("bbox", n(b.getNorth()) + "," + n(b.getWest()) + ":" + n(b.getSouth()) + "," + n(b.getEast()));
    return params;
  }
  map.on("moveend", function () {
    if (quiet) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      var params = followed();
      var query = params.toString();
      var mine = ++asked;
      results.setAttribute("aria-busy", "true");
      fetch("/search?" + query, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          if (mine !== asked) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("results");
          if (!fresh) { return; }
          results.innerHTML = fresh.innerHTML;
          results.dataset.bbox = params.get("bbox");
          results.setAttribute("aria-busy", "false");
          window.history.replaceState(null, "", "/search?" + query);
          document.querySelectorAll("link[rel=alternate]").forEach(function (l) {
            var kind = l.type === "text/calendar" ? "ics" : "atom";
            l.href = "/search." + kind + "?" + query;
          });
          var count = results.querySelector("h2");
          mapStatus.textContent = d.followed + " " + (count ? count.textContent : "");
          var api = new URLSearchParams(params);
          api.set("limit", "100");
          api.delete("lang");
          return showMarkers("/api/v1/search?" + api.toString(), false);
        })
        .catch(function () { results.setAttribute("aria-busy", "false"); });
    }, 400);
  });
})();
