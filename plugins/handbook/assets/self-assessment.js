/* The self-assessment on a rubric page.
 *
 * Candidates tick the look-fors they can evidence, pick the level they believe each criterion reaches and
 * note their evidence; each criterion shows where it stands against its floor and the whole against the
 * threshold, by the published rule (scoring.js, a port of handbook.model.scoring.score_entry, with one
 * rating per criterion: the candidate's own).
 *
 * The page's content holds only an empty container; every control is built here from the JSON data block
 * the handbook plugin adds to the page (script#hb-self-assessment-data, type application/json). Every
 * text goes in with textContent. Answers are kept in localStorage only, keyed by program, rubric and
 * rubric version, and leave the browser only as a file the candidate exports: no fetch, no XHR, no beacon.
 */
(function () {
  "use strict";

  var FORMAT = "handbook-self-assessment";
  var PREFIX = "handbook-self-assessment|";
  var INSUFFICIENT = "insufficient";
  var MAX_FILE = 1024 * 1024;
  var MAX_NOTE = 20000;

  var scoring = window.HandbookScoring;
  var container = document.querySelector("div#self-assessment.hb-self-assessment");
  var block = document.querySelector('script[type="application/json"]#hb-self-assessment-data');
  if (!scoring || !container || !block) { return; }
  var data;
  try {
    data = JSON.parse(block.textContent);
  } catch (error) {
    return;
  }
  if (!data || !Array.isArray(data.criteria) || !data.rule) { return; }

  var labels = data.labels || {};
  var sign = data.decimal || ".";
  var storageKey = PREFIX + [data.program, data.rubric, data.version].map(encodeURIComponent).join("|");
  var rubricPrefix = PREFIX + [data.program, data.rubric].map(encodeURIComponent).join("|") + "|";
  var ownScheme = {
    scale: data.scale,
    rule: {aggregate: data.rule.aggregate, threshold: data.rule.threshold, scorers: 1, step: data.rule.step,
           insufficient_evidence: data.rule.insufficient_evidence},
    criteria: data.criteria.map(function (c) { return {id: c.id, floor: c.floor, weight: c.weight}; })
  };
  var own = Object.prototype.hasOwnProperty;
  var state = emptyState();
  var controls = {};  // the form's own parts
  var perCriterion = Object.create(null);  // criterion id -> its controls

  // -- Words and figures ------------------------------------------------------------------------------

  function label(key, values) {
    var text = own.call(labels, key) ? String(labels[key]) : key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && own.call(values, name) ? String(values[name]) : whole;
    });
  }

  function figure(value) {
    return scoring.parse(value).format(2, sign);
  }

  function listing(items) {
    try {
      return new Intl.ListFormat(data.language, {style: "long", type: "conjunction"}).format(items);
    } catch (error) {
      return items.join(", ");
    }
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "className") { node.className = value; } else { node.setAttribute(name, value === true ? "" : value); }
    });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function inContentLanguage(node) {
    if (data.content_language && data.content_language !== data.language) {
      node.setAttribute("lang", data.content_language);
      node.setAttribute("dir", data.content_dir || "auto");
    }
    return node;
  }

  // -- State and storage ------------------------------------------------------------------------------

  function emptyAnswer() { return {level: null, ticks: [], note: ""}; }

  function emptyState() {
    var criteria = Object.create(null);
    data.criteria.forEach(function (c) { criteria[c.id] = emptyAnswer(); });
    return criteria;
  }

  function criterionData(id) {
    return data.criteria.filter(function (c) { return c.id === id; })[0] || null;
  }

  function lookForKeys(criterion) {
    var keys = [];
    criterion.look_fors.forEach(function (group) { group.items.forEach(function (item) { keys.push(item.key); }); });
    return keys;
  }

  function levelAllowed(level) {
    if (level === INSUFFICIENT) { return Boolean(data.rule.insufficient_evidence); }
    return data.scale.some(function (point) { return point.level === level; });
  }

  function record() {
    var criteria = {};
    data.criteria.forEach(function (c) {
      var answer = state[c.id];
      criteria[c.id] = {key: c.key, level: answer.level, ticks: answer.ticks.slice(), note: answer.note};
    });
    return {format: FORMAT, format_version: 1, program: data.program, rubric: data.rubric, version: data.version,
            language: data.language, saved: new Date().toISOString(), criteria: criteria};
  }

  function isEmpty() {
    return data.criteria.every(function (c) {
      var answer = state[c.id];
      return answer.level === null && !answer.ticks.length && !answer.note;
    });
  }

  var storage = (function () {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }());

  function save() {
    if (!storage) { return; }
    try {
      if (isEmpty()) { storage.removeItem(storageKey); } else { storage.setItem(storageKey, JSON.stringify(record())); }
    } catch (error) {
      showSaved(false);
    }
  }

  function readStored(key) {
    try {
      var text = storage && storage.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  /* The most recently saved answers of this program's rubric for another version, if any. */
  function otherVersion() {
    if (!storage) { return null; }
    var found = null;
    for (var index = 0; index < storage.length; index += 1) {
      var key = storage.key(index);
      if (!key || key.indexOf(rubricPrefix) !== 0 || key === storageKey) { continue; }
      var stored = readStored(key);
      if (!wellFormed(stored) || stored.program !== data.program || stored.rubric !== data.rubric ||
          stored.version === data.version) { continue; }
      if (!found || String(stored.saved || "") > String(found.saved || "")) { found = stored; }
    }
    return found;
  }

  /* A saved or exported record has the shape this script writes. */
  function wellFormed(value) {
    if (!value || typeof value !== "object" || Array.isArray(value)) { return false; }
    if (value.format !== FORMAT || typeof value.program !== "string" || typeof value.rubric !== "string" ||
        typeof value.version !== "string") { return false; }
    var criteria = value.criteria;
    if (!criteria || typeof criteria !== "object" || Array.isArray(criteria)) { return false; }
    return Object.keys(criteria).every(function (id) {
      var answer = criteria[id];
      return answer && typeof answer === "object" && !Array.isArray(answer) &&
        (answer.level === null || answer.level === undefined || typeof answer.level === "string") &&
        (answer.key === undefined || typeof answer.key === "string") &&
        Array.isArray(answer.ticks) && answer.ticks.every(function (t) { return typeof t === "string"; }) &&
        typeof answer.note === "string" && answer.note.length <= MAX_NOTE;
    });
  }

  /* The answers of this very version, or null if they do not fit this rubric exactly. */
  function sameVersion(value) {
    var criteria = Object.create(null);
    var ids = Object.keys(value.criteria);
    if (ids.some(function (id) { return !criterionData(id); })) { return null; }
    var fits = data.criteria.every(function (c) {
      var answer = own.call(value.criteria, c.id) ? value.criteria[c.id] : null;
      if (!answer) { criteria[c.id] = emptyAnswer(); return true; }
      var keys = lookForKeys(c);
      var level = answer.level === undefined ? null : answer.level;
      if (level !== null && !levelAllowed(level)) { return false; }
      if (!answer.ticks.every(function (t) { return keys.indexOf(t) >= 0; })) { return false; }
      criteria[c.id] = {level: level, ticks: keys.filter(function (k) { return answer.ticks.indexOf(k) >= 0; }),
                        note: answer.note};
      return true;
    });
    return fits ? criteria : null;
  }

  /* Answers of another version carried over where the criterion (and each look-for) is still the same:
   * the same id and the same text in the source language. Returns how many criteria were carried. */
  function carryOver(value) {
    var count = 0;
    data.criteria.forEach(function (c) {
      var answer = own.call(value.criteria, c.id) ? value.criteria[c.id] : null;
      if (!answer || answer.key !== c.key) { return; }
      var keys = lookForKeys(c);
      var level = answer.level === undefined ? null : answer.level;
      state[c.id] = {level: level !== null && levelAllowed(level) ? level : null,
                     ticks: keys.filter(function (k) { return answer.ticks.indexOf(k) >= 0; }),
                     note: answer.note};
      count += 1;
    });
    return count;
  }

  // -- The form -------------------------------------------------------------------------------------

  function build() {
    while (container.firstChild) { container.removeChild(container.firstChild); }
    document.querySelectorAll(".hb-sa-noscript").forEach(function (node) { node.hidden = true; });
    container.classList.add("hb-sa-ready");

    var banner = element("div", {className: "hb-sa-banner", hidden: true});
    banner.appendChild(element("p", {className: "hb-sa-banner-text"}));
    var carry = element("button", {type: "button", className: "md-button hb-sa-carry"});
    banner.appendChild(carry);
    container.appendChild(banner);
    controls.banner = banner;
    controls.carry = carry;

    data.criteria.forEach(function (criterion, index) { container.appendChild(criterionSection(criterion, index)); });

    var verdictBox = element("section", {className: "hb-sa-summary", "aria-labelledby": "hb-sa-verdict-title"});
    verdictBox.appendChild(element("h3", {id: "hb-sa-verdict-title"}, label("verdict_title")));
    var verdict = element("div", {className: "hb-sa-verdict", id: "hb-sa-verdict", "aria-live": "polite"});
    verdictBox.appendChild(verdict);
    var note = element("p", {className: "hb-sa-verdict-note"}, label("verdict_note") + " ");
    if (data.assessment_url) {
      note.appendChild(element("a", {href: data.assessment_url}, label("assessment_link")));
    }
    verdictBox.appendChild(note);
    container.appendChild(verdictBox);
    controls.verdict = verdict;

    var actions = element("div", {className: "hb-sa-actions", role: "group", "aria-label": label("actions")});
    var exportButton = element("button", {type: "button", className: "md-button hb-sa-export"}, label("export"));
    var importButton = element("button", {type: "button", className: "md-button hb-sa-import"}, label("import"));
    var file = element("input", {type: "file", accept: "application/json,.json", className: "hb-sa-file",
                                 id: "hb-sa-file", hidden: true, tabindex: "-1"});
    var printButton = element("button", {type: "button", className: "md-button hb-sa-print"}, label("print"));
    var resetButton = element("button", {type: "button", className: "md-button hb-sa-reset"}, label("reset"));
    [exportButton, importButton, file, printButton, resetButton].forEach(function (n) { actions.appendChild(n); });
    container.appendChild(actions);

    var confirm = element("div", {className: "hb-sa-confirm", role: "group", hidden: true,
                                  "aria-labelledby": "hb-sa-confirm-text"});
    confirm.appendChild(element("p", {id: "hb-sa-confirm-text"}, label("reset_confirm")));
    var yes = element("button", {type: "button", className: "md-button md-button--primary hb-sa-reset-yes"},
                      label("reset_yes"));
    var no = element("button", {type: "button", className: "md-button hb-sa-reset-no"}, label("reset_no"));
    confirm.appendChild(yes);
    confirm.appendChild(no);
    container.appendChild(confirm);

    var message = element("p", {className: "hb-sa-message", role: "status", "aria-live": "polite"});
    container.appendChild(message);
    var saved = element("p", {className: "hb-sa-saved"});
    container.appendChild(saved);
    controls.message = message;
    controls.saved = saved;

    exportButton.addEventListener("click", exportFile);
    importButton.addEventListener("click", function () { file.value = ""; file.click(); });
    file.addEventListener("change", function () { if (file.files && file.files[0]) { importFile(file.files[0]); } });
    printButton.addEventListener("click", function () { window.print(); });
    resetButton.addEventListener("click", function () { confirm.hidden = false; yes.focus(); });
    no.addEventListener("click", function () { confirm.hidden = true; resetButton.focus(); });
    confirm.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { confirm.hidden = true; resetButton.focus(); }
    });
    yes.addEventListener("click", function () {
      state = emptyState();
      if (storage) { try { storage.removeItem(storageKey); } catch (error) { /* nothing to remove */ } }
      confirm.hidden = true;
      fill();
      say(label("reset_done"), "done");
      resetButton.focus();
    });
  }

  function criterionSection(criterion, index) {
    var prefix = "hb-sa-" + index;
    var section = element("section", {className: "hb-sa-criterion", "data-criterion": criterion.id,
                                      "aria-labelledby": prefix + "-title"});
    var heading = element("h3", {id: prefix + "-title", className: "hb-sa-criterion-title"});
    // "Criterion {number} of {total}: {title}", the title in the content's own language.
    var words = label("criterion", {number: index + 1, total: data.criteria.length}).split("{title}");
    heading.appendChild(document.createTextNode(words[0]));
    heading.appendChild(inContentLanguage(element("span", {}, criterion.title)));
    if (words.length > 1) { heading.appendChild(document.createTextNode(words.slice(1).join(""))); }
    section.appendChild(heading);

    var looks = element("fieldset", {className: "hb-sa-look-fors"});
    looks.appendChild(element("legend", {}, label("look_fors")));
    var boxes = [];
    criterion.look_fors.forEach(function (group, groupIndex) {
      if (!group.items.length) { return; }
      var set = element("fieldset", {className: "hb-sa-level-group", "data-level": group.level});
      set.appendChild(inContentLanguage(element("legend", {}, group.level_name)));
      group.items.forEach(function (item, itemIndex) {
        var id = prefix + "-look-" + groupIndex + "-" + itemIndex;
        var row = element("div", {className: "hb-sa-check"});
        var box = element("input", {type: "checkbox", id: id, "data-key": item.key});
        row.appendChild(box);
        row.appendChild(inContentLanguage(element("label", {"for": id}, item.text)));
        set.appendChild(row);
        box.addEventListener("change", function () { changed(criterion.id); });
        boxes.push(box);
      });
      looks.appendChild(set);
    });
    section.appendChild(looks);

    var levels = element("fieldset", {className: "hb-sa-levels", role: "radiogroup",
                                      "aria-labelledby": prefix + "-level-legend"});
    levels.appendChild(element("legend", {id: prefix + "-level-legend"}, label("level")));
    var options = [{value: "", text: label("not_rated")}];
    data.scale.forEach(function (point) {
      var name = point.label && point.label !== point.level_name ? point.label + " (" + point.level_name + ")"
                                                                : point.label || point.level_name;
      options.push({value: point.level, text: label("level_option", {score: figure(point.score), label: name}),
                    content: true});
    });
    if (data.rule.insufficient_evidence) {
      options.push({value: INSUFFICIENT, text: data.rule.insufficient_evidence.label, content: true});
    }
    var radios = options.map(function (option, optionIndex) {
      var id = prefix + "-level-" + optionIndex;
      var row = element("div", {className: "hb-sa-radio"});
      var radio = element("input", {type: "radio", id: id, name: prefix + "-level", value: option.value});
      row.appendChild(radio);
      var text = element("label", {"for": id}, option.text);
      row.appendChild(option.content ? inContentLanguage(text) : text);
      levels.appendChild(row);
      radio.addEventListener("change", function () { changed(criterion.id); });
      return radio;
    });
    section.appendChild(levels);

    var noteId = prefix + "-note";
    var hintId = prefix + "-note-hint";
    var noteBox = element("div", {className: "hb-sa-note"});
    noteBox.appendChild(element("label", {"for": noteId}, label("note")));
    noteBox.appendChild(element("p", {id: hintId, className: "hb-sa-hint"}, label("note_hint")));
    var note = element("textarea", {id: noteId, rows: "4", maxlength: String(MAX_NOTE), "aria-describedby": hintId});
    noteBox.appendChild(note);
    var printed = element("div", {className: "hb-sa-print-note", "aria-hidden": "true"});
    noteBox.appendChild(printed);
    note.addEventListener("input", function () { changed(criterion.id); });
    section.appendChild(noteBox);

    var status = element("p", {className: "hb-sa-status", id: prefix + "-status"});
    section.appendChild(status);
    perCriterion[criterion.id] = {boxes: boxes, radios: radios, note: note, printed: printed, status: status};
    return section;
  }

  /* The controls' values from the state. */
  function fill() {
    data.criteria.forEach(function (c) {
      var answer = state[c.id], ui = perCriterion[c.id];
      ui.boxes.forEach(function (box) { box.checked = answer.ticks.indexOf(box.getAttribute("data-key")) >= 0; });
      ui.radios.forEach(function (radio) { radio.checked = radio.value === (answer.level || ""); });
      ui.note.value = answer.note;
      ui.printed.textContent = answer.note;
    });
    update();
  }

  /* The state of one criterion from its controls, saved at once. */
  function changed(id) {
    var ui = perCriterion[id];
    var picked = ui.radios.filter(function (radio) { return radio.checked; })[0];
    state[id] = {
      level: picked && picked.value ? picked.value : null,
      ticks: ui.boxes.filter(function (box) { return box.checked; }).map(function (box) {
        return box.getAttribute("data-key");
      }),
      note: ui.note.value
    };
    ui.printed.textContent = ui.note.value;
    save();
    update();
  }

  function rating(level) {
    if (level === INSUFFICIENT) { return scoring.INSUFFICIENT; }
    var point = data.scale.filter(function (p) { return p.level === level; })[0];
    return point ? point.score : null;
  }

  /* Each criterion's line against its floor and the verdict against the threshold. */
  function update() {
    var rated = 0;
    // An empty form is left off paper: the printable scoring sheet is the blank version.
    container.classList.toggle("hb-sa-empty", isEmpty());
    data.criteria.forEach(function (c) {
      var status = perCriterion[c.id].status, value = rating(state[c.id].level);
      if (value === null) {
        status.setAttribute("data-status", "unrated");
        status.textContent = label("floor_unrated", {floor: figure(c.floor)});
        return;
      }
      rated += 1;
      var one = {scale: ownScheme.scale, rule: ownScheme.rule,
                 criteria: [{id: c.id, floor: c.floor, weight: c.weight}]};
      var ratings = {};
      ratings[c.id] = [value];
      var result = scoring.scoreEntry(one, ratings).criteria[0];
      status.setAttribute("data-status", result.status);
      status.textContent = label(result.status === "met" ? "floor_met" : "floor_below",
                                 {score: result.score.format(2, sign), floor: figure(c.floor)});
    });
    var verdict = controls.verdict;
    while (verdict.firstChild) { verdict.removeChild(verdict.firstChild); }
    if (rated < data.criteria.length) {
      verdict.setAttribute("data-status", "incomplete");
      verdict.appendChild(element("p", {}, label("verdict_incomplete", {rated: rated, total: data.criteria.length})));
    } else {
      var ratings = {};
      data.criteria.forEach(function (c) { ratings[c.id] = [rating(state[c.id].level)]; });
      var result = scoring.scoreEntry(ownScheme, ratings);
      verdict.setAttribute("data-status", result.status);
      if (result.failing.length) {
        var names = result.failing.map(function (id) { return criterionData(id).title; });
        verdict.appendChild(element("p", {className: "hb-sa-floors"},
                                    label("floors_below", {count: names.length, total: data.criteria.length,
                                                           names: listing(names)})));
      } else {
        verdict.appendChild(element("p", {className: "hb-sa-floors"}, label("floors_met")));
      }
      var shown = scoring.distinct(result.aggregate, result.threshold, sign);
      var kind = (result.weighted ? "weighted_" : "") + result.aggregateRule;
      var reaches = !result.aggregate.lt(result.threshold);
      verdict.appendChild(element("p", {className: "hb-sa-aggregate"},
                                  label("aggregate_" + kind + (reaches ? "_reaches" : "_below"),
                                        {aggregate: shown[0], threshold: shown[1]})));
    }
    showSaved(true);
  }

  function showSaved(ok) {
    controls.saved.textContent = storage && ok ? label("saved", {version: data.version}) : label("storage_unavailable");
  }

  function say(text, kind) {
    controls.message.textContent = text;
    controls.message.setAttribute("data-kind", kind);
  }

  // -- Files ----------------------------------------------------------------------------------------

  function exportFile() {
    var blob = new Blob([JSON.stringify(record(), null, 2) + "\n"], {type: "application/json"});
    var url = URL.createObjectURL(blob);
    var link = element("a", {href: url, download: [data.program, data.rubric, data.version, "self-assessment"]
      .join("-").replace(/[^A-Za-z0-9._-]+/g, "_") + ".json", hidden: true});
    container.appendChild(link);
    link.click();
    container.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  function importFile(file) {
    var name = file.name || "";
    if (file.size > MAX_FILE) { say(label("import_malformed", {file: name}), "error"); return; }
    var reader = new FileReader();
    reader.onerror = function () { say(label("import_malformed", {file: name}), "error"); };
    reader.onload = function () {
      var value;
      try {
        value = JSON.parse(String(reader.result));
      } catch (error) {
        value = null;
      }
      if (!wellFormed(value)) { say(label("import_malformed", {file: name}), "error"); return; }
      if (value.program !== data.program || value.rubric !== data.rubric) {
        say(label("import_foreign", {file: name, rubric: value.program + " / " + value.rubric}), "error");
        return;
      }
      if (value.version === data.version) {
        var answers = sameVersion(value);
        if (!answers) { say(label("import_malformed", {file: name}), "error"); return; }
        state = answers;
        save();
        fill();
        say(label("imported", {file: name}), "done");
        return;
      }
      var count = carryOver(value);
      save();
      fill();
      say(label("import_carried", {file: name, old: value.version, count: count, total: data.criteria.length}),
          "done");
    };
    reader.readAsText(file);
  }

  // -- Start ----------------------------------------------------------------------------------------

  build();
  var stored = readStored(storageKey);
  if (wellFormed(stored) && stored.program === data.program && stored.rubric === data.rubric &&
      stored.version === data.version) {
    var exact = sameVersion(stored);
    if (exact) { state = exact; } else { carryOver(stored); }  // edited without a new version: what still fits
  }
  fill();
  if (isEmpty()) {
    var older = otherVersion();
    if (older) {
      controls.banner.hidden = false;
      controls.banner.firstChild.textContent = label("other_version", {old: older.version, version: data.version});
      controls.carry.textContent = label("carry_over", {old: older.version});
      controls.carry.addEventListener("click", function () {
        var count = carryOver(older);
        save();
        fill();
        controls.banner.hidden = true;
        say(label("carried_over", {old: older.version, count: count, total: data.criteria.length}), "done");
        container.querySelector(".hb-sa-criterion input").focus();
      });
    }
  }
}());
