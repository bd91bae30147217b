// The version selector and the outdated notice on a translated page of a release published with mike.
//
// Material looks for versions.json ("../versions.json") and for the release being read (the last
// folder) from its "base" setting, which on a translated page names the language's own folder so
// that search reads that language's index. The handbook hands the version settings to this script
// instead, with the release's root ("handbook_version"), and it does what Material does from there:
// the selector lists every release and leads to the same page in this language where that release
// has it (else to the language's home), and a release other than the default one shows the notice.
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("__config").textContent);
  const settings = config.handbook_version;
  const header = document.querySelector(".md-header__topic");
  if (!settings || !header) {
    return;
  }
  const release = new URL(`${settings.root.replace(/\/$/, "")}/`, location);
  const languageRoot = new URL(config.base, location);
  const language = languageRoot.href.slice(release.href.length);
  const current = release.pathname.split("/").filter(Boolean).pop();

  const found = (url) => fetch(url).then((response) => {
    if (!response.ok) {
      throw new Error(`${url}: ${response.status}`);
    }
    return response;
  });

  const element = (tag, attributes, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      node.setAttribute(name, value);
    }
    node.append(...children.filter((child) => child));
    return node;
  };

  const alias = (version) => settings.alias && version.aliases.length > 0
    ? element("span", { class: "md-version__alias" }, version.aliases[0]) : null;

  // The same page in another release, if that release's sitemap for this language lists it.
  const samePage = (target) => {
    const page = location.pathname.slice(languageRoot.pathname.length);
    return found(new URL("sitemap.xml", target)).then((response) => response.text()).then((text) => {
      const sitemap = new DOMParser().parseFromString(text, "application/xml");
      const paths = [...sitemap.querySelectorAll("url > loc")].map((loc) => new URL(loc.textContent.trim()).pathname);
      const home = paths.reduce((shortest, path) => (path.length < shortest.length ? path : shortest), paths[0] || "");
      return paths.includes(home + page) ? new URL(page, target) : target;
    });
  };

  found(new URL("../versions.json", release)).then((response) => response.json()).then((versions) => {
    const shown = versions.filter((version) => !(version.properties && version.properties.hidden));
    const reading = versions.find((version) => version.version === current || version.aliases.includes(current))
      || versions[0];
    const links = shown.map((version) => element("li", { class: "md-version__item" },
      element("a", { class: "md-version__link", href: new URL(`../${version.version}/${language}`, release).href },
        version.title, alias(version))));
    header.append(element("div", { class: "md-version" },
      element("button", { class: "md-version__current", "aria-label": config.translations["select.version"] },
        reading.title, alias(reading)),
      element("ul", { class: "md-version__list" }, ...links)));
    header.addEventListener("click", (event) => {
      const link = event.target.closest(".md-version__link");
      if (!link || event.metaKey || event.ctrlKey) {
        return;
      }
      event.preventDefault();
      const target = new URL(link.href);
      samePage(target).catch(() => target).then((url) => location.assign(url));
    });

    const defaults = [].concat(settings.default || "latest");
    const names = reading.aliases.concat(reading.version);
    if (!defaults.some((pattern) => names.some((name) => new RegExp(pattern, "i").test(name)))) {
      for (const notice of document.querySelectorAll("[data-md-component=outdated]")) {
        notice.hidden = false;
      }
    }
  }).catch(() => {}); // as with Material: without versions.json, no selector
})();
