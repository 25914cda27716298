// Keeps a draft of the call form in this browser while the nurse types, so nothing is lost if
// the browser crashes or a save fails. Each page's draft has a random id sent with the form
// (draft_id); after a successful save the server sets the cookie saved_draft=<id> and the draft is
// deleted here. Drafts older than MAX_AGE_MS are deleted too (they hold health data).
(function () {
  "use strict";
  var form = document.getElementById("call-form");
  var script = document.currentScript;
  // Drafts belong to the user who typed them: each user's drafts under her own key (an opaque
  // value from the server); the logout response clears the browser's storage altogether.
  var owner = script && script.getAttribute("data-owner");
  var STORE = "helpline.callDrafts." + owner;
  var MAX_AGE_MS = 12 * 3600 * 1000;
  var SKIP = { csrf_token: true, action: true, draft_id: true };
  var TEXT = {
    fr: { found: "Un appel non enregistré du ", restore: "Reprendre ce brouillon", discard: "L’effacer" },
    en: { found: "An unsaved call from ", restore: "Restore this draft", discard: "Discard it" }
  };
  if (!form || !owner) { return; }
  var storage = null;
  try { storage = window.localStorage; storage.setItem(STORE + ".probe", "1"); storage.removeItem(STORE + ".probe"); }
  catch (e) { return; }  // no storage (private mode, disabled): the server-side safeguards remain
  storage.removeItem("helpline.callDrafts");  // drafts of earlier versions had no owner

  function text() { return TEXT[(document.documentElement.lang || "fr").slice(0, 2)] || TEXT.fr; }
  function newId() {
    if (window.crypto && window.crypto.getRandomValues) {
      var bytes = new Uint8Array(12); window.crypto.getRandomValues(bytes);
      return "d-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }
    return "d-" + Date.now().toString(16) + Math.random().toString(16).slice(2, 10);
  }
  function load() {
    try { var all = JSON.parse(storage.getItem(STORE) || "{}"); return all && typeof all === "object" ? all : {}; }
    catch (e) { return {}; }
  }
  function store(all) {
    try { storage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* quota: keep the older drafts */ }
  }
  function prune(all) {
    var now = Date.now();
    Object.keys(all).forEach(function (id) {
      if (!all[id] || !all[id].fields || now - all[id].savedAt > MAX_AGE_MS) { delete all[id]; }
    });
    return all;
  }
  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }
  function fields() {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.disabled || el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) { if (o.selected) { out.push([el.name, o.value]); } });
        return;
      }
      out.push([el.name, el.value]);
    });
    return out;
  }
  function typed(list) {  // what the nurse typed: not the defaults the page fills in itself
    return JSON.stringify(list.filter(function (p) { return p[0] !== "started_at" && p[0] !== "consent_date"; }));
  }
  function apply(list) {
    var values = {};
    list.forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "submit" || el.type === "button") { return; }
      var mine = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") { el.checked = mine.indexOf(el.value) !== -1; }
      else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = mine.indexOf(o.value) !== -1; });
      } else if (el.type !== "file") { el.value = mine.length ? mine[0] : ""; }
    });
    form.dispatchEvent(new Event("change", { bubbles: true }));  // re-asks the triage proposal
  }

  var drafts = prune(load());
  var saved = cookie("saved_draft");
  if (saved) {
    delete drafts[saved];
    document.cookie = "saved_draft=; Max-Age=0; path=/; SameSite=Strict";
  }
  var current = fields();
  var others = Object.keys(drafts).map(function (id) { return [id, drafts[id]]; })
    .sort(function (a, b) { return b[1].savedAt - a[1].savedAt; });
  // The page re-shown after a failed save holds the same values as its draft: carry on with it.
  // The server gives each form shown its draft id (a second submit of it finds the saved call).
  var hidden = form.elements.draft_id;
  if (!hidden) {
    hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "draft_id";
    form.appendChild(hidden);
  }
  var same = others.filter(function (d) { return typed(d[1].fields) === typed(current); })[0];
  var draftId = same ? same[0] : (hidden.value || newId());
  hidden.value = draftId;
  others = others.filter(function (d) { return d[0] !== draftId; });
  store(drafts);

  var timer = null;
  var pristine = same ? null : typed(current);
  function save() {
    var all = prune(load());
    var now = fields();
    if (pristine !== null && typed(now) === pristine) { return; }  // nothing typed yet: no draft
    pristine = null;
    all[draftId] = { savedAt: Date.now(), page: window.location.pathname, fields: now };
    store(all);
  }
  function schedule() { window.clearTimeout(timer); timer = window.setTimeout(save, 300); }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", save);
  window.addEventListener("pagehide", save);

  // A form re-shown to be corrected keeps the screen: no other draft is offered over it.
  if (others.length && !form.querySelector(".has-error")) { offer(others[0]); }

  // Dates the Belgian or British way, four-digit years (31/12/2026 13:05), never the American one.
  var MOMENT = { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" };
  function regional(lang) { return { fr: "fr-BE", en: "en-GB" }[lang] || lang || "fr-BE"; }

  function offer(draft) {
    var t = text();
    var box = document.createElement("div");
    box.className = "flash info draft-offer";
    box.setAttribute("role", "status");
    var when = new Date(draft[1].savedAt);
    var label = document.createElement("span");
    label.textContent = t.found + when.toLocaleString(regional(document.documentElement.lang), MOMENT) + ". ";
    var restore = document.createElement("button");
    restore.type = "button"; restore.textContent = t.restore; restore.className = "primary";
    var discard = document.createElement("button");
    discard.type = "button"; discard.textContent = t.discard; discard.className = "link";
    restore.addEventListener("click", function () {
      var all = load();
      apply(draft[1].fields);
      delete all[draftId];
      draftId = draft[0]; hidden.value = draftId;  // the restored call keeps its draft id
      store(all); save(); box.remove();
    });
    discard.addEventListener("click", function () {
      var all = load(); delete all[draft[0]]; store(all); box.remove();
    });
    box.appendChild(label); box.appendChild(restore); box.appendChild(document.createTextNode(" ")); box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }
})();
