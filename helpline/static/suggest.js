// Topic suggestions on the call page: as the nurse types the summary, ask the server which topics
// past calls suggest and offer them as buttons. Nothing is ticked unless she clicks; ignoring them
// is fine. Without JavaScript, or without a trained suggester, nothing shows.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("call-form");
  var box = document.getElementById("topic-suggestions");
  var summary = form && form.elements.namedItem("summary");
  if (!script || !box || !summary || !window.fetch) { return; }
  var url = script.dataset.suggestUrl;
  var timer = null;
  var seq = 0;

  function ticked() {
    return Array.prototype.filter.call(form.querySelectorAll("input[name='topics']"), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
  }

  function accept(topic) {
    var input = form.querySelector("input[name='topics'][value='" + topic + "']");
    if (input && !input.checked) {
      input.checked = true;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    show([]);
    schedule();
  }

  function show(suggestions) {
    box.textContent = "";
    if (!suggestions.length) { return; }
    var p = document.createElement("p");
    p.textContent = script.dataset.label + " ";
    suggestions.forEach(function (s) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "suggestion";
      button.textContent = "+ " + s.label;
      button.title = script.dataset.hint;
      button.addEventListener("click", function () { accept(s.topic); });
      p.appendChild(button);
    });
    box.appendChild(p);
  }

  function ask() {
    var mine = ++seq;
    var token = form.elements.namedItem("csrf_token");
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify({ summary: summary.value, topics: ticked() })
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && mine === seq) { show(data.suggestions || []); }
    }).catch(function () { /* suggestions are a help, never needed */ });
  }

  function schedule() { window.clearTimeout(timer); timer = window.setTimeout(ask, 400); }
  summary.addEventListener("input", schedule);
  if (summary.value) { schedule(); }
})();
