// Follow-up call form: show the questionnaire only when the person was reached.
(function () {
  "use strict";
  var form = document.querySelector(".followup-form");
  if (!form) { return; }
  var questionnaire = document.getElementById("questionnaire");
  function update() {
    var reached = form.querySelector("input[name=reached]:checked");
    questionnaire.hidden = reached !== null && reached.value === "no";
  }
  form.addEventListener("change", update);
  update();
}());
