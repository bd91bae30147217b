/* Knowledge checks on a competency page: choose an answer, read the feedback on it.
 *
 * Each check is published readable as it stands (div.hb-knowledge-check: the question, then the options,
 * each with its feedback folded under it). This script turns each into a small form: one radio button per
 * option and a button that shows, for the option chosen, whether it is right and the feedback written for
 * it. Nothing is scored, stored or sent: the form is never submitted anywhere.
 *
 * Option texts and feedback are the page's own nodes (checked HTML), copied with cloneNode; the words of
 * the form come from the JSON data block script#hb-learning-aids-data and go in with textContent.
 */
(function () {
  "use strict";

  var checks = Array.prototype.slice.call(document.querySelectorAll("div.hb-knowledge-check"));
  if (!checks.length) { return; }

  var labels = {};
  var block = document.querySelector('script[type="application/json"]#hb-learning-aids-data');
  try {
    labels = (block && JSON.parse(block.textContent).labels) || {};
  } catch (error) {
    labels = {};
  }

  function label(key) {
    return Object.prototype.hasOwnProperty.call(labels, key) ? String(labels[key]) : key;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "className") { node.className = attributes[name]; } else { node.setAttribute(name, attributes[name]); }
    });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Copies of ``nodes``, without their ids (the originals keep them). */
  function copies(nodes) {
    var fragment = document.createDocumentFragment();
    nodes.forEach(function (node) {
      var copy = node.cloneNode(true);
      if (copy.nodeType === Node.ELEMENT_NODE) {
        copy.removeAttribute("id");
        copy.querySelectorAll("[id]").forEach(function (inner) { inner.removeAttribute("id"); });
      }
      fragment.appendChild(copy);
    });
    return fragment;
  }

  function children(parent, selector) {
    return Array.prototype.filter.call(parent ? parent.children : [], function (child) {
      return child.matches(selector);
    });
  }

  function build(check, number) {
    var question = children(check, "div.hb-kc-question")[0];
    var list = children(check, "ul.hb-kc-options")[0];
    var items = children(list, "li.hb-kc-option");
    var options = items.map(function (item) {
      var details = children(item, "details")[0];
      var summary = children(details, "summary")[0];
      if (!summary) { return null; }
      return {
        correct: item.classList.contains("hb-kc-correct"),
        text: Array.prototype.slice.call(summary.childNodes),
        feedback: Array.prototype.filter.call(details.childNodes, function (node) {
          return node !== summary && !(node.nodeType === Node.ELEMENT_NODE && node.matches("p.hb-kc-verdict"));
        })
      };
    });
    if (!question || options.length < 2 || options.indexOf(null) >= 0) { return; }

    var base = check.id || "kc-" + number;
    question.id = base + "--question";
    var form = element("form", {className: "hb-kc-form", novalidate: ""});
    var group = element("fieldset", {className: "hb-kc-choices", "aria-labelledby": question.id});
    options.forEach(function (option, index) {
      var id = base + "--" + index;
      var row = element("div", {className: "hb-kc-choice"});
      var input = element("input", {type: "radio", name: base, id: id, value: String(index)});
      var text = element("label", {"for": id});
      text.appendChild(copies(option.text));
      row.appendChild(input);
      row.appendChild(text);
      group.appendChild(row);
    });
    form.appendChild(group);
    var actions = element("p", {className: "hb-kc-actions"});
    actions.appendChild(element("button", {type: "submit", className: "md-button"}, label("kc_check")));
    form.appendChild(actions);
    var result = element("div", {className: "hb-kc-result", role: "status", id: base + "--result"});
    form.appendChild(result);

    function clear() {
      while (result.firstChild) { result.removeChild(result.firstChild); }
      result.removeAttribute("data-verdict");
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clear();
      var chosen = form.querySelector("input[type=radio]:checked");
      if (!chosen) {
        result.setAttribute("data-verdict", "none");
        result.appendChild(element("p", {className: "hb-kc-verdict"}, label("kc_choose")));
        return;
      }
      var option = options[Number(chosen.value)];
      result.setAttribute("data-verdict", option.correct ? "correct" : "not-quite");
      result.appendChild(element("p", {className: "hb-kc-verdict"}, label(option.correct ? "kc_correct" : "kc_not_quite")));
      var feedback = element("div", {className: "hb-kc-feedback-text"});
      feedback.appendChild(copies(option.feedback));
      result.appendChild(feedback);
    });
    /* Feedback always belongs to the option it is shown for. */
    group.addEventListener("change", clear);

    list.hidden = true;
    check.insertBefore(form, list);
    check.classList.add("hb-kc-ready");
  }

  checks.forEach(build);
}());
