/* The hotspot network's map: Leaflet over the table of spots (progressive enhancement).
 *
 * Reads everything from #hotspots-map's data- attributes (no request, no inline
 * script): data-hotspots (JSON list of spots), data-bounds (the service area),
 * data-tiles / data-attribution / data-max-zoom (the tile server), data-it
 * ("true": markers coloured by state, with IT's legend).
 */
(function () {
  "use strict";

  function text(tag, className, content, lang) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (lang) { node.lang = lang; }
    node.textContent = content;
    return node;
  }

  function popup(spot) {
    var box = document.createElement("div");
    box.className = "dimos-popup";
    var title = document.createElement("p");
    title.className = "dimos-popup-name";
    var link = text("a", "", spot.name);
    link.href = spot.url;
    title.appendChild(link);
    box.appendChild(title);
    if (spot.address) { box.appendChild(text("p", "dimos-popup-address", spot.address)); }
    var status = document.createElement("p");
    status.className = "dimos-popup-status";
    status.appendChild(text("span", "", spot.state_el || spot.status_el, "el"));
    status.appendChild(document.createTextNode(" / "));
    status.appendChild(text("span", "", spot.state_en || spot.status_en, "en"));
    box.appendChild(status);
    return box;
  }

  function icon(spot, it) {
    var state = it && spot.state ? spot.state : "public";
    var html = document.createElement("span");
    html.className = "dimos-marker dimos-marker-" + state;
    return L.divIcon({
      className: "dimos-marker-icon",
      html: html,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10]
    });
  }

  function label(spot, it) {
    var status = it && spot.state_el ? spot.state_el : spot.status_el;
    return spot.name + " — " + status;
  }

  function init(container) {
    if (typeof L === "undefined") { return; }
    var spots = JSON.parse(container.getAttribute("data-hotspots") || "[]");
    var bounds = JSON.parse(container.getAttribute("data-bounds") || "null");
    var it = container.getAttribute("data-it") === "true";
    container.hidden = false;
    var legend = document.getElementById("hotspots-legend");
    if (legend && it) { legend.hidden = false; }

    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({
      zoomInTitle: "Μεγέθυνση / Zoom in",
      zoomOutTitle: "Σμίκρυνση / Zoom out"
    }).addTo(map);
    L.tileLayer(container.getAttribute("data-tiles"), {
      attribution: container.getAttribute("data-attribution"),
      maxZoom: parseInt(container.getAttribute("data-max-zoom") || "19", 10)
    }).addTo(map);

    var points = spots.map(function (spot) { return [spot.lat, spot.lon]; });
    // The view first: Leaflet draws a marker only on a map that has one.
    if (points.length > 1) {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 17 });
    } else if (points.length === 1) {
      map.setView(points[0], 17);
    } else if (bounds) {
      map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]]);
    }

    spots.forEach(function (spot) {
      var marker = L.marker([spot.lat, spot.lon], {
        icon: icon(spot, it),
        title: label(spot, it),
        alt: label(spot, it),
        keyboard: true
      });
      marker.bindPopup(popup(spot));
      marker.addTo(map);
      var element = marker.getElement();
      if (element) {
        element.setAttribute("data-hotspot", spot.id);
        element.setAttribute("aria-label", label(spot, it));
      }
    });
    container.setAttribute("data-markers", String(points.length));
  }

  function start() {
    var container = document.getElementById("hotspots-map");
    if (container) { init(container); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
