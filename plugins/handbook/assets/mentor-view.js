/* The learner's and the mentor's view of a case page.
 *
 * The case sections written for mentors and facilitators are published folded away, each in a
 * details.hb-mentor-block (readable without this script: open it). This script adds one switch at the top
 * of the page: in the mentor view every such block is open and body.hb-mentor-view is set, so that print
 * (handbook.css) includes the notes; in the learner's view they are folded and print leaves them out. The
 * choice is kept in localStorage (one key, "mentor" or nothing) and applies on every case page.
 *
 * Words come from the JSON data block script#hb-learning-aids-data (type application/json), inserted with
 * textContent only. No request is made, nothing else is stored.
 */
(function () {
  "use strict";

  var KEY = "handbook-view";
  var MENTOR = "mentor";
  var VIEW_CLASS = "hb-mentor-view";

  var blocks = Array.prototype.slice.call(document.querySelectorAll("details.hb-mentor-block"));
  if (!blocks.length) { return; }

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

  var storage = (function () {
    try {
      var probe = KEY + "-probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }());

  function stored() {
    try {
      return Boolean(storage) && storage.getItem(KEY) === MENTOR;
    } catch (error) {
      return false;
    }
  }

  function remember(mentor) {
    if (!storage) { return; }
    try {
      if (mentor) { storage.setItem(KEY, MENTOR); } else { storage.removeItem(KEY); }
    } catch (error) {
      /* A full or refused storage only means the choice is not remembered. */
    }
  }

  blocks.forEach(function (details, index) {
    if (!details.id) { details.id = "hb-mentor-block-" + index; }
  });

  var button = document.createElement("button");
  button.type = "button";
  button.className = "md-button hb-mentor-toggle";
  button.setAttribute("aria-controls", blocks.map(function (details) { return details.id; }).join(" "));
  var bar = document.createElement("div");
  bar.className = "hb-mentor-switch";
  bar.appendChild(button);

  var title = document.querySelector("article h1");
  if (title && title.parentNode) {
    title.parentNode.insertBefore(bar, title.nextSibling);
  } else {
    blocks[0].parentNode.insertBefore(bar, blocks[0]);
  }

  function mentorView() {
    return document.body.classList.contains(VIEW_CLASS);
  }

  function apply(mentor) {
    document.body.classList.toggle(VIEW_CLASS, mentor);
    blocks.forEach(function (details) { details.open = mentor; });
    button.textContent = label(mentor ? "mentor_hide" : "mentor_show");
    button.setAttribute("aria-expanded", mentor ? "true" : "false");
  }

  button.addEventListener("click", function () {
    var mentor = !mentorView();
    apply(mentor);
    remember(mentor);
  });

  /* A block folded by hand in the mentor view is printed whole all the same. */
  window.addEventListener("beforeprint", function () {
    if (mentorView()) { blocks.forEach(function (details) { details.open = true; }); }
  });

  /* The same choice in every open tab. */
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) { apply(stored()); }
  });

  apply(stored());
}());
