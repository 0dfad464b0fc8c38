/*
 * The search dialog (overrides/partials/qinqing-search-dialog.html), over Pagefind's index of
 * the built site (qinqing.search). Pagefind's script and index chunks are fetched only when a
 * reader opens the search; the page's <html lang> picks the edition's own index. Every string
 * comes from the dialog's data attributes, in the edition's language.
 *
 * The page fetches this script when a reader first opens the dialog (overrides/main.html).
 *
 * Keyboard: the header button or "/" opens the dialog, with the cursor in the field; ↓ moves
 * from the field to the results, ↑ and ↓ through them, Enter opens one, Esc closes (focus
 * goes back where it was). The status line is a live region: screen readers hear the count.
 *
 * Chinese is indexed character by character (qinqing.search says why): a query's Chinese
 * part is asked for as a phrase, which gives the pages that hold it, and as characters,
 * which gives Pagefind's ranking (titles first); the first list is shown in the second's
 * order. Excerpts come back with a space between Chinese characters: closed here, and the
 * query's own words marked in them.
 *
 * Result text is never inserted as HTML: the excerpt Pagefind returns (text with <mark>
 * around the matches) is parsed inertly and rebuilt from its text and its marks only.
 */
(function () {
  "use strict";
  var dialog = document.getElementById("qq-search");
  var opener = document.querySelector("[data-qq-search-open]");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;
  var field = dialog.querySelector("#qq-search-input");
  var list = dialog.querySelector("#qq-search-results");
  var status = dialog.querySelector(".qq-search__status");
  var selects = dialog.querySelectorAll("select[data-qq-filter]");
  var data = dialog.dataset;
  var root = new URL(data.siteRoot || "./", location.href);
  var engine = null, variants = null, asked = 0, timer = 0;
  var more = dialog.querySelector("[data-qq-search-more]");
  // Results come five first, then ten more at a time on request: each needs its page's
  // fragment fetched (a request of its own, about 0.9 KB), which on a large site is what a
  // first search can save on (as Pagefind's own interface does, which shows five).
  var FIRST = 5, MORE = 10, pending = [], pendingWords = [];

  function text(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function load() {
    if (!engine) {
      engine = import(new URL(data.bundle, location.href).href).then(function (pagefind) {
        // Result addresses relative to where the site is served (a preview may sit in a folder).
        return pagefind.options({ baseUrl: root.pathname, excerptLength: Number(data.excerptLength) || 30 }).then(function () {
          return pagefind;
        });
      });
      if (data.variants) {
        variants = fetch(new URL(data.variants, location.href).href)
          .then(function (r) { return r.ok ? r.json() : {}; })
          .catch(function () { return {}; });
      }
    }
    return engine;
  }

  // A converted edition: the query typed in the source's characters (医保) becomes the
  // edition's (醫保), each character as the edition writes it most often; the other readings
  // of an ambiguous character are tried if the first finds nothing.
  function queries(query) {
    if (!variants) return Promise.resolve([query]);
    return variants.then(function (map) {
      var first = "", others = [];
      Array.from(query).forEach(function (ch, i) {
        var options = Object.prototype.hasOwnProperty.call(map, ch) ? map[ch] : null;
        first += options ? options[0] : ch;
        if (options) options.slice(1).forEach(function (alt) { others.push([i, alt]); });
      });
      var chars = Array.from(first);
      var all = [first];
      others.slice(0, 4).forEach(function (pair) {
        var copy = chars.slice();
        copy[pair[0]] = pair[1];
        all.push(copy.join(""));
      });
      if (all.indexOf(query) < 0) all.push(query);
      return all;
    });
  }

  var HAN = "\\p{Script=Han}";
  var HAN_GAP = new RegExp("(" + HAN + ")\\s+(?=" + HAN + ")", "gu");
  var HAS_HAN = new RegExp(HAN, "u");

  // 医保 → 医 保, as the index view spells Chinese (a space between any two characters).
  function spaced(part) {
    return part.replace(new RegExp("(" + HAN + ")(?=" + HAN + ")", "gu"), "$1 ");
  }

  // The index view's text as read: no gaps between Chinese characters, and without the
  // invisible mark it puts where a block of text ends (the space there stays).
  function closed(textValue) {
    return textValue.replace(HAN_GAP, "$1").replace(/(\w[–—])\s+(?=\w)/g, "$1").replace(/\u2063/g, "");
  }
  var LABEL_END = data.labelEnd || ": ", BLOCK_END_TEXT = data.blockEnd || "; ";
  // After a block that ends with its own punctuation, a space where the edition's separator
  // has one (English), none where it has none (Chinese).
  var SPACE_AFTER_PUNCTUATION = /\s$/.test(BLOCK_END_TEXT) ? " " : "";
  var ENDS_PUNCTUATED = /[.,;:!?。，、；：！？]$/;
  var WORD_CHAR = /[\p{L}\p{N}]/u;
  // A string's last or first character, whole (a Chinese character outside the basic plane
  // takes two code units).
  function lastChar(s) { var m = /(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S])$/.exec(s); return m ? m[0] : ""; }
  function firstChar(s) { var m = /^(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S])/.exec(s); return m ? m[0] : ""; }

  function searchAll(pagefind, query, filters) {
    var parts = query.split(/\s+/).filter(Boolean);
    var chinese = parts.filter(function (part) { return HAS_HAN.test(part); });
    if (!chinese.length) return pagefind.search(query, { filters: filters });
    var ranked = pagefind.search(parts.map(spaced).join(" "), { filters: filters });
    var phrases = chinese.map(function (part) {
      return pagefind.search("\"" + spaced(part) + "\"", { filters: filters });
    });
    return Promise.all([ranked].concat(phrases)).then(function (found) {
      var holding = found.slice(1).map(function (f) {
        return new Set((f ? f.results : []).map(function (r) { return r.id; }));
      });
      var results = (found[0] ? found[0].results : []).filter(function (r) {
        return holding.every(function (ids) { return ids.has(r.id); });
      });
      return { results: results };
    });
  }

  function chosenFilters() {
    var filters = {};
    selects.forEach(function (select) {
      if (select.value) filters[select.dataset.qqFilter] = select.value;
    });
    return filters;
  }

  // The excerpt as text and marked ranges: Pagefind's marks, or, for a query with Chinese in
  // it, every place the query's own words occur (Pagefind marks single characters there).
  function excerpt(html, words) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    var pieces = [];
    (function walk(node) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === 3) pieces.push([child.nodeValue, false]);
        else if (child.nodeName === "MARK") pieces.push([child.textContent, true]);
        else walk(child);
      });
    })(parsed);
    var whole = "", marked = [];
    pieces.forEach(function (piece) {
      var from = whole.length;
      whole += piece[0];
      if (piece[1]) marked.push([from, whole.length]);
    });
    // Close the gaps between Chinese characters, moving the marks with the text. U+2063
    // marks where a block of text ended (twice: a fact's label): it becomes the edition's
    // semicolon (colon), unless the text there already ends with punctuation, and the spaces
    // after it become the separator's own.
    var plain = "", at = [], i, blockEnd = false;
    for (i = 0; i < whole.length; i++) {
      at.push(plain.length);
      if (whole[i] === "\u2063") {
        var label = whole[i + 1] === "\u2063";
        if (label) at.push(plain.length), i++;
        plain = plain.replace(/\s+$/, "");
        if (plain && !ENDS_PUNCTUATED.test(plain)) plain += label ? LABEL_END : BLOCK_END_TEXT;
        else if (plain) plain += SPACE_AFTER_PUNCTUATION;
        blockEnd = true;
        continue;
      }
      var gap = /\s/.test(whole[i]), before = lastChar(plain), after = firstChar(whole.slice(i + 1).trimStart());
      if (gap && blockEnd) continue; // the separator brought its own space, if any
      if (gap && (HAS_HAN.test(before) && HAS_HAN.test(after) || /[–—]/.test(before) && /\w/.test(after))) continue;
      if (!gap) blockEnd = false;
      plain += whole[i];
    }
    at.push(plain.length);
    // Pagefind marks a whole word with what clings to it (Jinan–, Jinan,): the mark keeps the
    // letters and digits only.
    var ranges = marked.map(function (r) {
      var from = at[r[0]], to = at[r[1]];
      while (to > from && !WORD_CHAR.test(plain[to - 1])) to--;
      while (from < to && !WORD_CHAR.test(plain[from])) from++;
      return [from, to];
    }).filter(function (r) { return r[1] > r[0]; });
    if (words.some(function (w) { return HAS_HAN.test(w); })) {
      ranges = [];
      var lower = plain.toLocaleLowerCase();
      words.forEach(function (word) {
        var w = word.toLocaleLowerCase(), from = 0, found;
        while (w && (found = lower.indexOf(w, from)) >= 0) {
          ranges.push([found, found + w.length]);
          from = found + w.length;
        }
      });
    }
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var out = document.createDocumentFragment(), pos = 0;
    ranges.forEach(function (r) {
      if (r[0] < pos) return; // overlapping: the first one wins
      if (r[0] > pos) out.appendChild(document.createTextNode(plain.slice(pos, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = plain.slice(r[0], r[1]);
      out.appendChild(mark);
      pos = r[1];
    });
    if (pos < plain.length) out.appendChild(document.createTextNode(plain.slice(pos)));
    return out;
  }

  function item(result, words) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "qq-search__result";
    a.href = result.url;
    if (result.meta && result.meta.kind) {
      var kind = document.createElement("span");
      kind.className = "qq-search__kind";
      kind.textContent = result.meta.kind;
      a.appendChild(kind);
    }
    var title = document.createElement("span");
    title.className = "qq-search__name";
    title.textContent = closed((result.meta && result.meta.title) || result.url);
    a.appendChild(title);
    var body = document.createElement("span");
    body.className = "qq-search__excerpt";
    body.appendChild(excerpt(result.excerpt || "", words));
    a.appendChild(body);
    li.appendChild(a);
    return li;
  }

  function say(message, busy) {
    status.textContent = message;
    list.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function run() {
    var query = field.value.trim();
    var mine = ++asked;
    more.hidden = true;
    if (!query) {
      list.replaceChildren();
      say("", false);
      return;
    }
    say(data.loading, true);
    load().then(function (pagefind) {
      return queries(query).then(function (tries) {
        var filters = chosenFilters();
        function attempt(i) {
          return searchAll(pagefind, tries[i], filters).then(function (found) {
            if (found && found.results.length === 0 && i + 1 < tries.length) return attempt(i + 1);
            found.words = tries[i].split(/\s+/).filter(Boolean);
            return found;
          });
        }
        return attempt(0);
      }).then(function (found) {
        if (mine !== asked || !found) return null; // a later query has started
        var results = found.results;
        pending = results.slice(FIRST);
        pendingWords = found.words;
        return Promise.all(results.slice(0, FIRST).map(function (r) { return r.data(); })).then(function (pages) {
          if (mine !== asked) return;
          list.replaceChildren.apply(list, pages.map(function (page) { return item(page, found.words); }));
          more.hidden = !pending.length;
          if (!results.length) say(text(data.none, { q: query }), false);
          else say(text(results.length === 1 ? data.countOne : data.count, { n: results.length }), false);
        });
      });
    }).catch(function () {
      if (mine === asked) {
        list.replaceChildren();
        more.hidden = true;
        say(data.failed, false);
      }
    });
  }

  // The next results, appended; the focus goes to the first of them.
  function showMore() {
    var next = pending.slice(0, MORE), mine = asked;
    pending = pending.slice(MORE);
    Promise.all(next.map(function (r) { return r.data(); })).then(function (pages) {
      if (mine !== asked) return;
      var items = pages.map(function (page) { return item(page, pendingWords); });
      items.forEach(function (li) { list.appendChild(li); });
      more.hidden = !pending.length;
      if (items.length) items[0].querySelector("a").focus();
    }).catch(function () { say(data.failed, false); });
  }

  function open() {
    if (dialog.open) return;
    dialog.showModal();
    field.focus();
    field.select();
    load().catch(function () { say(data.failed, false); });
  }

  function results() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  opener.addEventListener("click", open);
  dialog.querySelector("[data-qq-search-close]").addEventListener("click", function () { dialog.close(); });
  // A click on the backdrop (outside the dialog's box) closes it, as on most sites.
  dialog.addEventListener("click", function (event) {
    if (event.target !== dialog) return;
    var box = dialog.getBoundingClientRect();
    if (event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom) {
      dialog.close();
    }
  });
  field.addEventListener("input", function () {
    clearTimeout(timer);
    asked++; // whatever was under way answers a query that is no longer the field's
    list.setAttribute("aria-busy", "true");
    timer = setTimeout(run, 120);
  });
  // Esc closes the dialog from anywhere in it (in the field, the browser would only clear it).
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      dialog.close();
    }
  });
  field.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      run();
    } else if (event.key === "ArrowDown" && results().length) {
      event.preventDefault();
      results()[0].focus();
    }
  });
  selects.forEach(function (select) { select.addEventListener("change", run); });
  more.addEventListener("click", showMore);
  list.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = results(), at = links.indexOf(document.activeElement);
    if (at < 0) return;
    event.preventDefault();
    if (event.key === "ArrowDown") links[Math.min(at + 1, links.length - 1)].focus();
    else if (at === 0) field.focus();
    else links[at - 1].focus();
  });
  // "/" opens the search from anywhere but a text field (captured first, so that no other
  // shortcut of the page takes the key).
  addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    open();
  }, true);
  // The page's loader (overrides/main.html) opened the dialog and fetched this script: from
  // now on this script answers the button and "/"; start what open() starts, and search what
  // was typed meanwhile.
  dialog.setAttribute("data-ready", "");
  if (dialog.open) {
    load().catch(function () { say(data.failed, false); });
    if (field.value.trim()) run();
  }
})();
