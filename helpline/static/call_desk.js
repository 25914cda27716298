// The call page as the nurse's desk: the persons known for the caller's number as she types it,
// and the emergency banner the moment a red flag is ticked. Without JavaScript the server renders
// both when the form is checked (Enter) or a person is chosen.
(function () {
  "use strict";
  var form = document.getElementById("call-form");
  if (!form) { return; }

  // --- Known persons for the caller's number ---------------------------------------------------
  var phone = document.getElementById("caller_phone");
  var box = document.getElementById("caller-matches");
  var personId = form.querySelector("input[name=person_id]");
  var timer = null;
  var seq = 0;

  function digits(text) { return (text.match(/[0-9]/g) || []).length; }

  function show(persons) {
    box.textContent = "";
    if (!persons.length) { return; }
    var p = document.createElement("p");
    p.textContent = box.dataset.label;
    var ul = document.createElement("ul");
    persons.forEach(function (person) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "submit"; button.name = "action"; button.value = "use:" + person.id;
      button.textContent = box.dataset.choose;
      li.appendChild(button);
      var facts = [person.name];
      if (person.birth_date) { facts.push(person.birth_date); }
      if (person.postcode) { facts.push(person.postcode); }
      if (person.contact) { facts.push(person.contact); }
      li.appendChild(document.createTextNode(" " + facts.join(", ")));
      ul.appendChild(li);
    });
    box.appendChild(p); box.appendChild(ul);
  }

  function lookUp() {
    var text = phone.value.trim();
    if ((personId && personId.value) || digits(text) < 6) { if (!(personId && personId.value)) { show([]); } return; }
    var mine = ++seq;
    // POSTed: a phone number in a URL would stay in the access logs.
    var body = new FormData();
    body.append("q", text);
    var token = document.querySelector("#call-form [name=csrf_token]");
    fetch(box.dataset.searchUrl, { method: "POST", body: body, credentials: "same-origin",
                                   headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && mine === seq) { show(data.persons || []); } })
      .catch(function () { /* the server still offers them when the form is checked */ });
  }

  if (phone && box && window.fetch) {
    phone.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(lookUp, 250); });
  }

  // --- Emergency banner -------------------------------------------------------------------------
  var banner = document.getElementById("emergency");
  if (!banner) { return; }
  var address = document.getElementById("emergency-address");
  var access = document.getElementById("emergency-access");
  var callerPhone = document.getElementById("emergency-phone");

  function value(id) { var el = document.getElementById(id); return el ? el.value.trim() : ""; }

  function refreshBanner() {
    var flagged = form.querySelector("input[name=red_flags]:checked") !== null;
    banner.hidden = !flagged;
    document.body.classList.toggle("in-emergency", flagged);
    var street = [value("street"), value("house_number")].filter(Boolean).join(" ");
    if (street && value("box")) { street += " / " + value("box"); }
    var town = [value("postcode"), value("city")].filter(Boolean).join(" ");
    address.textContent = (street || value("city")) ? [street, town].filter(Boolean).join(", ") : address.dataset.none;
    access.textContent = value("access_notes") ? "— " + value("access_notes") : "";
    callerPhone.textContent = value("caller_phone") || "—";
  }

  form.addEventListener("change", function (event) { if (event.target.name === "red_flags") { refreshBanner(); } });
  ["street", "house_number", "box", "postcode", "city", "access_notes", "caller_phone"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("input", function () { if (!banner.hidden) { refreshBanner(); } }); }
  });
})();
