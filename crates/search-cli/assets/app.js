// The page of `search serve`: a search box over /api/search, and the cited
// paragraph in context from /api/show. Hand-written, no framework, nothing
// fetched but the API. Corpus text is only ever put in the page as text
// (textContent, text nodes): never parsed as HTML.
"use strict";

const PAGE_SIZE = 10;
const CONTEXT = 2;
const KEY_STORE = "search-api-key";

const $ = (id) => document.getElementById(id);

/// The search a URL describes: `/?q=…&per_article=1&typos=0&sort=…&source=…
/// &since=…&until=…&offset=…&show=CITATION`.
function stateFromUrl() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get("q") || "",
    perArticle: p.get("per_article") === "1" || p.get("per_article") === "true",
    typos: !(p.get("typos") === "0" || p.get("typos") === "false"),
    sort: p.get("sort") || "",
    source: p.get("source") || "",
    since: p.get("since") || "",
    until: p.get("until") || "",
    offset: Math.max(0, parseInt(p.get("offset") || "0", 10) || 0),
    show: p.get("show") || "",
  };
}

/// The URL of a state: only what differs from the defaults, so links stay short.
function urlOf(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.perArticle) p.set("per_article", "1");
  if (!state.typos) p.set("typos", "0");
  if (state.sort) p.set("sort", state.sort);
  if (state.source) p.set("source", state.source);
  if (state.since) p.set("since", state.since);
  if (state.until) p.set("until", state.until);
  if (state.offset) p.set("offset", String(state.offset));
  if (state.show) p.set("show", state.show);
  const query = p.toString();
  return query ? "/?" + query : "/";
}

/// The state the controls show (a new search starts at the first page).
function stateFromControls() {
  return {
    q: $("q").value.trim(),
    perArticle: $("per_article").checked,
    typos: $("typos").checked,
    sort: $("sort").value,
    source: $("source").value,
    since: $("since").value.trim(),
    until: $("until").value.trim(),
    offset: 0,
    show: "",
  };
}

function showControls(state) {
  $("q").value = state.q;
  $("per_article").checked = state.perArticle;
  $("typos").checked = state.typos;
  $("sort").value = state.sort;
  ensureSourceOption(state.source);
  $("source").value = state.source;
  $("since").value = state.since;
  $("until").value = state.until;
}

// ---------------------------------------------------------------- the API

/// GET an API path; resolves to the JSON answer, or throws an Error whose
/// message is the API's `error.message` (and `status`, `code`).
async function api(path, params) {
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem(KEY_STORE);
  if (key) headers.Authorization = "Bearer " + key;
  let response;
  try {
    response = await fetch(path + "?" + params.toString(), { headers });
  } catch (e) {
    throw Object.assign(new Error("The server did not answer (" + e.message + ")."), { status: 0 });
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const err = body && body.error ? body.error : {};
    const message = err.message || "The server answered " + response.status + ".";
    throw Object.assign(new Error(message), { status: response.status, code: err.code || "" });
  }
  if (body === null) throw Object.assign(new Error("The server's answer is not JSON."), { status: response.status });
  return body;
}

/// The query sent to the API: the box's text plus the source filter as a
/// `source:"…"` clause (names match without regard to punctuation, so a quote
/// in a name can be dropped).
function apiQuery(q, source) {
  if (!source) return q;
  const clause = 'source:"' + source.replace(/"/g, " ").trim() + '"';
  return q ? q + " " + clause : clause;
}

function searchParams(state, facets, limit) {
  const p = new URLSearchParams();
  p.set("q", apiQuery(state.q, state.source));
  p.set("limit", String(limit));
  if (state.offset) p.set("offset", String(state.offset));
  if (state.perArticle) p.set("per_article", "true");
  if (!state.typos) p.set("typos", "false");
  if (state.sort) p.set("sort", state.sort);
  if (state.since) p.set("since", state.since);
  if (state.until) p.set("until", state.until);
  p.set("count", "true");
  p.set("facets", facets);
  return p;
}

// ---------------------------------------------------------------- searching

let generation = 0;

/// Runs the search `state` describes and shows it. Answers that arrive after a
/// newer search started are dropped.
async function runSearch(state) {
  const mine = ++generation;
  clearError();
  document.title = state.q || state.source ? (state.q || state.source) + " — search" : "search";
  if (!state.q && !state.source) {
    clearResults();
    $("status").textContent = "Type a query and press Enter.";
    return;
  }
  $("status").textContent = "Searching…";
  $("hits").setAttribute("aria-busy", "true");
  try {
    // With a source chosen, the source counts come from the same search without
    // it, so that the other sources stay on offer.
    const main = api("/api/search", searchParams(state, state.source ? "date" : "source,date", PAGE_SIZE));
    const all = state.source
      ? api("/api/search", searchParams({ ...state, source: "", offset: 0 }, "source", 1)).catch(() => null)
      : null;
    const results = await main;
    const unfiltered = await all;
    if (mine !== generation) return;
    showResults(state, results, unfiltered);
  } catch (e) {
    if (mine !== generation) return;
    clearResults();
    showError(e);
  } finally {
    if (mine === generation) $("hits").removeAttribute("aria-busy");
  }
}

function clearResults() {
  $("hits").replaceChildren();
  $("notes").replaceChildren();
  $("pager").hidden = true;
  $("months").hidden = true;
  $("status").textContent = "";
}

function showResults(state, results, unfiltered) {
  const hits = results.hits || [];
  showNotes(results);
  const facets = results.facets || {};
  showSources((unfiltered && unfiltered.facets && unfiltered.facets.source) || facets.source || [], state.source);
  showMonths(facets.date || []);

  const took = typeof results.took_ms === "number" ? " · " + formatMs(results.took_ms) : "";
  const total = results.total_matches;
  if (hits.length === 0) {
    $("status").textContent = "No passage matches " + apiQuery(state.q, state.source) + "." + took;
  } else {
    const first = hits[0].rank;
    const last = hits[hits.length - 1].rank;
    const of = typeof total === "number" ? " of " + total + (total === 1 ? " matching passage" : " matching passages") : "";
    const order = results.sort ? " · " + results.sort : "";
    $("status").textContent = "Hits " + first + "–" + last + of + order + took;
  }
  const list = $("hits");
  list.replaceChildren(...hits.map((hit) => hitItem(hit, state)));

  const more = typeof total === "number" ? state.offset + hits.length < total : hits.length === PAGE_SIZE;
  $("prev").disabled = state.offset === 0;
  $("next").disabled = !more;
  $("pager").hidden = state.offset === 0 && !more;
}

/// `0.4 ms`, `3.9 ms`, `27 ms`.
function formatMs(ms) {
  return (ms < 10 ? ms.toFixed(1) : String(Math.round(ms))) + " ms";
}

/// Typo corrections and parser warnings, worded as `search query` words them.
function showNotes(results) {
  const items = [];
  for (const fix of results.corrections || []) {
    items.push(note("note", "few or no passages contain `" + fix.word + "`; searched also for " + fix.surface));
  }
  for (const warning of results.warnings || []) {
    items.push(note("warning", warning));
  }
  $("notes").replaceChildren(...items);
}

function note(kind, text) {
  const li = el("li", "note " + kind);
  li.append(el("strong", null, kind + ":"), " " + text);
  return li;
}

/// The source filter's options: every source the unfiltered search found, with
/// its counts (passages, then articles), as `search query --facets` prints them.
function showSources(values, chosen) {
  const select = $("source");
  const options = [new Option("All sources", "")];
  let seen = false;
  for (const v of values) {
    const label = v.value + " — " + v.passages + (v.passages === 1 ? " passage" : " passages") +
      " (" + v.articles + (v.articles === 1 ? " article" : " articles") + ")";
    options.push(new Option(label, v.value));
    if (v.value === chosen) seen = true;
  }
  if (chosen && !seen) options.push(new Option(chosen, chosen));
  select.replaceChildren(...options);
  select.value = chosen;
}

function ensureSourceOption(source) {
  const select = $("source");
  if (source && ![...select.options].some((o) => o.value === source)) {
    select.append(new Option(source, source));
  }
}

/// The date facet: one button per month, which sets From and To to that month.
function showMonths(values) {
  const list = $("month-list");
  list.replaceChildren(
    ...values.map((v) => {
      const li = el("li");
      const button = el("button", "month", v.value + " · " + v.passages);
      button.type = "button";
      button.setAttribute("aria-label", "Only " + v.value + ": " + v.passages + " passages, " + v.articles + " articles");
      button.addEventListener("click", () => {
        $("since").value = v.value;
        $("until").value = v.value;
        navigate(stateFromControls());
      });
      li.append(button);
      return li;
    })
  );
  $("months").hidden = values.length === 0;
}

// ---------------------------------------------------------------- one hit

/// How `search show` takes a citation: `path:line`, or `path:line#N[.P]` for a
/// JSONL record or a piece of a split paragraph.
function locationOf(c) {
  const numbered = c.part != null || /\.(jsonl|ndjson)$/i.test(c.path);
  let loc = c.path + ":" + c.line;
  if (numbered) loc += "#" + c.paragraph + (c.part != null ? "." + c.part : "");
  return loc;
}

/// `¶6`, or `¶6 (part 2)`.
function paragraphOf(c) {
  return "¶" + c.paragraph + (c.part != null ? " (part " + c.part + ")" : "");
}

function hitItem(hit, state) {
  const c = hit.citation || {};
  const li = el("li", "hit" + (hit.stale ? " stale" : ""));
  const head = el("div", "hit-head");
  head.append(el("span", "rank", String(hit.rank)));
  head.append(el("h2", "title" + (c.title ? "" : " untitled"), c.title || "Untitled article"));
  li.append(head);

  const meta = metaLine(c);
  if (meta) li.append(meta);

  const passage = el("p", "passage");
  appendHighlighted(passage, hit.text || "", hit.highlights || []);
  li.append(passage);

  const loc = locationOf(c);
  const row = el("div", "cite-row");
  const link = el("a", "citation", loc + " " + paragraphOf(c));
  link.href = urlOf({ ...state, show: loc });
  link.title = "Open " + loc + " in context";
  link.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    openCitation(loc, true);
  });
  row.append(link, copyButton(loc));
  row.append(el("span", "doc-id", "id " + c.doc_id));
  if (hit.stale) row.append(el("strong", "badge stale-badge", "STALE: the source changed since indexing"));
  if (hit.boilerplate) row.append(el("span", "badge", "boilerplate"));
  li.append(row);
  return li;
}

/// Date · source · author(s) · URL, when the article has any of them.
function metaLine(c) {
  const parts = [];
  if (c.date) parts.push(c.date);
  if (c.source) parts.push(c.source);
  const authors = Array.isArray(c.authors) && c.authors.length ? c.authors.join(", ") : c.author;
  if (authors) parts.push(authors);
  if (parts.length === 0 && !c.url) return null;
  const p = el("p", "meta", parts.join(" · "));
  if (c.url) {
    if (parts.length) p.append(" · ");
    p.append(urlNode(c.url));
  }
  return p;
}

/// A link for an http(s) URL; any other URL (`javascript:`…) is shown as text.
function urlNode(url) {
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch (e) {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    return el("span", "url", url);
  }
  const a = el("a", "url", parsed.host + parsed.pathname.replace(/\/$/, ""));
  a.href = parsed.href;
  a.rel = "noopener noreferrer nofollow";
  return a;
}

/// Appends `text` to `parent`, each highlighted range in a <mark>. `ranges` are
/// [start, end) UTF-8 byte offsets into `text` (the JSON contract); a JS string
/// counts UTF-16 code units, so each offset is converted.
function appendHighlighted(parent, text, ranges) {
  const index = utf16Indices(text);
  const at = (byte) => {
    const b = Math.max(0, Math.min(byte, index.length - 1));
    // An offset inside a character (never produced by the index) rounds down.
    for (let k = b; k >= 0; k--) if (index[k] >= 0) return index[k];
    return 0;
  };
  const spans = ranges
    .map(([start, end]) => [at(start), at(end)])
    .filter(([start, end]) => end > start)
    .sort((x, y) => x[0] - y[0]);
  let pos = 0;
  for (const [start, end] of spans) {
    if (end <= pos) continue;
    const from = Math.max(start, pos);
    if (from > pos) parent.append(text.slice(pos, from));
    parent.append(el("mark", null, text.slice(from, end)));
    pos = end;
  }
  if (pos < text.length) parent.append(text.slice(pos));
}

/// For each UTF-8 byte offset of `text` (0..=length in bytes), the UTF-16 index
/// of the character starting there, or -1 inside a character.
function utf16Indices(text) {
  const bytes = new TextEncoder().encode(text).length;
  const index = new Int32Array(bytes + 1).fill(-1);
  let b = 0;
  let i = 0;
  for (const ch of text) {
    index[b] = i;
    const cp = ch.codePointAt(0);
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  index[b] = i;
  return index;
}

function copyButton(text) {
  const button = el("button", "copy", "Copy");
  button.type = "button";
  button.setAttribute("aria-label", "Copy the citation " + text);
  button.addEventListener("click", async () => {
    const ok = await copyText(text);
    button.textContent = ok ? "Copied" : "Copy failed";
    button.dataset.copied = ok ? "yes" : "no";
    setTimeout(() => {
      button.textContent = "Copy";
    }, 2000);
  });
  return button;
}

/// The clipboard API where the page may use it, else a selected textarea and
/// the older copy command.
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      // Denied (no focus, no permission): fall through.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch (e) {
    ok = false;
  }
  area.remove();
  return ok;
}

// ---------------------------------------------------------------- the context view

let showGeneration = 0;

/// Opens the citation `loc` in the context view (`/api/show`), and puts it in
/// the URL (`show=`) when `push`.
async function openCitation(loc, push) {
  if (push) history.pushState(null, "", urlOf({ ...stateFromUrl(), show: loc }));
  const mine = ++showGeneration;
  const dialog = $("context");
  $("context-title").textContent = loc;
  $("context-meta").replaceChildren();
  $("context-cite").textContent = "Loading…";
  $("context-stale").hidden = true;
  $("context-body").replaceChildren();
  dialog.classList.remove("stale");
  if (!dialog.open) dialog.showModal();
  try {
    const p = new URLSearchParams();
    p.set("citation", loc);
    p.set("context", String(CONTEXT));
    const shown = await api("/api/show", p);
    if (mine !== showGeneration) return;
    showContext(shown);
  } catch (e) {
    if (mine !== showGeneration) return;
    $("context-cite").textContent = "";
    const message = el("p", "error", e.message);
    message.setAttribute("role", "alert");
    $("context-body").replaceChildren(message);
  }
}

function showContext(shown) {
  const c = shown.citation || {};
  $("context-title").textContent = c.title || "Untitled article";
  const meta = metaLine(c);
  $("context-meta").replaceChildren(...(meta ? meta.childNodes : []));
  const cite = $("context-cite");
  cite.replaceChildren(el("span", "citation-text", shown.location + " " + paragraphOf(c)), copyButton(shown.location));
  cite.append(el("span", "doc-id", "id " + c.doc_id));

  const stale = $("context-stale");
  $("context").classList.toggle("stale", !!shown.stale);
  if (shown.stale) {
    stale.replaceChildren(el("strong", null, "STALE:"), " the source changed since indexing; this is the text as indexed.");
    for (const problem of shown.problems || []) {
      stale.append(el("br"), problem.location + ": " + problem.reason);
    }
    stale.hidden = false;
  } else {
    stale.hidden = true;
  }

  const body = $("context-body");
  let cited = null;
  body.replaceChildren(
    ...(shown.paragraphs || []).map((p) => {
      const para = el("p", "para" + (p.cited ? " cited" : ""));
      const label = "¶" + p.paragraph + (p.part != null ? "." + p.part : "");
      para.append(el("span", "para-num", label));
      if (p.cited) {
        para.append(el("span", "cited-label", shown.stale ? "cited, stale" : "cited"));
        para.setAttribute("aria-current", "true");
        cited = cited || para;
      }
      para.append(el("span", "para-text", p.text));
      return para;
    })
  );
  if (cited) cited.scrollIntoView({ block: "center" });
}

function closeContext() {
  showGeneration++;
  if ($("context").open) $("context").close();
}

// ---------------------------------------------------------------- wiring

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
  $("key-form").hidden = true;
}

function showError(e) {
  $("error").textContent = e.message;
  $("error").hidden = false;
  if (e.status === 401) {
    $("key-form").hidden = false;
    $("api-key").focus();
  }
}

/// A new search from the controls: into the URL (a new history entry), then run.
function navigate(state) {
  history.pushState(null, "", urlOf(state));
  closeContext();
  runSearch(state);
}

/// Shows what the current URL describes (first load, back and forward).
function render() {
  const state = stateFromUrl();
  showControls(state);
  runSearch(state);
  if (state.show) openCitation(state.show, false);
  else closeContext();
}

function start() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(stateFromControls());
  });
  for (const id of ["per_article", "typos", "sort", "source"]) {
    $(id).addEventListener("change", () => navigate(stateFromControls()));
  }
  for (const id of ["since", "until"]) {
    $(id).addEventListener("change", () => navigate(stateFromControls()));
  }
  $("prev").addEventListener("click", () => {
    const state = stateFromUrl();
    navigate({ ...state, show: "", offset: Math.max(0, state.offset - PAGE_SIZE) });
  });
  $("next").addEventListener("click", () => {
    const state = stateFromUrl();
    navigate({ ...state, show: "", offset: state.offset + PAGE_SIZE });
  });
  $("context-close").addEventListener("click", () => $("context").close());
  $("context").addEventListener("close", () => {
    const state = stateFromUrl();
    if (state.show) history.pushState(null, "", urlOf({ ...state, show: "" }));
  });
  $("api-key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORE, $("api-key").value);
    $("api-key").value = "";
    render();
  });
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing && !$("context").open) {
      event.preventDefault();
      $("q").focus();
      $("q").select();
    }
  });
  window.addEventListener("popstate", render);
  render();
}

start();
