// presswatch web UI. Plain JS, no build step. Every scraped string reaches the page as a text
// node (textContent / createTextNode): nothing here parses a string as HTML, and the server's
// Content-Security-Policy requires Trusted Types, so an innerHTML assignment would throw.
"use strict";

const API = "/api/v1";
const view = document.getElementById("view");

// ---- DOM helpers: elements from tag, attributes and children (strings become text nodes) ----

const SAFE_ATTRS = new Set(["class", "id", "type", "title", "role", "tabindex", "hidden", "lang", "datetime", "alt", "for", "name", "accept"]);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "href") el.setAttribute("href", safeHref(v));
    else if (k === "src") el.setAttribute("src", ownSrc(v));
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

// Images come only from this server's API (charts); anything else is refused.
function ownSrc(v) {
  const s = String(v);
  if (!s.startsWith(API + "/")) throw new Error("image source not allowed: " + s);
  return s;
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
    chart("/entities/" + encodeURIComponent(e.entity.id) + "/chart", "mentions, documents and quotes by day"),
    h("h2", {}, "Quotes over time (" + e.quotes.length + ")"),
    quotesByDay(e.quotes));
}

// Quotes under a heading per published day, earliest first (undated last).
function quotesByDay(quotes) {
  const days = new Map();
  const sorted = [...quotes].sort((a, b) => (a.published || "~").localeCompare(b.published || "~"));
  for (const q of sorted) {
    const day = q.published ? q.published.slice(0, 10) : "undated";
    if (!days.has(day)) days.set(day, []);
    days.get(day).push(q);
  }
  return h("div", { id: "quotes-by-day" }, [...days].map(([day, qs]) => [
    h("h3", { class: "day" }, day + " · " + plural(qs.length, "quote")),
    h("ul", { class: "list" }, qs.map((q) => quoteNode(q.quote, docLink(q.article, (q.outlet || "article") + (q.altered ? " · altered" : "")))))]));
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

// ---- search with facets and a date histogram ----

// A snippet with its highlighted words as <mark> (offsets are characters, not UTF-16 units).
function snippetNode(sn) {
  const chars = Array.from(sn.text);
  const out = [];
  let at = 0;
  for (const [s, e] of sn.highlights) {
    if (s < at || e <= s) continue;
    out.push(chars.slice(at, s).join(""), h("mark", {}, chars.slice(s, e).join("")));
    at = e;
  }
  out.push(chars.slice(at).join(""));
  return h("p", { class: "snippet" }, out);
}

function searchHref(p) {
  const q = new URLSearchParams();
  for (const k of ["q", "since", "until"]) if (p[k]) q.set(k, p[k]);
  const s = q.toString();
  return "#/search" + (s ? "?" + s : "");
}

// A facet value as a query clause: field:"value" (quotes inside the value are dropped).
function facetClause(field, value) {
  return field + ':"' + String(value).replace(/"/g, "") + '"';
}

function lastDayOfMonth(ym) {
  const [y, m] = ym.split("-").map(Number);
  return ym + "-" + String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0");
}

function histogram(counts, current) {
  const max = Math.max(1, ...counts.map((c) => c.count));
  return h("div", { class: "bars histogram", id: "histogram", "aria-label": "articles by month" },
    counts.map((c) => {
      const href = searchHref({ q: current.q, since: c.value + "-01", until: lastDayOfMonth(c.value) });
      const bar = h("a", { href, class: "bar", title: c.value + ": " + plural(c.count, "article"), "data-month": c.value },
        h("span", { class: "bar-label" }, c.value.slice(2)));
      bar.style.height = Math.max(4, Math.round((c.count / max) * 100)) + "%";
      return bar;
    }));
}

async function searchView(params) {
  const cur = { q: params.get("q") || "", since: params.get("since") || "", until: params.get("until") || "" };
  const input = h("input", { type: "search", id: "search-q", "aria-label": "Search query" });
  input.value = cur.q;
  input.placeholder = 'words, "phrases", outlet:x, published:[2021-12-01 TO 2022-01-31]';
  const since = h("input", { type: "date", id: "search-since", "aria-label": "Since" });
  since.value = cur.since;
  const until = h("input", { type: "date", id: "search-until", "aria-label": "Until" });
  until.value = cur.until;
  const form = h("form", { class: "toolbar", id: "search-form" }, input, since, until, h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = searchHref({ q: input.value.trim(), since: since.value, until: until.value });
  });
  const qs = new URLSearchParams({ q: cur.q, limit: "50", facets: "month,outlet,language,copies,story,entity", facet_top: "12" });
  if (cur.since) qs.set("since", cur.since);
  if (cur.until) qs.set("until", cur.until);
  const r = await api("/search?" + qs.toString());
  const facet = (name) => r.facets.find((f) => f.field === name);
  const month = facet("month");
  const facetBox = (name, title) => {
    const f = facet(name);
    if (!f || !f.counts.length) return null;
    return h("section", { class: "facet", "data-facet": name }, h("h3", {}, title),
      h("ul", {}, f.counts.map((c) => h("li", {},
        h("a", { href: searchHref({ ...cur, q: (cur.q ? cur.q + " " : "") + facetClause(name, c.value) }) }, c.value),
        h("span", { class: "count" }, String(c.count))))));
  };
  const hits = r.hits.map((d) => h("li", { class: "nav-item" }, docLink(d.id, d.title), metaLine(d), snippetNode(d.snippet)));
  render(
    h("h1", {}, cur.q ? "Search: “" + cur.q + "”" : "Search"),
    form,
    h("p", { class: "muted", id: "search-total" }, plural(r.total, "matching article"),
      cur.since || cur.until ? " · " + (cur.since || "…") + " to " + (cur.until || "…") : "",
      cur.since || cur.until ? [" · ", h("a", { href: searchHref({ q: cur.q }) }, "all dates")] : null),
    month && month.counts.length ? [h("h2", {}, "By month"), histogram(month.counts, cur)] : null,
    h("div", { class: "search-layout" },
      h("div", {}, hits.length ? h("ol", { class: "list", id: "hits" }, hits) : h("p", { class: "muted" }, "No matching articles.")),
      h("aside", { class: "facets", "aria-label": "Facets" },
        facetBox("outlet", "Outlet"), facetBox("language", "Language"), facetBox("copies", "Has copies"),
        facetBox("story", "Story"), facetBox("entity", "Entity"))));
}

// ---- stories ----

async function storiesView() {
  const rows = await api("/stories?top=200");
  render(h("h1", {}, "Stories"),
    rows.length ? h("ul", { class: "list", id: "stories" }, rows.map((s) => h("li", { class: "nav-item" },
      h("a", { class: "title", href: "#/story/" + encodeURIComponent(s.id) }, s.label || "(no title)"),
      h("div", { class: "meta" }, h("span", {}, plural(s.size, "document")),
        h("span", {}, (s.first || "undated") + (s.last && s.last !== s.first ? " to " + s.last : "")), h("span", {}, s.id))))) :
      h("p", { class: "muted" }, "No stories in the store."));
}

function chart(path, alt) {
  const img = h("img", { class: "chart", src: API + path, alt });
  img.width = 960;
  img.height = 480;
  return img;
}

async function storyView(id) {
  const s = await api("/stories/" + encodeURIComponent(id));
  const st = s.story;
  const firstOf = (outlet) => s.members.find((m) => (m.outlet || "") === outlet);
  const compareHref = s.outlets.length >= 2
    ? "#/compare?" + new URLSearchParams({ a: s.outlets[0], b: s.outlets.slice(1).join(","), story: st.id }).toString() : null;
  render(
    h("h1", { id: "story-label" }, st.label || "(no title)"),
    h("div", { class: "meta" }, h("span", {}, plural(st.size, "document")),
      h("span", {}, (st.first || "undated") + (st.last && st.last !== st.first ? " to " + st.last : "")), h("span", {}, st.id)),
    s.first_report ? h("p", { id: "first-report" }, "First report: ", docLink(s.first_report.id, s.first_report.title),
      " · " + (s.first_report.outlet || "no outlet") + " · " + (s.first_report.published || "")) : null,
    h("div", { class: "toolbar" },
      compareHref ? h("a", { href: compareHref, id: "compare-link" }, "Compare its outlets") : null,
      h("a", { href: "#/search?" + new URLSearchParams({ q: "story:" + st.id }).toString() }, "Search in this story")),
    h("h2", {}, "Timeline"),
    chart("/stories/" + encodeURIComponent(st.id) + "/chart", "documents by day"),
    h("table", { id: "by-day" }, h("tr", {}, h("th", {}, "day"), h("th", {}, "documents"), h("th", {}, "")),
      s.by_day.map((d) => h("tr", {}, h("td", {}, d.day), h("td", {}, d.docs),
        h("td", {}, s.peaks.some((p) => p.day === d.day) ? h("span", { class: "badge" }, "peak") : "")))),
    h("h2", {}, "Outlets in the order they picked it up"),
    h("ol", { id: "outlets" }, s.outlets.map((o) => {
      const m = firstOf(o);
      return h("li", {}, h("span", { class: "outlet" }, o), m ? [" · ", docLink(m.id, m.title), " · " + (m.published || "undated")] : null);
    })),
    s.outlets.length ? chart("/stories/" + encodeURIComponent(st.id) + "/chart?kind=outlets", "documents so far by outlet") : null,
    h("h2", {}, "Quotes (" + s.top_quotes.length + ")"),
    s.top_quotes.length ? h("ul", { class: "list", id: "story-quotes" }, s.top_quotes.map((q) => h("li", {},
      h("q", {}, q.text), h("div", { class: "meta" }, h("span", {}, q.speaker || "unattributed"), h("span", {}, plural(q.docs, "document")))))) :
      h("p", { class: "muted" }, "No quotes."),
    s.top_entities.length ? [h("h2", {}, "Named"), h("p", {}, s.top_entities.map((e) =>
      h("a", { class: "badge", href: "#/entity/" + encodeURIComponent(e.name) }, e.name + " ×" + e.docs)))] : null,
    h("h2", {}, "Documents (" + s.members.length + ")"),
    h("ul", { class: "list", id: "members" }, s.members.map((m) => h("li", { class: "nav-item" }, docLink(m.id, m.title),
      h("div", { class: "meta" }, h("span", {}, m.published || "undated"), h("span", {}, m.outlet || "no outlet"),
        h("span", {}, "similarity " + m.score.toFixed(2)))))),
    s.merges.length ? [h("h2", {}, "Merges"), h("ul", {}, s.merges.map((m) => h("li", {},
      "story " + m.from + " merged into " + m.into + ", bridged by ", docLink(m.doc, m.doc))))] : null);
}

// ---- outlet comparison ----

async function compareView(params) {
  const a = params.get("a") || "";
  const b = params.get("b") || "";
  const story = params.get("story") || "";
  const field = (id, label, value, placeholder) => {
    const input = h("input", { type: "text", id, "aria-label": label });
    input.value = value;
    input.placeholder = placeholder;
    return input;
  };
  const ia = field("compare-a", "Outlet A", a, "outlet A (or a,b,c)");
  const ib = field("compare-b", "Outlet B", b, "outlet B (or d,e)");
  const is = field("compare-story", "Story", story, "story id (optional)");
  const form = h("form", { class: "toolbar", id: "compare-form" }, ia, h("span", {}, "vs"), ib, is, h("button", { type: "submit" }, "Compare"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams({ a: ia.value.trim(), b: ib.value.trim() });
    if (is.value.trim()) p.set("story", is.value.trim());
    location.hash = "#/compare?" + p.toString();
  });
  if (!a || !b) {
    const stats = await api("/stats");
    render(h("h1", {}, "Compare outlets"), form,
      h("p", { class: "muted" }, "Name two outlets (or comma-separated groups). The most frequent outlets:"),
      h("ul", { class: "list" }, stats.top_outlets.map((o) => h("li", {}, o.value || "(none)", h("span", { class: "muted" }, " · " + o.count)))));
    return;
  }
  const qs = new URLSearchParams({ a, b, top: "25" });
  if (story) qs.set("story", story);
  const c = await api("/compare?" + qs.toString());
  const maxZ = Math.max(1, ...c.words.map((w) => Math.abs(w.z)));
  const column = (words, side) => h("table", { class: "words", id: "words-" + side },
    h("tr", {}, h("th", {}, "word"), h("th", {}, "z"), h("th", {}, "A"), h("th", {}, "B"), h("th", {}, "")),
    words.map((w) => {
      const bar = h("span", { class: "zbar zbar-" + side });
      bar.style.width = Math.round((Math.abs(w.z) / maxZ) * 100) + "%";
      return h("tr", {}, h("td", { class: "word" }, w.word), h("td", {}, w.z.toFixed(2)), h("td", {}, w.count_a), h("td", {}, w.count_b), h("td", { class: "zcell" }, bar));
    }));
  render(
    h("h1", {}, "Compare outlets"), form,
    h("p", { class: "meta" }, h("span", {}, "A: " + c.a + " (" + plural(c.docs_a, "article") + ")"),
      h("span", {}, "B: " + c.b + " (" + plural(c.docs_b, "article") + ")"),
      h("span", {}, "of " + plural(c.docs_all, "article") + (c.story ? " in the story" : " in the store")),
      c.story ? h("a", { href: "#/story/" + encodeURIComponent(c.story) }, "the story") : null),
    h("p", { class: "muted" }, "Distinctive words by weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008); z > 0: A's, z < 0: B's."),
    h("div", { class: "side" },
      h("div", {}, h("h3", {}, "Distinctive of A · " + c.a), column(c.words.filter((w) => w.z > 0), "a")),
      h("div", {}, h("h3", {}, "Distinctive of B · " + c.b), column(c.words.filter((w) => w.z < 0).reverse(), "b"))),
    h("h2", {}, "Coverage by day"),
    h("table", { id: "coverage" }, h("tr", {}, h("th", {}, "day"), h("th", {}, "A"), h("th", {}, "B"), h("th", {}, "all"), h("th", {}, "A share"), h("th", {}, "B share")),
      c.by_day.map((d) => h("tr", {}, h("td", {}, d.day), h("td", {}, d.docs_a), h("td", {}, d.docs_b), h("td", {}, d.docs_all),
        h("td", {}, Math.round(d.share_a * 100) + "%"), h("td", {}, Math.round(d.share_b * 100) + "%")))));
}

// ---- altered quotes ----

async function alteredView() {
  const rows = await api("/quotes?altered=true&limit=200");
  render(h("h1", {}, "Altered quotes"),
    h("p", { class: "muted" }, "Appearances of a quote whose words or speaker differ from its first appearance; the words each side lacks are highlighted (spelling, case and punctuation are not alterations)."),
    rows.length ? h("ul", { class: "list", id: "altered" }, rows.map((q) => {
      const a = q.altered_from;
      return h("li", { class: "nav-item altered" },
        h("div", { class: "meta" },
          a && a.words_changed ? h("span", { class: "badge" }, "words changed") : null,
          a && a.speaker_changed ? h("span", { class: "badge" }, "speaker changed") : null,
          h("span", {}, plural(q.appearances, "appearance"))),
        a ? h("div", { class: "side" },
          h("div", { class: "side-source" }, h("h3", {}, "First appearance · ", docLink(a.from_article, a.first_speaker || "unattributed")), segments(a.first)),
          h("div", { class: "side-copy" }, h("h3", {}, "This one · ", docLink(q.article, (q.quote.speaker || "unattributed") + " · " + (q.outlet || "no outlet") + " " + (q.published || "").slice(0, 10))), segments(a.this))) :
          h("q", {}, q.quote.text));
    })) : h("p", { class: "muted" }, "No altered quotes in the store."));
}

// ---- upload ----

function uploadView() {
  const file = h("input", { type: "file", id: "upload-file", "aria-label": "File" });
  const token = h("input", { type: "password", id: "upload-token", "aria-label": "Token" });
  token.placeholder = "the token the server printed at start";
  token.autocomplete = "off";
  const out = h("div", { id: "upload-result", role: "status" });
  const form = h("form", { id: "upload-form", class: "upload" },
    h("label", { for: "upload-file" }, "File (any format presswatch ingest reads, compressed or not)"), file,
    h("label", { for: "upload-token" }, "Write token"), token,
    h("div", {}, h("button", { type: "submit" }, "Upload and ingest")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = file.files && file.files[0];
    if (!f) { out.replaceChildren(h("p", { class: "error" }, "Choose a file.")); return; }
    out.replaceChildren(h("p", { class: "muted" }, "Uploading " + f.name + "…"));
    try {
      const r = await fetch(API + "/documents?name=" + encodeURIComponent(f.name), {
        method: "POST",
        headers: { Authorization: "Bearer " + token.value.trim(), "Content-Type": "application/octet-stream", Accept: "application/json" },
        body: f,
      });
      const body = await r.json().catch(() => null);
      if (!r.ok) throw new Error((body && body.detail) || ("HTTP " + r.status));
      out.replaceChildren(h("table", {},
        [["added", body.added], ["already present", body.already_present], ["restored", body.restored], ["rejected", body.rejected]]
          .map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v)))),
        body.rejections.length ? h("ul", {}, body.rejections.map((x) => h("li", {}, x.source + ": " + x.reason))) : null,
        h("p", {}, h("a", { href: "#/" }, "Documents")));
    } catch (e) {
      out.replaceChildren(h("p", { class: "error", role: "alert" }, String(e.message || e)));
    }
  });
  render(h("h1", {}, "Upload"),
    h("p", { class: "muted" }, "Ingest a file into the store. Writes need the token `presswatch serve` printed at start (or --token / PRESSWATCH_TOKEN); a read-only server refuses them."),
    form, out);
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
  [/^\/search$/, (m, p) => searchView(p)],
  [/^\/stories$/, () => storiesView()],
  [/^\/story\/([^/?]+)$/, (m) => storyView(decodeURIComponent(m[1]))],
  [/^\/compare$/, (m, p) => compareView(p)],
  [/^\/altered$/, () => alteredView()],
  [/^\/upload$/, () => uploadView()],
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
    const go = { d: "#/", e: "#/entities", q: "#/quotes", c: "#/dups", s: "#/stats", f: "#/search", t: "#/stories", o: "#/compare", a: "#/altered", u: "#/upload" }[ev.key];
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
