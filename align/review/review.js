// align review page: every bead of an alignment, coloured by confidence, with the decisions a
// person makes (accept, reject, merge, split, move or unlink a sentence) kept in local storage
// and exported as JSON for `align review --apply`. Text is only ever set with textContent.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('review-data').textContent);
  var EN = D.en, RU = D.ru, GROUPS = D.groups, PAGE = 100, MAXPOINTS = 2500;
  var ORIG = [], cur = [], history = [], view = [], page = 0, focusId = -1, nextId = 0;
  var lowEN = null, lowRU = null, plotPoints = [];
  var STORE = 'align-review:' + D.sha256;
  var $ = function (id) { return document.getElementById(id); };
  var ui = {order: $('order'), show: $('show'), threshold: $('threshold'), search: $('search'),
            rows: $('rows'), pager: $('pager'), pager2: $('pager2'), summary: $('summary'),
            message: $('message'), path: $('path')};

  function bead(e0, e1, r0, r1, s, g, st, o) {
    return {e0: e0, e1: e1, r0: r0, r1: r1, s: s, g: g, st: st, o: o, id: nextId++, pos: 0};
  }
  for (var i = 0; i < D.beads.length; i += 6) {
    var b = D.beads;
    ORIG.push(bead(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], '', i / 6));
  }

  function cls(s) { return s === null ? 'cn' : s < 0.5 ? 'c0' : s < 0.7 ? 'c1' : s < 0.9 ? 'c2' : 'c3'; }
  function size(b) { return b.e1 - b.e0 + b.r1 - b.r0; }
  function threshold() { var t = parseFloat(ui.threshold.value); return isNaN(t) ? 0.9 : t; }
  function say(text) { ui.message.textContent = text || ''; }
  function range(a, z) { var out = []; for (var k = a; k < z; k++) out.push(k); return out; }
  function minScore(a, b) { return a === null ? b : b === null ? a : Math.min(a, b); }

  // --- decisions: regions where the current beads differ from the input's -------------------
  function decisions() {
    var out = [], i = 0, j = 0;
    while (i < ORIG.length) {
      var i0 = i, j0 = j;
      for (;;) {
        var o = ORIG[i], c = cur[j];
        if (o.e1 === c.e1 && o.r1 === c.r1) break;
        var so = o.e1 + o.r1, sc = c.e1 + c.r1;
        if (so < sc) i++; else if (sc < so) j++; else { i++; j++; }
      }
      if (!(i === i0 && j === j0 && cur[j].st === '')) {
        var into = [];
        for (var k = j0; k <= j; k++) {
          var n = cur[k];
          into.push({en: range(n.e0, n.e1), ru: range(n.r0, n.r1), status: n.st || 'edited'});
        }
        out.push({beads: range(i0, i + 1), into: into});
      }
      i++; j++;
    }
    return {format: 'align-review-decisions', version: 1, input: D.input, sha256: D.sha256,
            beads: ORIG.length, decisions: out};
  }

  function exportText(data) {  // one decision a line: readable, and diffs well
    var head = {};
    for (var key in data) if (key !== 'decisions') head[key] = data[key];
    var lines = data.decisions.map(function (d) { return '  ' + JSON.stringify(d); });
    return JSON.stringify(head).replace(/\}$/, ',\n "decisions": [' + (lines.length ? '\n' + lines.join(',\n') + '\n' : '') + ']}\n');
  }

  function restore(data) {
    if (!data || data.format !== 'align-review-decisions') throw new Error('not a decisions file of align review');
    if (data.sha256 !== D.sha256 || data.beads !== ORIG.length) throw new Error('these decisions are for another input (' + data.input + ')');
    var list = data.decisions.slice().sort(function (a, b) { return a.beads[0] - b.beads[0]; });
    var out = [], at = 0;
    list.forEach(function (d) {
      var first = d.beads[0], last = d.beads[d.beads.length - 1];
      if (first < at || last >= ORIG.length) throw new Error('overlapping decisions');
      for (; at < first; at++) out.push(ORIG[at]);
      var e = ORIG[first].e0, r = ORIG[first].r0, g = ORIG[first].g;
      d.into.forEach(function (n) {
        n.en.forEach(function (k, x) { if (k !== e + x) throw new Error('sentences out of order'); });
        n.ru.forEach(function (k, x) { if (k !== r + x) throw new Error('sentences out of order'); });
        if (!n.en.length && !n.ru.length) throw new Error('a bead with no sentence');
        out.push(bead(e, e + n.en.length, r, r + n.ru.length, minScore(ORIG[first].s, ORIG[last].s),
                      g, n.status, -1));
        e += n.en.length; r += n.ru.length;
      });
      if (e !== ORIG[last].e1 || r !== ORIG[last].r1) throw new Error('sentences lost');
      at = last + 1;
    });
    for (; at < ORIG.length; at++) out.push(ORIG[at]);
    return out;
  }

  function save() {
    try { localStorage.setItem(STORE, JSON.stringify(decisions())); } catch (err) { /* private mode */ }
  }

  // --- edits: every change replaces k beads at j, so it can be undone -----------------------
  function edit(j, k, beads, focus) {
    var removed = cur.splice.apply(cur, [j, k].concat(beads));
    history.push({j: j, n: beads.length, removed: removed, focus: focusId});
    focusId = focus !== undefined ? focus : (beads.length ? beads[0].id : focusId);
    changed(k !== 1 || beads.length !== 1 || removed[0].s !== beads[0].s);
  }
  function undo() {
    var h = history.pop();
    if (!h) { say('nothing to undo'); return; }
    cur.splice.apply(cur, [h.j, h.n].concat(h.removed));
    focusId = h.focus;
    changed();
  }
  function copy(b, changes, st) {
    var n = bead(b.e0, b.e1, b.r0, b.r1, b.s, b.g, st, -1);
    for (var key in changes) n[key] = changes[key];
    return n;
  }
  function afterInView(b) {  // the bead after b in the view, to move on to once b is decided
    var p = view.indexOf(b.pos);
    return p >= 0 && p + 1 < view.length ? cur[view[p + 1]].id : undefined;
  }
  var actions = {
    accept: function (b) {
      var next = afterInView(b);
      edit(b.pos, 1, [copy(b, {o: b.o}, 'accepted')], next);
    },
    reject: function (b) {
      var next = afterInView(b), parts = [];
      for (var e = b.e0; e < b.e1; e++) parts.push(bead(e, e + 1, b.r0, b.r0, b.s, b.g, 'rejected', -1));
      for (var r = b.r0; r < b.r1; r++) parts.push(bead(b.e1, b.e1, r, r + 1, b.s, b.g, 'rejected', -1));
      if (parts.length === 1) parts[0].o = b.o;
      edit(b.pos, 1, parts, next !== undefined ? next : parts[0].id);
    },
    merge: function (b) {
      var n = cur[b.pos + 1];
      if (!n || n.g !== b.g) { say('no next bead in this document to merge with'); return; }
      edit(b.pos, 2, [copy(b, {e1: n.e1, r1: n.r1, s: minScore(b.s, n.s)}, 'edited')]);
    },
    split: function (b) {
      var ke = b.e0 + Math.min(1, b.e1 - b.e0), kr = b.r0 + Math.min(1, b.r1 - b.r0);
      if (ke === b.e1 && kr === b.r1) { say('a bead of one sentence a side cannot be split; reject it to unlink both'); return; }
      edit(b.pos, 1, [copy(b, {e1: ke, r1: kr}, 'edited'), copy(b, {e0: ke, r0: kr}, 'edited')]);
    }
  };
  function move(b, side, down) {  // an edge sentence to the neighbouring bead
    var other = cur[b.pos + (down ? 1 : -1)], a = side + '0', z = side + '1';
    if (!other || other.g !== b.g) { say('no neighbouring bead in this document'); return; }
    var ch = {}, och = {};
    if (down) { ch[z] = b[z] - 1; och[a] = other[a] - 1; } else { ch[a] = b[a] + 1; och[z] = other[z] + 1; }
    var nb = copy(b, ch, 'edited'), no = copy(other, och, 'edited');
    var pair = down ? [nb, no] : [no, nb];
    edit(down ? b.pos : b.pos - 1, 2, pair.filter(size), size(nb) ? nb.id : no.id);
  }
  function unlink(b, side, k) {
    if (size(b) < 2) { say('this sentence has no counterpart already'); return; }
    var alone = side === 'en' ? {e0: k, e1: k + 1} : {r0: k, r1: k + 1}, rest = {}, parts;
    var first = k === b[side === 'en' ? 'e0' : 'r0'];
    if (side === 'en') { alone.r0 = alone.r1 = first ? b.r0 : b.r1; if (first) rest.e0 = k + 1; else rest.e1 = k; }
    else { alone.e0 = alone.e1 = first ? b.e0 : b.e1; if (first) rest.r0 = k + 1; else rest.r1 = k; }
    var lone = copy(b, alone, 'edited'), kept = copy(b, rest, 'edited');
    parts = first ? [lone, kept] : [kept, lone];
    edit(b.pos, 1, parts, kept.id);
  }

  // --- the view: filter, order, pages ---------------------------------------------------------
  function matches(b, q) {
    if (!lowEN) { lowEN = EN.map(function (t) { return t.toLowerCase(); }); lowRU = RU.map(function (t) { return t.toLowerCase(); }); }
    for (var e = b.e0; e < b.e1; e++) if (lowEN[e].indexOf(q) >= 0) return true;
    for (var r = b.r0; r < b.r1; r++) if (lowRU[r].indexOf(q) >= 0) return true;
    return false;
  }
  function computeView() {
    var th = threshold(), show = ui.show.value, q = ui.search.value.trim().toLowerCase();
    view = [];
    for (var j = 0; j < cur.length; j++) {
      var b = cur[j], weak = b.s !== null && b.s < th;
      if (show === 'below' && !weak) continue;
      if (show === 'todo' && !(weak && b.st === '')) continue;
      if (show === 'reviewed' && b.st === '') continue;
      if (q && !matches(b, q)) continue;
      view.push(j);
    }
    if (ui.order.value === 'weak') {
      // Sort numbers, not objects: confidence (4 decimals; no score last) then position,
      // packed exactly into one float each, so 50,000 beads sort in a few milliseconds.
      var keys = new Float64Array(view.length);
      for (var p = 0; p < view.length; p++) {
        var sc = cur[view[p]].s;
        keys[p] = (sc === null ? 20001 : Math.round(sc * 10000)) * 1048576 + view[p];
      }
      keys.sort();
      for (var q = 0; q < keys.length; q++) view[q] = keys[q] % 1048576;
    }
  }
  function focusPos() {
    for (var p = 0; p < view.length; p++) if (cur[view[p]].id === focusId) return p;
    return -1;
  }
  function changed(moved) {  // moved: beads were added or removed (the plot is redrawn)
    for (var j = 0; j < cur.length; j++) cur[j].pos = j;
    save();
    refresh(true, moved !== false);
  }
  function refresh(keepFocus, replot) {
    computeView();
    var p = keepFocus ? focusPos() : -1;
    if (p < 0) { p = Math.min(page * PAGE, Math.max(0, view.length - 1)); focusId = view.length ? cur[view[p]].id : -1; }
    page = Math.floor(p / PAGE);
    render();
    if (replot !== false) plot(); else marker();
  }

  // --- rendering ------------------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function button(act, label, title, side, k) {
    var node = el('button', '', label);
    node.type = 'button'; node.title = title; node.dataset.act = act;
    if (side) { node.dataset.side = side; node.dataset.k = k; }
    return node;
  }
  function sideCell(b, side) {
    var cell = el('div', 'side ' + side), a = side === 'en' ? b.e0 : b.r0, z = side === 'en' ? b.e1 : b.r1;
    var texts = side === 'en' ? EN : RU;
    if (a === z) { cell.appendChild(el('span', 'none', 'no counterpart')); return cell; }
    for (var k = a; k < z; k++) {
      var s = el('div', 's', texts[k]), tools = el('span', 'sb');
      s.dataset.side = side; s.dataset.k = k;
      if (k === a) tools.appendChild(button('up', '↑', 'move this sentence to the bead above', side, k));
      if (k === z - 1) tools.appendChild(button('down', '↓', 'move this sentence to the bead below', side, k));
      if ((k === a || k === z - 1) && size(b) > 1) tools.appendChild(button('unlink', '⊘', 'unlink: this sentence has no counterpart', side, k));
      s.appendChild(tools);
      cell.appendChild(s);
    }
    return cell;
  }
  var STATUS = {accepted: '✓ accepted', rejected: '✗ rejected', edited: '✎ edited', '': ''};
  function row(b) {
    var r = el('div', 'row ' + cls(b.s) + (b.st ? ' st-' + b.st : '') + (b.id === focusId ? ' focus' : ''));
    r.dataset.id = b.id; r.dataset.pos = b.pos; r.tabIndex = -1;
    var num = el('div', 'num', '#' + (b.pos + 1));
    if (ui.order.value !== 'doc' && GROUPS.length > 1) num.appendChild(el('span', 'doc', GROUPS[b.g].doc));
    r.appendChild(num);
    r.appendChild(sideCell(b, 'en'));
    r.appendChild(sideCell(b, 'ru'));
    var conf = el('div', 'conf');
    conf.appendChild(el('span', 'score', b.s === null ? '–' : b.s.toFixed(2)));
    conf.appendChild(el('span', 'status', STATUS[b.st]));
    r.appendChild(conf);
    var act = el('div', 'act');
    act.appendChild(button('accept', '✓', 'accept (a)'));
    act.appendChild(button('reject', '✗', 'reject: not a translation pair (r)'));
    act.appendChild(button('merge', 'merge ↓', 'merge with the next bead (m)'));
    if (size(b) > 2 || (b.e1 - b.e0 > 1) || (b.r1 - b.r0 > 1)) act.appendChild(button('split', 'split', 'split after the first sentence of each side (s)'));
    r.appendChild(act);
    return r;
  }
  function pager(node) {
    node.textContent = '';
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    var prev = button('prev', '‹ previous', 'previous page (PgUp)'), next = button('next', 'next ›', 'next page (PgDn)');
    prev.disabled = page === 0; next.disabled = page >= pages - 1;
    node.appendChild(prev);
    node.appendChild(el('span', 'where', view.length ? 'rows ' + (page * PAGE + 1) + '–' +
      Math.min(view.length, (page + 1) * PAGE) + ' of ' + view.length + ' (page ' + (page + 1) + ' of ' + pages + ')' : 'no beads match'));
    node.appendChild(next);
  }
  function render() {
    var frag = document.createDocumentFragment(), lastGroup = -1, doc = ui.order.value === 'doc';
    for (var p = page * PAGE; p < Math.min(view.length, (page + 1) * PAGE); p++) {
      var b = cur[view[p]];
      if (doc && b.g !== lastGroup) {
        var g = GROUPS[b.g];
        frag.appendChild(el('div', 'dochead', (g.doc || D.input) + (g.kind ? ' · ' + g.kind : '')));
        lastGroup = b.g;
      }
      frag.appendChild(row(b));
    }
    ui.rows.textContent = '';
    ui.rows.appendChild(frag);
    pager(ui.pager); pager(ui.pager2);
    var links = 0, weak = 0, reviewed = 0, th = threshold();
    for (var j = 0; j < cur.length; j++) {
      var c = cur[j];
      if (c.e1 > c.e0 && c.r1 > c.r0) links++;
      if (c.s !== null && c.s < th && c.st === '') weak++;
      if (c.st) reviewed++;
    }
    ui.summary.textContent = cur.length + ' beads (' + links + ' links, ' + (cur.length - links) +
      ' without a counterpart) · ' + weak + ' unreviewed below ' + th + ' · ' + reviewed + ' reviewed';
  }
  function showFocus() {
    var node = ui.rows.querySelector('.row.focus');
    if (node) {
      node.focus({preventScroll: true});
      var box = node.getBoundingClientRect(), top = document.querySelector('header').getBoundingClientRect().bottom;
      if (box.top < top || box.bottom > window.innerHeight) window.scrollBy(0, box.top - top - 40);
    }
  }
  function setFocus(p) {
    if (!view.length) return;
    p = Math.max(0, Math.min(view.length - 1, p));
    focusId = cur[view[p]].id;
    var newPage = Math.floor(p / PAGE);
    if (newPage !== page) { page = newPage; render(); window.scrollTo(0, 0); }
    else {
      var old = ui.rows.querySelector('.row.focus'), node = ui.rows.querySelector('.row[data-id="' + focusId + '"]');
      if (old) old.classList.remove('focus');
      if (node) node.classList.add('focus');
    }
    showFocus();
    marker();
  }

  // --- the alignment path ---------------------------------------------------------------------
  var W = 240, H = 240;
  function xy(b) {
    return [(b.e0 + b.e1) / 2 / Math.max(1, EN.length) * W, H - (b.r0 + b.r1) / 2 / Math.max(1, RU.length) * H];
  }
  function plot() {
    var step = Math.max(1, Math.ceil(cur.length / MAXPOINTS)), parts = [];
    plotPoints = [];
    if (GROUPS.length > 1 && GROUPS.length <= 300) {
      for (var j = 1; j < cur.length; j++) {
        if (cur[j].g !== cur[j - 1].g) {
          var p0 = xy(cur[j]);
          parts.push('<line x1="' + p0[0].toFixed(1) + '" y1="0" x2="' + p0[0].toFixed(1) + '" y2="' + H + '"></line>');
        }
      }
    }
    for (var a = 0; a < cur.length; a += step) {  // the weakest bead of each run of `step`
      var best = cur[a];
      for (var k = a + 1; k < Math.min(cur.length, a + step); k++) {
        var s = cur[k].s;
        if (s !== null && (best.s === null || s < best.s)) best = cur[k];
      }
      var p = xy(best);
      plotPoints.push([p[0], p[1], best.id]);
      parts.push('<circle class="' + cls(best.s) + '" cx="' + p[0].toFixed(1) + '" cy="' + p[1].toFixed(1) + '" r="1.8"></circle>');
    }
    parts.push('<circle class="here" r="5" cx="-10" cy="-10"></circle>');
    ui.path.innerHTML = parts.join('');  // numbers only, never text of the input
    marker();
  }
  function marker() {
    var here = ui.path.querySelector('circle.here'), b = byId(focusId);
    if (!here || !b) return;
    var p = xy(b);
    here.setAttribute('cx', p[0].toFixed(1)); here.setAttribute('cy', p[1].toFixed(1));
  }
  function byId(id) {
    for (var j = 0; j < cur.length; j++) if (cur[j].id === id) return cur[j];
    return null;
  }
  function jump(id) {
    computeView();
    var found = false;
    for (var p = 0; p < view.length; p++) if (cur[view[p]].id === id) { found = true; break; }
    if (!found) { ui.show.value = 'all'; ui.search.value = ''; computeView(); }
    focusId = id;
    var q = focusPos();
    page = Math.floor(Math.max(0, q) / PAGE);
    render(); showFocus(); marker();
  }
  ui.path.addEventListener('click', function (ev) {
    var box = ui.path.getBoundingClientRect();
    var x = (ev.clientX - box.left) / box.width * W, y = (ev.clientY - box.top) / box.height * H, best = null, dist = Infinity;
    plotPoints.forEach(function (pt) {
      var d = (pt[0] - x) * (pt[0] - x) + (pt[1] - y) * (pt[1] - y);
      if (d < dist) { dist = d; best = pt[2]; }
    });
    if (best !== null) jump(best);
  });

  // --- controls, mouse and keyboard -----------------------------------------------------------
  function focused() { return byIdFast(focusId); }
  function byIdFast(id) {
    var node = ui.rows.querySelector('.row[data-id="' + id + '"]');
    if (node) { var b = cur[+node.dataset.pos]; if (b && b.id === id) return b; }
    return byId(id);
  }
  function act(name, b) { if (b) actions[name](b); }
  ui.rows.addEventListener('click', function (ev) {
    var r = ev.target.closest('.row');
    if (!r) return;
    var b = cur[+r.dataset.pos], btn = ev.target.closest('button');
    if (!btn) { focusId = b.id; setFocus(focusPos()); return; }
    focusId = b.id;
    var name = btn.dataset.act;
    if (name === 'up' || name === 'down') move(b, btn.dataset.side === 'en' ? 'e' : 'r', name === 'down');
    else if (name === 'unlink') unlink(b, btn.dataset.side, +btn.dataset.k);
    else act(name, b);
  });
  [ui.pager, ui.pager2].forEach(function (node) {
    node.addEventListener('click', function (ev) {
      var btn = ev.target.closest('button');
      if (btn) turn(btn.dataset.act === 'next' ? 1 : -1);
    });
  });
  function turn(delta) {
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    var p = Math.max(0, Math.min(pages - 1, page + delta));
    if (p !== page) setFocus(p * PAGE);
  }
  function nextWeak(dir) {
    var th = threshold(), p = focusPos();
    for (var q = p + dir; q >= 0 && q < view.length; q += dir) {
      var b = cur[view[q]];
      if (b.s !== null && b.s < th && b.st === '') { setFocus(q); return; }
    }
    say('no more unreviewed beads below ' + th + (dir > 0 ? ' after this one' : ' before this one'));
  }
  [ui.order, ui.show, ui.threshold].forEach(function (node) { node.addEventListener('change', function () { page = 0; refresh(false, false); }); });
  var searchTimer = null;
  ui.search.addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { page = 0; refresh(false, false); }, 150);
  });
  $('undo').addEventListener('click', undo);
  $('reset').addEventListener('click', function () {
    if (!window.confirm('Forget every decision made on this page?')) return;
    cur = ORIG.slice(); history = []; changed();
  });
  $('export').addEventListener('click', function () {
    var blob = new Blob([exportText(decisions())], {type: 'application/json'});
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = D.input.replace(/\.[^.]*$/, '') + '.decisions.json';
    document.body.appendChild(link); link.click(); link.remove();
    say('decisions saved as ' + link.download + ': align review --apply ' + link.download + ' ...');
  });
  $('import').addEventListener('change', function (ev) {
    var file = ev.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      try {
        cur = restore(JSON.parse(reader.result));
        history = [];
        changed();
        say('imported the decisions of ' + file.name);
      } catch (err) { say('not imported: ' + file.name + ': ' + err.message); }
      ev.target.value = '';
    };
    reader.readAsText(file);
  });
  document.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) {
      if (ev.key === 'Escape') t.blur();
      return;
    }
    if (ev.ctrlKey && ev.key === 'z') { undo(); ev.preventDefault(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var p = focusPos(), handled = true;
    switch (ev.key) {
      case 'j': case 'ArrowDown': setFocus(p + 1); break;
      case 'k': case 'ArrowUp': setFocus(p - 1); break;
      case 'n': nextWeak(1); break;
      case 'p': nextWeak(-1); break;
      case 'a': act('accept', focused()); break;
      case 'r': act('reject', focused()); break;
      case 'm': act('merge', focused()); break;
      case 's': act('split', focused()); break;
      case 'z': undo(); break;
      case '/': ui.search.focus(); break;
      case 'PageDown': turn(1); break;
      case 'PageUp': turn(-1); break;
      default: handled = false;
    }
    if (handled) ev.preventDefault();
  });

  // --- start: restore what local storage kept ------------------------------------------------
  $('name').textContent = D.input;
  cur = ORIG.slice();
  try {
    var kept = localStorage.getItem(STORE);
    if (kept) { cur = restore(JSON.parse(kept)); say('restored the decisions kept in this browser'); }
  } catch (err) { cur = ORIG.slice(); say('ignored decisions kept in this browser: ' + err.message); }
  for (var j = 0; j < cur.length; j++) cur[j].pos = j;
  refresh(false);
  window.alignReview = {ready: performance.now(), beads: function () { return cur.length; }, decisions: decisions};
})();
