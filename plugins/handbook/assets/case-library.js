/* The case library's filters, and the way back to them from a case.
 *
 * On the library page the content is the whole library, a table with one row per case; this script builds
 * the filters in the page's empty container (div#hb-case-filters) from the JSON data block the handbook
 * plugin adds to the page (script#hb-case-library-data, type application/json), and only hides the rows
 * that do not match. Groups are the program's: its facets, then competencies, target level and roles. A
 * case is shown when it matches every group with a ticked option, and matches a group when it has any one
 * of the options ticked there. Each option counts the cases it would show with the other groups as they
 * are. The filters are the page's query string (?<group>=<option>&...), so a filtered view can be shared
 * and is restored on load; and they are kept for this browser tab (sessionStorage), with the cases they
 * show, so that a case page can lead back to them.
 *
 * On a case page, the link back to the library (a.hb-case-back) and the breadcrumb to it get the filters
 * the reader left the library with, and the previous and next links step through the cases those filters
 * show.
 *
 * Every text goes in with textContent. Nothing is fetched or sent: the data is in the page, which also
 * works from file://.
 */
(function () {
  "use strict";

  var STORE = "handbook-case-library|";
  var own = Object.prototype.hasOwnProperty;

  /* An address without its query, fragment or index.html, to compare pages by. */
  function normal(href) {
    try {
      var url = new URL(href, document.baseURI);
      url.search = "";
      url.hash = "";
      return url.href.replace(/index\.html$/, "");
    } catch (error) {
      return String(href);
    }
  }

  var storage = (function () {
    try {
      var probe = STORE + "probe";
      window.sessionStorage.setItem(probe, "1");
      window.sessionStorage.removeItem(probe);
      return window.sessionStorage;
    } catch (error) {
      return null;
    }
  }());

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

  // -- The library ------------------------------------------------------------------------------------

  function library(container, block) {
    var data;
    try {
      data = JSON.parse(block.textContent);
    } catch (error) {
      return;
    }
    if (!data || !Array.isArray(data.groups) || !Array.isArray(data.cases)) { return; }
    var labels = data.labels || {};

    function label(key, values) {
      var text = own.call(labels, key) ? String(labels[key]) : key;
      return text.replace(/\{(\w+)\}/g, function (whole, name) {
        return values && own.call(values, name) ? String(values[name]) : whole;
      });
    }

    function plural(prefix, count, values) {
      var form = "other";
      try { form = new Intl.PluralRules(data.language).select(count); } catch (error) { /* "other" */ }
      return label(own.call(labels, prefix + form) ? prefix + form : prefix + "other", values);
    }

    /* The rows of the server-rendered table, by the address of their case. */
    var rows = Object.create(null);
    Array.prototype.forEach.call(document.querySelectorAll(".hb-case-library tbody tr"), function (row) {
      var link = row.querySelector("a.hb-case-link");
      if (link) { rows[normal(link.href)] = row; }
    });
    var cases = data.cases.filter(function (c) { return c && typeof c.url === "string"; }).map(function (c) {
      var address = normal(c.url);
      return {data: c, address: address, row: rows[address] || null};
    });

    function valuesOf(entry, group) {
      var c = entry.data;
      var values;
      if (group.kind === "facet") { values = c.facets && c.facets[group.facet]; }
      if (group.kind === "competencies") { values = c.competencies; }
      if (group.kind === "level") { values = c.level ? [c.level] : []; }
      if (group.kind === "roles") { values = c.roles; }
      return Array.isArray(values) ? values : [];
    }

    // Form controls, built from the data.
    var groups = data.groups.filter(function (g) { return g && typeof g.key === "string" && Array.isArray(g.options); });
    var panel = element("details", {className: "hb-cl-panel"});
    var summary = element("summary", {className: "hb-cl-summary"});
    summary.appendChild(element("span", {className: "hb-cl-title", id: "hb-cl-title"}, label("filters_title")));
    panel.appendChild(summary);
    panel.appendChild(element("p", {className: "hb-cl-how", id: "hb-cl-how"}, label("how")));
    var form = element("form", {className: "hb-cl-form", "aria-labelledby": "hb-cl-title",
                                "aria-describedby": "hb-cl-how"});
    var controls = [];  // {group, option, box, count, row}
    groups.forEach(function (group, groupIndex) {
      var set = element("fieldset", {className: "hb-cl-group", "data-group": group.key});
      set.appendChild(element("legend", {}, group.title));
      var list = element("div", {className: "hb-cl-options"});
      group.options.forEach(function (option, optionIndex) {
        var id = "hb-cl-" + groupIndex + "-" + optionIndex;
        var row = element("div", {className: "hb-cl-option"});
        var box = element("input", {type: "checkbox", id: id, name: group.key, value: option.id});
        var text = element("label", {"for": id}, option.title + " ");
        var count = element("span", {className: "hb-cl-count"});
        text.appendChild(count);
        row.appendChild(box);
        row.appendChild(text);
        list.appendChild(row);
        controls.push({group: group, option: option, box: box, count: count, row: row});
      });
      set.appendChild(list);
      form.appendChild(set);
    });
    panel.appendChild(form);
    container.appendChild(panel);

    var bar = element("div", {className: "hb-cl-bar"});
    var status = element("p", {className: "hb-cl-status", id: "hb-cl-status", role: "status",
                               "aria-live": "polite", "aria-atomic": "true"});
    var clear = element("button", {type: "button", className: "md-button hb-cl-clear"}, label("clear"));
    bar.appendChild(status);
    bar.appendChild(clear);
    container.appendChild(bar);
    var none = element("p", {className: "hb-cl-none", hidden: true}, label("none"));
    container.appendChild(none);

    function selection() {
      var chosen = Object.create(null);
      controls.forEach(function (c) {
        if (!c.box.checked) { return; }
        (chosen[c.group.key] = chosen[c.group.key] || []).push(c.option.id);
      });
      return chosen;
    }

    function matches(entry, group, chosen) {
      var wanted = chosen[group.key];
      if (!wanted || !wanted.length) { return true; }
      var values = valuesOf(entry, group);
      return wanted.some(function (id) { return values.indexOf(id) >= 0; });
    }

    function shownWith(chosen, except) {
      return cases.filter(function (entry) {
        return groups.every(function (group) { return group === except || matches(entry, group, chosen); });
      });
    }

    function query(chosen) {
      var params = new URLSearchParams(window.location.search);
      groups.forEach(function (group) {
        params.delete(group.key);
        (chosen[group.key] || []).forEach(function (id) { params.append(group.key, id); });
      });
      var text = params.toString();
      return text ? "?" + text : "";
    }

    function update(initial) {
      var chosen = selection();
      var shown = shownWith(chosen, null);
      cases.forEach(function (entry) {
        if (entry.row) { entry.row.hidden = shown.indexOf(entry) < 0; }
      });
      groups.forEach(function (group) {
        var others = shownWith(chosen, group);
        controls.forEach(function (c) {
          if (c.group !== group) { return; }
          var count = others.filter(function (entry) { return valuesOf(entry, group).indexOf(c.option.id) >= 0; }).length;
          c.count.textContent = label("count", {count: count});
          c.row.classList.toggle("hb-cl-zero", count === 0);
        });
      });
      status.textContent = plural("shown_", shown.length, {count: shown.length, total: cases.length});
      none.hidden = shown.length > 0;
      var search = query(chosen);
      if (!initial || search !== window.location.search) {
        try {
          window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
        } catch (error) { /* some file:// pages may not rewrite their address: the filters still work */ }
      }
      if (storage) {
        var filtered = Object.keys(chosen).length > 0;
        var kept = {query: filtered ? search : "", filtered: filtered,
                    cases: shown.map(function (entry) { return {url: entry.address, title: entry.data.title}; })};
        try { storage.setItem(STORE + normal(window.location.href), JSON.stringify(kept)); } catch (error) { /* full */ }
      }
    }

    // The filters of the address (a shared or restored view); unknown groups and options are ignored.
    var params = new URLSearchParams(window.location.search);
    var any = false;
    controls.forEach(function (c) {
      if (params.getAll(c.group.key).indexOf(c.option.id) >= 0) { c.box.checked = true; any = true; }
    });
    // Open on a wide screen, or when the address filters; folded on a phone, where it would hide the list.
    var narrow = window.matchMedia && window.matchMedia("(max-width: 44.984375em)").matches;
    panel.open = any || !narrow;

    form.addEventListener("change", function () { update(false); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    clear.addEventListener("click", function () {
      controls.forEach(function (c) { c.box.checked = false; });
      update(false);
    });
    update(true);
  }

  // -- A case page ------------------------------------------------------------------------------------

  function casePage(nav) {
    var back = nav.querySelector("a.hb-case-back");
    if (!back || !storage) { return; }
    var libraryAddress = normal(back.href);
    var kept;
    try {
      kept = JSON.parse(storage.getItem(STORE + libraryAddress) || "null");
    } catch (error) {
      return;
    }
    if (!kept || typeof kept.query !== "string" || !Array.isArray(kept.cases)) { return; }
    if (kept.query && kept.query.charAt(0) === "?") {
      var links = [back].concat(Array.prototype.filter.call(document.querySelectorAll(".md-path a"), function (a) {
        return normal(a.href) === libraryAddress;
      }));
      links.forEach(function (link) {
        var url = new URL(link.href);
        url.search = kept.query;
        link.href = url.href;
      });
    }
    if (!kept.filtered) { return; }
    var here = normal(window.location.href);
    var at = -1;
    kept.cases.forEach(function (c, index) { if (c && c.url === here) { at = index; } });
    if (at < 0) { return; }  // not one of the cases the filters show: the library's order stays
    [["a.hb-case-previous", kept.cases[at - 1]], ["a.hb-case-next", kept.cases[at + 1]]].forEach(function (step) {
      var link = nav.querySelector(step[0]);
      if (!link) { return; }
      var neighbour = step[1];
      if (!neighbour || typeof neighbour.url !== "string" || !/^(https?|file):/.test(neighbour.url)) {
        link.classList.add("hb-case-absent");
        return;
      }
      link.href = neighbour.url;
      var name = link.querySelector(".hb-case-name");
      if (name) { name.textContent = String(neighbour.title || ""); }
      link.classList.remove("hb-case-absent");
    });
  }

  var container = document.querySelector("div#hb-case-filters.hb-case-filters");
  var block = document.querySelector('script[type="application/json"]#hb-case-library-data');
  if (container && block) {
    library(container, block);
  } else {
    var nav = document.querySelector(".hb-case-nav");
    if (nav) { casePage(nav); }
  }
}());
