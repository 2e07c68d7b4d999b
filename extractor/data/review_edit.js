// Judge and correct records in the review page (kpi-extract review_edit.py): a accept, r reject, e edit,
// n a new record from the selected text, u undo; decisions kept in localStorage per database and
// document content hash; "Save corrections" downloads kpi-corrections/1 (decisions only).
(function () {
  'use strict';
  var FIELDS = ['indicator', 'indicator_id', 'value', 'unit', 'period', 'numerator', 'denominator', 'comparisons',
                'target_met', 'trend', 'suspect', 'evidence'];
  var LABELS = {accepted: '\u2713 accepted', rejected: '\u2717 rejected', edited: '\u270e edited', added: '\u2713 added'};
  var names = {};
  KPI_REVIEW.catalogue.forEach(function (row) { names[row[0]] = row[1]; });
  var db = document.body.dataset.db || '';
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.doc[data-sha]'));
  var states = new Map();

  function storageKey(section) { return 'kpi-review/1|' + db + '|' + section.dataset.sha; }
  function load(section) {
    try {
      var held = JSON.parse(localStorage.getItem(storageKey(section)) || 'null');
      if (held && held.decisions && held.added) return held;
    } catch (e) { /* a damaged entry starts afresh */ }
    return {decisions: {}, added: []};
  }
  function persist(section) { localStorage.setItem(storageKey(section), JSON.stringify(states.get(section))); }
  function rowsOf(section) { return Array.prototype.slice.call(section.querySelectorAll('tr.rec')); }
  function original(row) { return JSON.parse(row.dataset.rec); }
  function decisionOf(row) { return states.get(row.closest('section')).decisions[row.dataset.k]; }
  function shown(value) { return value === null || value === undefined ? '' : String(value); }

  function comparisonText(c) {
    var said = [c.basis.replace(/_/g, ' ')];
    if (c.value !== null && c.value !== undefined) said.push(String(c.value));
    if (c.change !== null && c.change !== undefined) said.push('change ' + (c.change > 0 ? '+' : '') + c.change);
    if (c.period) said.push('(' + c.period + ')');
    return said.join(' ');
  }

  // A row as the person decided it: its badge, and an edit's fields in its cells (changed cells marked).
  var rendered = new Map();  // each row's cells as the page was made
  function paint(row) {
    if (!rendered.has(row)) rendered.set(row, row.innerHTML);
    row.innerHTML = rendered.get(row);
    var decided = decisionOf(row);
    var kind = decided ? decided.decision : row.dataset.review;
    ['accepted', 'rejected', 'edited'].forEach(function (name) { row.classList.remove(name); });
    if (!kind) return;
    row.classList.add(kind === 'added' ? 'accepted' : kind);
    var badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = LABELS[kind] + (!decided && row.dataset.reviewer ? ' by ' + row.dataset.reviewer : '');
    row.querySelector('td.indicator').prepend(badge);
    if (!decided || decided.decision !== 'edited') return;
    var r = Object.assign(original(row), decided.fields);
    var cells = {value: shown(r.value), unit: shown(r.unit), period: shown(r.period),
                 comparisons: r.comparisons.map(comparisonText).join('; '),
                 target: r.target_met === null ? '' : (r.target_met ? 'met' : 'missed'), trend: shown(r.trend)};
    var touched = {value: 'value', unit: 'unit', period: 'period', comparisons: 'comparisons', target: 'target_met',
                   trend: 'trend'};
    Object.keys(cells).forEach(function (name) {
      var cell = row.querySelector('td.' + name);
      if (!cell) return;
      cell.textContent = cells[name];
      cell.classList.toggle('changed', touched[name] in decided.fields);
    });
    if ('indicator' in decided.fields || 'indicator_id' in decided.fields) {
      var indicator = row.querySelector('td.indicator');
      indicator.textContent = '';
      indicator.append(badge, r.indicator);
      if (r.indicator_id) {
        var canonical = document.createElement('span');
        canonical.className = 'canonical';
        canonical.title = r.indicator_id;
        canonical.textContent = names[r.indicator_id] || r.indicator_id;
        indicator.append(' ', canonical);
      }
      indicator.classList.add('changed');
    }
  }

  function count(section) {
    var rows = rowsOf(section);
    var judged = rows.filter(function (row) { return decisionOf(row) || row.dataset.review; }).length;
    var label = section.querySelector('h2 .judged');
    if (!label) {
      label = document.createElement('span');
      label.className = 'judged';
      section.querySelector('h2').append(label);
    }
    var added = states.get(section).added.length;
    label.textContent = judged + ' of ' + rows.length + ' judged' + (added ? ', ' + added + ' added' : '');
    label.classList.toggle('done', rows.length > 0 && judged === rows.length);
    return [judged, rows.length];
  }
  function countAll() {
    var judged = 0, total = 0;
    sections.forEach(function (section) { var c = count(section); judged += c[0]; total += c[1]; });
    document.getElementById('judged-total').textContent = judged + ' of ' + total + ' judged';
  }

  function addedList(section) {
    var state = states.get(section), box = section.querySelector('.added-list');
    if (!state.added.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('div');
      box.className = 'added-list';
      section.querySelector('.scroll').append(box);
    }
    box.innerHTML = '<h3>Added by you (not found by the extractor)</h3><ul></ul>';
    state.added.forEach(function (r, at) {
      var item = document.createElement('li'), remove = document.createElement('button');
      item.className = 'added';
      item.textContent = r.indicator + ': ' + shown(r.value) + ' ' + shown(r.unit) + ' ' + shown(r.period) + ' \u2014 \u201c'
        + r.evidence + '\u201d ';
      remove.textContent = 'remove';
      remove.addEventListener('click', function () {
        state.added.splice(at, 1); persist(section); addedList(section); countAll();
      });
      item.append(remove);
      box.querySelector('ul').append(item);
    });
  }

  function decide(row, decision, fields) {
    var section = row.closest('section'), state = states.get(section);
    if (decision === null) delete state.decisions[row.dataset.k];
    else state.decisions[row.dataset.k] = {decision: decision, record: original(row), fields: fields || {}};
    persist(section); paint(row); countAll();
  }
  function next(row) {
    var visible = Array.prototype.slice.call(document.querySelectorAll('tr.rec:not(.hidden)'));
    var following = visible[visible.indexOf(row) + 1];
    if (following) following.click();
  }

  // The form: one for edits and new records.
  var editor = document.createElement('div');
  editor.className = 'editor';
  editor.hidden = true;
  editor.setAttribute('role', 'dialog');
  document.body.append(editor);
  editor.addEventListener('keydown', function (event) {
    event.stopPropagation();  // typing j or k in a field never moves the selection
    if (event.key === 'Escape') { close(); event.preventDefault(); }
    if (event.key === 'Enter' && (event.target.tagName !== 'TEXTAREA' || event.ctrlKey)) { submit(); event.preventDefault(); }
  });
  var editing = null;

  function options(values, chosen, blank) {
    return (blank !== undefined ? '<option value="">' + blank + '</option>' : '') + values.map(function (v) {
      return '<option' + (v === chosen ? ' selected' : '') + '>' + v + '</option>';
    }).join('');
  }
  function field(name) { return editor.querySelector('[name=' + name + ']'); }
  function comparisonRow(c) {
    var line = document.createElement('div');
    line.className = 'cmp';
    line.innerHTML = '<select name="basis">' + options(KPI_REVIEW.bases, c.basis) + '</select>'
      + '<input name="cvalue" placeholder="value"><input name="cchange" placeholder="\u00b1 change">'
      + '<input name="cperiod" placeholder="period"><button type="button" title="remove">\u00d7</button>';
    line.querySelector('[name=cvalue]').value = shown(c.value);
    line.querySelector('[name=cchange]').value = shown(c.change);
    line.querySelector('[name=cperiod]').value = shown(c.period);
    line.querySelector('button').addEventListener('click', function () { line.remove(); });
    editor.querySelector('.cmps').append(line);
  }

  function open(record, target, numbers) {
    editing = {record: record, target: target};
    var isNew = target.row === undefined;
    editor.innerHTML = '<h3>' + (isNew ? 'New record from the selection' : 'Edit record') + '</h3><div class="grid">'
      + '<label>indicator</label><input name="indicator">'
      + '<label>indicator id</label><input name="indicator_id" list="kpi-ids" placeholder="none (no catalogue row)">'
      + '<label>value</label><div><input name="value" placeholder="none: status only"><div class="chips"></div></div>'
      + '<label>unit</label><select name="unit">' + options(KPI_REVIEW.units, record.unit, '(none)') + '</select>'
      + '<label>period</label><input name="period" placeholder="2023/24 Q2, 2024-03, ...">'
      + '<label>of</label><div class="pair"><input name="numerator" placeholder="numerator">'
      + '<input name="denominator" placeholder="denominator"></div>'
      + '<label>comparisons</label><div><div class="cmps"></div><button type="button" class="more">+ comparison</button></div>'
      + '<label>target</label><select name="target_met"><option value="">not stated</option><option value="true">met'
      + '</option><option value="false">missed</option></select>'
      + '<label>trend</label><select name="trend">' + options(['up', 'down', 'same'], record.trend, 'not stated') + '</select>'
      + '<label>suspect</label><div><input type="checkbox" name="suspect" style="width:auto"> impossible on its face</div>'
      + '<label>evidence</label><textarea name="evidence"></textarea></div>'
      + '<div class="problem"></div><div class="hint">Enter saves, Esc cancels</div>'
      + '<div class="actions"><button type="button" class="cancel">Cancel</button>'
      + '<button type="button" class="primary">Save</button></div>';
    ['indicator', 'indicator_id', 'value', 'period', 'numerator', 'denominator', 'evidence'].forEach(function (name) {
      field(name).value = shown(record[name]);
    });
    field('target_met').value = record.target_met === null || record.target_met === undefined ? '' : String(record.target_met);
    field('suspect').checked = !!record.suspect;
    (record.comparisons || []).forEach(comparisonRow);
    editor.querySelector('.more').addEventListener('click', function () { comparisonRow({basis: 'target'}); });
    editor.querySelector('.cancel').addEventListener('click', close);
    editor.querySelector('.primary').addEventListener('click', submit);
    (numbers || []).forEach(function (n) {
      var chip = document.createElement('button');
      chip.type = 'button';
      chip.textContent = n.text;
      chip.addEventListener('click', function () { field('value').value = n.value; field('unit').value = n.unit; });
      editor.querySelector('.chips').append(chip);
    });
    editor.hidden = false;
    field('indicator').focus();
  }
  function close() { editor.hidden = true; editing = null; }

  function number(text, name, problems) {
    var said = text.trim().replace(/,/g, '');
    if (said === '') return null;
    if (!/^-?\d+(\.\d+)?$/.test(said)) { problems.push(name + ' must be a number, not "' + text + '"'); return null; }
    return Number(said);
  }
  function read() {
    var problems = [], r = {};
    r.indicator = field('indicator').value.trim();
    r.indicator_id = field('indicator_id').value.trim() || null;
    r.value = number(field('value').value, 'value', problems);
    r.unit = field('unit').value || null;
    r.period = field('period').value.trim() || null;
    r.numerator = number(field('numerator').value, 'numerator', problems);
    r.denominator = number(field('denominator').value, 'denominator', problems);
    r.comparisons = Array.prototype.map.call(editor.querySelectorAll('.cmp'), function (line) {
      return {basis: line.querySelector('[name=basis]').value,
              value: number(line.querySelector('[name=cvalue]').value, 'a comparison value', problems),
              change: number(line.querySelector('[name=cchange]').value, 'a change', problems),
              period: line.querySelector('[name=cperiod]').value.trim() || null};
    });
    r.target_met = field('target_met').value === '' ? null : field('target_met').value === 'true';
    r.trend = field('trend').value || null;
    r.suspect = field('suspect').checked;
    r.evidence = field('evidence').value.replace(/\s+/g, ' ').trim();
    if (!r.indicator) problems.push('name the indicator');
    if (r.indicator_id && !(r.indicator_id in names)) problems.push(r.indicator_id + ' is not a catalogue id');
    if ((r.value === null) !== (r.unit === null)) problems.push('value and unit go together');
    if (!r.evidence) problems.push('evidence is the sentence that states the value');
    return [r, problems];
  }
  function submit() {
    var got = read(), r = got[0], problems = got[1];
    if (problems.length) { editor.querySelector('.problem').textContent = problems.join('; '); return; }
    var target = editing.target;
    if (target.row) {
      var was = original(target.row), fields = {};
      FIELDS.forEach(function (name) {
        if (JSON.stringify(r[name]) !== JSON.stringify(was[name] === undefined ? null : was[name])) fields[name] = r[name];
      });
      decide(target.row, Object.keys(fields).length ? 'edited' : 'accepted', fields);
      target.row.focus();
    } else {
      r.start = target.start; r.end = target.start + r.evidence.length;
      states.get(target.section).added.push(r);
      persist(target.section); addedList(target.section); countAll();
    }
    close();
  }

  // Numbers in a selection, each with the unit its wording suggests (numbers in words too, as records.md reads
  // them); dates and years come last.
  var WORDS = ['none', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
               'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
  function numbersIn(text) {
    var found = [], pattern = /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s*%|\s*per\s+10,?000)?/g, m;
    while ((m = pattern.exec(text)) !== null) {
      var value = Number((m[1] + (m[2] || '')).replace(/,/g, ''));
      var unit = !m[3] ? 'count' : (m[3].indexOf('%') >= 0 ? 'percent' : 'rate_per_10000');
      found.push({text: m[0].trim(), value: value, unit: unit, year: !m[3] && !m[2] && value >= 1990 && value <= 2099});
    }
    (text.toLowerCase().match(/[a-z]+/g) || []).forEach(function (word) {
      var at = WORDS.indexOf(word);
      if (at >= 0) found.push({text: word, value: at, unit: 'count', year: false});
    });
    return found.filter(function (n) { return !n.year; }).concat(found.filter(function (n) { return n.year; }));
  }
  function newFromSelection() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return false;
    var range = selection.getRangeAt(0), pane = range.startContainer.parentElement.closest('.text');
    if (!pane) return false;
    var before = document.createRange();
    before.setStart(pane, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var raw = selection.toString(), lead = raw.length - raw.replace(/^\s+/, '').length;
    var evidence = raw.replace(/\s+/g, ' ').trim(), numbers = numbersIn(evidence), first = numbers[0];
    var section = pane.closest('section');
    open({indicator: '', value: first ? first.value : null, unit: first ? first.unit : null,
          period: section.dataset.period || null, comparisons: [], suspect: false, evidence: evidence},
         {section: section, start: before.toString().length + lead}, numbers);
    return true;
  }

  var ids = document.createElement('datalist');
  ids.id = 'kpi-ids';
  KPI_REVIEW.catalogue.forEach(function (row) {
    var option = document.createElement('option');
    option.value = row[0];
    option.label = row[1];
    ids.append(option);
  });
  document.body.append(ids);

  document.addEventListener('keydown', function (event) {
    var t = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || (t.closest && t.closest('input, textarea, select'))) return;
    var row = document.querySelector('tr.rec.active');
    if (event.key === 'a' && row) { decide(row, 'accepted'); next(row); }
    else if (event.key === 'r' && row) { decide(row, 'rejected'); next(row); }
    else if (event.key === 'u' && row) decide(row, null);
    else if (event.key === 'e' && row) {
      var decided = decisionOf(row);
      open(Object.assign(original(row), decided && decided.fields), {row: row});
    } else if (event.key === 'n') { if (!newFromSelection()) return; }
    else return;
    event.preventDefault();
  });

  function corrections() {
    var documents = [];
    sections.forEach(function (section) {
      var state = states.get(section), rows = rowsOf(section), decisions = [];
      rows.forEach(function (row) {
        var decided = state.decisions[row.dataset.k];
        if (decided) {
          var one = {key: row.dataset.k, decision: decided.decision, record: decided.record};
          if (decided.decision === 'edited') one.fields = decided.fields;
          decisions.push(one);
        } else if (row.dataset.review) {  // reviewed in the store already: as stored, it is judged
          decisions.push({key: row.dataset.k, decision: 'accepted', record: original(row)});
        }
      });
      if (!decisions.length && !state.added.length) return;
      documents.push({document: section.dataset.doc, path: section.dataset.path || null, sha256: section.dataset.sha,
                      records: rows.length, decisions: decisions, added: state.added});
    });
    return {format: 'kpi-corrections/1', database: db, saved_at: new Date().toISOString(), documents: documents};
  }
  document.getElementById('save-corrections').addEventListener('click', function () {
    var blob = new Blob([JSON.stringify(corrections(), null, 2) + '\n'], {type: 'application/json'});
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'corrections.json';
    document.body.append(link);
    link.click();
    link.remove();
  });

  sections.forEach(function (section) {
    states.set(section, load(section));
    rowsOf(section).forEach(paint);
    addedList(section);
  });
  countAll();
})();
