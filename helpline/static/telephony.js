/* Screen pop: show nurses the incoming calls, who may be calling, and telephony notices. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) { return; }
  var incomingUrl = script.dataset.incoming;
  var csrf = script.dataset.csrf;
  var POLL_MS = 3000;
  var MESSAGE_MS = 10000;
  var lastPayload = "";
  var lastData = null;
  var message = null;  /* an answer refused (another nurse was quicker…), kept over the next polls */

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = script.dataset.css;
  document.head.appendChild(css);

  var box = document.createElement("aside");
  box.className = "screen-pop";
  box.setAttribute("aria-live", "polite");
  box.hidden = true;
  document.body.appendChild(box);

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function post(url) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "Accept": "application/json"}
    }).then(function (response) { return response.json(); });
  }

  function showMessage(text) {
    message = text;
    lastPayload = "";
    window.setTimeout(function () {
      if (message === text) { message = null; lastPayload = ""; if (lastData) { render(lastData); } }
    }, MESSAGE_MS);
  }

  function renderPending(call, labels) {
    /* what the caller is still owed (a call to return, a follow-up due), completed within this call */
    var box = el("div", null, "screen-pop-pending");
    box.appendChild(el("p", labels.pending));
    var list = el("ul");
    call.pending.forEach(function (item) {
      var li = el("li", item.text + " ");
      if (item.action) {
        var form = el("form");
        form.method = "post";
        form.action = item.action.url;
        var token = el("input");
        token.type = "hidden";
        token.name = "csrf_token";
        token.value = csrf;
        form.appendChild(token);
        var button = el("button", item.action.label);
        button.type = "submit";
        form.appendChild(button);
        li.appendChild(form);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function renderCall(call, labels) {
    var item = el("section", null, "screen-pop-call");
    var title = el("h2", labels.incoming + " ");
    title.appendChild(el("span", call.number, "screen-pop-number"));
    item.appendChild(title);
    if (call.pending && call.pending.length) { item.appendChild(renderPending(call, labels)); }
    if (!call.answered_by_me) {
      if (call.known_count) { item.appendChild(el("p", labels.known.replace("%(n)s", call.known_count))); }
      var answer = el("button", labels.answer);
      answer.type = "button";
      answer.addEventListener("click", function () {
        answer.disabled = true;
        post(call.answer_url).then(function (data) {
          if (data.error) { showMessage(data.message || data.error); }
        }, function () {
          showMessage(labels.answer_failed);
        }).then(refresh);
      });
      item.appendChild(answer);
      return item;
    }
    item.appendChild(el("p", labels.answered));
    var list = el("ul");
    call.persons.forEach(function (person) {
      var li = el("li");
      var text = person.name + (person.birth_year ? " (" + person.birth_year + ")" : "");
      li.appendChild(link(person.log_url, text));
      list.appendChild(li);
    });
    var other = el("li");
    other.appendChild(link(call.log_url, call.persons.length ? labels.other_person : labels.log_call));
    list.appendChild(other);
    item.appendChild(list);
    return item;
  }

  function renderNotice(notice, labels) {
    var item = el("section", null, "screen-pop-notice");
    item.setAttribute("role", "alert");
    item.appendChild(el("p", notice.message));
    if (notice.link) { item.appendChild(link(notice.link, labels.open)); }
    var dismiss = el("button", labels.dismiss, "link");
    dismiss.type = "button";
    dismiss.addEventListener("click", function () { post(notice.dismiss_url).then(refresh); });
    item.appendChild(dismiss);
    return item;
  }

  function render(data) {
    lastData = data;
    var payload = JSON.stringify(data);
    if (payload === lastPayload) { return; }
    lastPayload = payload;
    box.replaceChildren();
    if (message) {
      var note = el("p", message, "error screen-pop-message");
      note.setAttribute("role", "alert");
      box.appendChild(note);
    }
    data.notices.forEach(function (n) { box.appendChild(renderNotice(n, data.labels)); });
    data.calls.forEach(function (c) { box.appendChild(renderCall(c, data.labels)); });
    box.hidden = !(message || data.calls.length || data.notices.length);
  }

  function refresh() {
    return fetch(incomingUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          /* logged out (idle timeout, another tab): no call may stay on screen */
          message = null;
          return {calls: [], notices: [], labels: {}};
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* the next poll tries again */ });
  }

  function poll() {
    var next = function () { window.setTimeout(poll, POLL_MS); };
    if (document.hidden) { next(); return; }
    refresh().then(next, next);
  }

  poll();
}());
