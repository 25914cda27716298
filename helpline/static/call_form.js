// Live triage proposal on the call page: re-asks the server whenever a triage input changes.
// Without JavaScript the same proposal shows when the nurse submits the form.
(function () {
  "use strict";
  var form = document.getElementById("call-form");
  if (!form || !window.fetch) { return; }
  var box = document.getElementById("proposal");
  var route = document.getElementById("route");
  var routeTouched = route && route.value !== "";
  var timer = null;
  var seq = 0;

  if (route) { route.addEventListener("change", function () { routeTouched = true; }); }

  function refresh() {
    var body = new FormData(form);
    body.set("action", "preview");
    var mine = ++seq;
    fetch(form.dataset.previewUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": body.get("csrf_token") || "" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data || mine !== seq) { return; }
      box.innerHTML = data.html;
      if (route && data.proposal && !routeTouched) { route.value = data.proposal.route; }
      form.dispatchEvent(new CustomEvent("proposal:updated", { detail: data.proposal }));
    }).catch(function () { /* the proposal still shows on submit */ });
  }

  function schedule() { window.clearTimeout(timer); timer = window.setTimeout(refresh, 150); }
  form.addEventListener("change", function (event) {
    if (event.target.name !== "route" && event.target.name !== "override_reason") { schedule(); }
  });
})();
