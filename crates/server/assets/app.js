// presswatch web UI. Plain JS, no build step. Every scraped string reaches the page as a text
// node (textContent / createTextNode): nothing here parses a string as HTML, and the server's
// Content-Security-Policy requires Trusted Types, so an innerHTML assignment would throw.
"use strict";

const API = "/api/v1";
const view = document.getElementById("view");

// ---- DOM helpers: elements from tag, attributes and children (strings become text nodes) ----

const SAFE_ATTRS = new Set(["class", "id", "type", "title", "role", "tabindex", "hidden", "lang", "datetime"]);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "href") el.setAttribute("href", safeHref(v));
    else if (k.startsWith("data-") || k.startsWith("aria-") || SAFE_ATTRS.has(k)) el.setAttribute(k, v === true ? "" : String(v));
    else if (k === "onclick") el.addEventListener("click", v);
    else throw new Error("attribute not allowed: " + k);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Links inside the app are fragments; a scraped URL is a link only when it is http(s).
function safeHref(v) {
  const s = String(v);
  if (s.startsWith("#/")) return s;
  try {
    const u = new URL(s);
    if (u.protocol === "http:" || u.protocol === "https:") return u.href;
  } catch (_) { /* not a URL */ }
  return "#/";
}

function externalLink(url) {
  const href = safeHref(url);
  if (href === "#/") return h("span", { class: "muted" }, url);
  const a = h("a", { href }, url);
  a.rel = "noopener noreferrer nofollow";
  a.target = "_blank";
  return a;
}

function docLink(id, title) {
  return h("a", { class: "title", href: "#/doc/" + encodeURIComponent(id) }, title || "(no title)");
}

function metaLine(d) {
  return h("div", { class: "meta" },
    h("span", {}, d.published ? d.published.slice(0, 10) : "undated"),
    h("span", {}, d.outlet || "no outlet"),
    d.language ? h("span", {}, d.language) : null,
    d.words !== undefined ? h("span", {}, d.words + " words") : null,
    h("span", {}, d.id));
}

// ---- fetching ----

async function api(path) {
  const r = await fetch(API + path, { headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new Error((body && body.detail) || ("HTTP " + r.status));
  return body;
}

function render(...nodes) {
  view.replaceChildren(...nodes.flat().filter(Boolean));
  selected = -1;
}

function failed(e) {
  render(h("p", { class: "error", role: "alert" }, String(e.message || e)));
}

// ---- views ----

async function documentsView(params) {
  const q = params.get("q") || "";
  const offset = Number(params.get("offset") || 0);
  document.getElementById("q").value = q;
  const page = await api("/documents?limit=50&offset=" + offset + (q ? "&q=" + encodeURIComponent(q) : ""));
  const items = page.items.map((d) => h("li", { class: "nav-item" }, docLink(d.id, d.title), metaLine(d)));
  const pager = h("div", { class: "pager" },
    offset > 0 ? h("a", { href: listHref(q, Math.max(0, offset - 50)) }, "← previous") : null,
    page.next_offset !== null ? h("a", { href: listHref(q, page.next_offset) }, "next →") : null);
  render(
    h("h1", {}, q ? "Documents matching “" + q + "”" : "Documents"),
    items.length ? h("ul", { class: "list", id: "documents" }, items) : h("p", { class: "muted" }, "No documents."),
    pager);
}

function listHref(q, offset) {
  const p = new URLSearchParams();
  if (q) p.set("q", q);
  if (offset) p.set("offset", offset);
  const s = p.toString();
  return "#/" + (s ? "?" + s : "");
}

function blockNode(b) {
  const cls = "block block-" + b.kind.replace(/[^a-z_]/g, "");
  if (b.kind === "heading") return h("h2", { class: cls, lang: b.language }, b.text);
  if (b.kind === "quote") return h("blockquote", { class: cls, lang: b.language }, b.text);
  if (b.kind === "preformatted") return h("pre", { class: cls }, b.text);
  if (b.kind === "list_item") return h("p", { class: cls, lang: b.language }, "• ", b.text);
  return h("p", { class: cls, lang: b.language }, b.text);
}

async function articleView(id, params) {
  const d = await api("/documents/" + encodeURIComponent(id));
  const showRemoved = params.get("removed") === "1";
  const removed = h("section", { class: "removed-list", id: "removed", hidden: !showRemoved },
    h("h2", {}, "Removed parts (" + d.removed.length + ")"),
    d.removed.map((r) => h("div", { class: "removed" }, h("span", { class: "reason" }, r.reason), r.text)));
  const toggle = h("button", { type: "button", id: "toggle-removed", "aria-expanded": String(showRemoved), "aria-controls": "removed" },
    (showRemoved ? "Hide" : "Show") + " removed parts (" + d.removed.length + ")");
  toggle.addEventListener("click", () => toggleRemoved(id));
  const sources = d.derived_from.map((l) => h("li", {},
    h("span", { class: "badge" }, l.kind), Math.round(l.reused_share * 100) + "% of ", docLink(l.id, l.id)));
  render(h("article", { class: "article", lang: d.language },
    h("h1", { id: "title" }, d.title || "(no title)"),
    metaLine(d),
    d.authors.length ? h("div", { class: "meta" }, "By " + d.authors.join(", ")) : null,
    d.url ? h("div", { class: "meta" }, externalLink(d.url)) : null,
    h("div", { class: "toolbar" }, toggle,
      h("a", { href: "#/prov/" + encodeURIComponent(d.id), id: "provenance-link" }, "Provenance: sources and copies"),
      d.dup_cluster ? h("span", { class: "muted" }, "cluster " + d.dup_cluster) : null),
    h("div", { id: "body" }, d.blocks.map(blockNode)),
    removed,
    d.images.length ? [h("h2", {}, "Images"), h("ul", { class: "list" }, d.images.map((i) =>
      h("li", {}, i.caption || "(no caption)", i.credit ? h("span", { class: "muted" }, " — " + i.credit) : null,
        i.url ? h("div", { class: "meta" }, externalLink(i.url)) : null)))] : null,
    sources.length ? [h("h2", {}, "Derived from"), h("ul", { class: "list" }, sources)] : null,
    d.quotes.length ? [h("h2", {}, "Quotes"), h("ul", { class: "list" }, d.quotes.map((q) => quoteNode(q)))] : null,
    d.entities.length ? [h("h2", {}, "Named"), h("p", {}, d.entities.map((e) =>
      h("a", { class: "badge", href: "#/entity/" + encodeURIComponent(e.id) }, e.type + ": " + e.name)))] : null));
}

function toggleRemoved(id) {
  const el = document.getElementById("removed");
  const btn = document.getElementById("toggle-removed");
  if (!el || !btn) return;
  el.hidden = !el.hidden;
  btn.setAttribute("aria-expanded", String(!el.hidden));
  btn.textContent = btn.textContent.replace(/^(Show|Hide)/, el.hidden ? "Show" : "Hide");
  // Keep the state in the permalink without reloading the view.
  history.replaceState(null, "", "#/doc/" + encodeURIComponent(id) + (el.hidden ? "" : "?removed=1"));
}

// A quote as a list item; `more` is added to its line (e.g. a link to its article).
function quoteNode(q, more) {
  return h("li", { class: "nav-item" },
    h("q", {}, q.text),
    h("div", { class: "meta" },
      q.entity ? h("a", { href: "#/entity/" + encodeURIComponent(q.entity) }, q.speaker || "speaker")
        : h("span", {}, q.speaker || q.mention || "unattributed"),
      h("span", {}, q.kind),
      more ? h("span", {}, more) : null));
}

function plural(n, word) {
  return n + " " + word + (n === 1 ? "" : "s");
}

function segments(segs) {
  return segs.map((s) => (s.changed ? h("mark", {}, s.text) : s.text));
}

async function provenanceView(id) {
  const p = await api("/documents/" + encodeURIComponent(id) + "/provenance");
  const sources = p.sources.map((s) => h("section", { class: "source" },
    h("h2", {}, "Source: ", docLink(s.document.id, s.document.title)),
    h("p", { class: "meta" }, h("span", { class: "badge" }, s.link.kind),
      Math.round(s.link.reused_share * 100) + "% of the source reused · " + plural(s.passages.length, "aligned passage") + " · changed words highlighted"),
    s.passages.map((ps, n) => h("div", { class: "passage" },
      h("div", { class: "meta" }, "Passage " + (n + 1) + " · " + Math.round(ps.similarity * 100) + "% similar"),
      h("div", { class: "side" },
        h("div", { class: "side-source" }, h("h3", {}, "Source · " + (s.document.outlet || s.document.id)), segments(ps.source)),
        h("div", { class: "side-copy" }, h("h3", {}, "This document · " + (p.document.outlet || p.document.id)), segments(ps.copy)))))));
  const copies = p.copies.map((c) => h("li", { class: "nav-item" },
    h("span", { class: "badge" }, c.link.kind), Math.round(c.link.reused_share * 100) + "% · ",
    docLink(c.link.id, c.document ? c.document.title : c.link.id), c.document ? metaLine(c.document) : null));
  render(
    h("h1", {}, "Provenance of ", docLink(p.document.id, p.document.title)),
    metaLine(p.document),
    sources.length ? sources : h("p", { class: "muted" }, "No earlier document found that this one reuses."),
    h("h2", {}, "Copies of this document (" + copies.length + ")"),
    copies.length ? h("ul", { class: "list" }, copies) : h("p", { class: "muted" }, "None found."));
}

async function dupsView() {
  const clusters = await api("/dups?limit=100");
  render(h("h1", {}, "Clusters of copies"),
    clusters.length ? h("ul", { class: "list" }, clusters.map((c) => h("li", { class: "nav-item" },
      h("a", { class: "title", href: "#/prov/" + encodeURIComponent(c.id) }, c.size + " documents"),
      h("ul", {}, c.members.map((m) => h("li", {}, docLink(m.id, m.title), metaLine(m))))))) :
      h("p", { class: "muted" }, "No clusters of copies in the store."));
}

async function entitiesView(params) {
  const type = params.get("type") || "";
  const rows = await api("/entities?top=200" + (type ? "&type=" + encodeURIComponent(type) : ""));
  render(h("h1", {}, "Entities"),
    h("div", { class: "toolbar" }, ["", "person", "organisation", "place"].map((t) =>
      h("a", { href: "#/entities" + (t ? "?type=" + t : ""), "aria-current": t === type ? "page" : null }, t || "all"))),
    h("ul", { class: "list" }, rows.map((e) => h("li", { class: "nav-item" },
      h("a", { class: "title", href: "#/entity/" + encodeURIComponent(e.id) }, e.name),
      h("div", { class: "meta" }, h("span", {}, e.type), h("span", {}, e.docs + " documents"), h("span", {}, e.mentions + " mentions"))))));
}

async function entityView(name) {
  const e = await api("/entities/" + encodeURIComponent(name));
  const max = Math.max(1, ...e.by_day.map((d) => d.mentions));
  const bars = h("div", { class: "bars", role: "img", "aria-label": "mentions by day" }, e.by_day.map((d) => {
    const bar = h("div", { title: (d.day || "undated") + ": " + d.mentions + " mentions in " + d.docs + " documents" });
    bar.style.height = Math.round((d.mentions / max) * 100) + "%";
    return bar;
  }));
  render(h("h1", {}, e.entity.name),
    h("div", { class: "meta" }, h("span", {}, e.entity.type), h("span", {}, e.entity.docs + " documents"), h("span", {}, e.entity.mentions + " mentions")),
    h("h2", {}, "Names used"), h("p", {}, e.aliases.map((a) => h("span", { class: "badge" }, a.name + " ×" + a.docs))),
    h("h2", {}, "Mentions over time"), bars,
    h("table", {}, h("tr", {}, h("th", {}, "day"), h("th", {}, "documents"), h("th", {}, "mentions")),
      e.by_day.map((d) => h("tr", {}, h("td", {}, d.day || "undated"), h("td", {}, d.docs), h("td", {}, d.mentions)))),
    h("h2", {}, "Quotes (" + e.quotes.length + ")"),
    h("ul", { class: "list" }, e.quotes.map((q) => quoteNode(q.quote, docLink(q.article, (q.outlet || "article") + " " + (q.published || "").slice(0, 10))))));
}

async function quotesView(params) {
  const speaker = params.get("speaker") || "";
  const rows = await api("/quotes?limit=200" + (speaker ? "&speaker=" + encodeURIComponent(speaker) : ""));
  const input = h("input", { type: "search", id: "speaker", "aria-label": "Speaker" });
  input.value = speaker;
  input.placeholder = "Filter by speaker";
  const form = h("form", { class: "toolbar" }, input, h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = "#/quotes" + (input.value ? "?speaker=" + encodeURIComponent(input.value) : "");
  });
  render(h("h1", {}, "Quotes"), form,
    rows.length ? h("ul", { class: "list" }, rows.map((q) =>
      quoteNode(q.quote, docLink(q.article, (q.outlet || "article") + " " + (q.published || "").slice(0, 10))))) :
      h("p", { class: "muted" }, "No quotes."));
}

async function statsView() {
  const s = await api("/stats");
  const table = (title, rows) => [h("h2", {}, title), h("table", {}, rows.map((r) => h("tr", {}, h("td", {}, r.value || "(none)"), h("td", {}, r.count))))];
  render(h("h1", {}, "Store"),
    h("table", {},
      [["documents", s.documents], ["sources", s.sources], ["raw bytes", s.raw_bytes], ["linked by provenance", s.linked], ["rejected inputs", s.rejected], ["stale (reprocess)", s.stale]]
        .map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v)))),
    table("By format", s.by_format), table("By language", s.by_language), table("Top outlets", s.top_outlets),
    h("p", {}, h("a", { href: API + "/export" }, "Export JSON Lines"), " · ", h("a", { href: API + "/export?format=csv" }, "Export CSV")));
}

// ---- routing: every view is a URL fragment, so every view has a permalink ----

const ROUTES = [
  [/^\/doc\/([^/?]+)$/, (m, p) => articleView(decodeURIComponent(m[1]), p)],
  [/^\/prov\/([^/?]+)$/, (m) => provenanceView(decodeURIComponent(m[1]))],
  [/^\/dups$/, () => dupsView()],
  [/^\/entities$/, (m, p) => entitiesView(p)],
  [/^\/entity\/([^/?]+)$/, (m) => entityView(decodeURIComponent(m[1]))],
  [/^\/quotes$/, (m, p) => quotesView(p)],
  [/^\/stats$/, () => statsView()],
  [/^\/?$/, (m, p) => documentsView(p)],
];

let routing = 0;
async function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const mine = ++routing;
  document.body.dataset.ready = "0";
  for (const [re, fn] of ROUTES) {
    const m = path.match(re);
    if (!m) continue;
    try {
      await fn(m, params);
    } catch (e) {
      if (mine === routing) failed(e);
    }
    if (mine === routing) {
      document.body.dataset.view = path.split("/")[1] || "documents";
      document.body.dataset.ready = "1";
      view.focus({ preventScroll: true });
    }
    return;
  }
  failed(new Error("No such view."));
  document.body.dataset.ready = "1";
}

// ---- keyboard ----

let selected = -1;
let pendingG = false;

function select(step) {
  const items = [...view.querySelectorAll(".nav-item")];
  if (!items.length) return;
  if (selected >= 0 && items[selected]) items[selected].classList.remove("selected");
  selected = Math.max(0, Math.min(items.length - 1, selected + step));
  items[selected].classList.add("selected");
  items[selected].scrollIntoView({ block: "nearest" });
}

document.addEventListener("keydown", (ev) => {
  const t = ev.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || ev.ctrlKey || ev.metaKey || ev.altKey) {
    if (ev.key === "Escape" && t instanceof HTMLInputElement) t.blur();
    return;
  }
  if (pendingG) {
    pendingG = false;
    const go = { d: "#/", e: "#/entities", q: "#/quotes", c: "#/dups", s: "#/stats" }[ev.key];
    if (go) { location.hash = go; ev.preventDefault(); }
    return;
  }
  const hash = location.hash;
  const doc = hash.match(/^#\/doc\/([^/?]+)/);
  switch (ev.key) {
    case "/": document.getElementById("q").focus(); ev.preventDefault(); break;
    case "j": select(1); break;
    case "k": select(-1); break;
    case "Enter": {
      const items = view.querySelectorAll(".nav-item");
      const link = selected >= 0 && items[selected] && items[selected].querySelector("a");
      if (link) { link.click(); ev.preventDefault(); }
      break;
    }
    case "r": if (doc) toggleRemoved(decodeURIComponent(doc[1])); break;
    case "p": if (doc) location.hash = "#/prov/" + doc[1]; break;
    case "u": case "Backspace": history.back(); break;
    case "g": pendingG = true; break;
    case "?": document.getElementById("help").hidden = !document.getElementById("help").hidden; break;
    default: break;
  }
});

document.getElementById("search").addEventListener("submit", (ev) => {
  ev.preventDefault();
  location.hash = listHref(document.getElementById("q").value.trim(), 0);
});
document.getElementById("help-toggle").addEventListener("click", () => {
  const help = document.getElementById("help");
  help.hidden = !help.hidden;
});
window.addEventListener("hashchange", route);
route();
