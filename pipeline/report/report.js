// The overview page: filters over the embedded per-document aggregates, charts drawn with plotly.js.
// Every filter (province, year of issue, issuer, document) selects documents; each chart sums the
// aggregates of the selected documents again, so nothing here needs a server.
(() => {
  'use strict';
  const D = JSON.parse(document.getElementById('report-data').textContent);
  const W = D.words, docs = D.documents, nDocs = docs.id.length;
  const nf = new Intl.NumberFormat('vi-VN', {maximumFractionDigits: 2});
  const word = (i) => (i >= 0 ? W[i] : '');
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  const cut = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  const byId = (id) => document.getElementById(id);
  const collator = new Intl.Collator('vi');
  const CONFIG = {displaylogo: false, responsive: true, displayModeBar: false};  // drag zooms, double-click resets
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf',
    '#bcbd22', '#7f7f7f', '#393b79', '#637939'];
  const OTHER = '#b8bec8';
  const FAMILY_COLOURS = ['#1f77b4', '#2ca02c', '#d62728', '#9aa5b4'];
  const LIST_ROWS = 100;

  const layout = (extra) => Object.assign({
    separators: ',.', font: {family: 'DejaVu Sans, Noto Sans, Arial, sans-serif', size: 12, color: '#1d2430'},
    margin: {l: 64, r: 16, t: 24, b: 40}, legend: {orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: {size: 11}},
    paper_bgcolor: '#fff', plot_bgcolor: '#fff', hoverlabel: {namelength: -1},
  }, extra);

  // -- filters -----------------------------------------------------------------------------------
  const F = {province: -1, year: -1, issuer: -1, doc: -1, step: 'q'};
  const HASH_KEYS = {province: 'tinh', year: 'nam', issuer: 'coquan', doc: 'vanban', step: 'buoc'};
  const docOk = new Uint8Array(nDocs);

  const distinct = (values) => [...new Set(values)];
  function fillSelect(select, items, allLabel, value) {
    select.innerHTML = `<option value="-1">${esc(allLabel)}</option>` +
      items.map(([v, text]) => `<option value="${v}">${esc(text)}</option>`).join('');
    select.value = String(value);
    if (select.value !== String(value)) select.value = '-1';
  }
  const named = (codes) => distinct(codes).filter((c) => c >= 0).map((c) => [c, word(c)])
    .sort((a, b) => collator.compare(a[1], b[1]));

  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const find = (key, values) => values.find((v) => word(v) === params.get(HASH_KEYS[key]));
    if (params.has('tinh')) F.province = find('province', docs.province) ?? -1;
    if (params.has('coquan')) F.issuer = find('issuer', docs.issuer) ?? -1;
    if (params.has('nam')) F.year = Number(params.get('nam')) || 0;
    if (params.has('vanban')) F.doc = docs.id.indexOf(params.get('vanban'));
    if (params.get('buoc') === 'thang') F.step = 'm';
  }
  function writeHash() {
    const params = new URLSearchParams();
    if (F.province >= 0) params.set('tinh', word(F.province));
    if (F.year >= 0) params.set('nam', String(F.year));
    if (F.issuer >= 0) params.set('coquan', word(F.issuer));
    if (F.doc >= 0) params.set('vanban', docs.id[F.doc]);
    if (F.step === 'm') params.set('buoc', 'thang');
    history.replaceState(null, '', params.toString() ? '#' + params.toString() : location.pathname + location.search);
  }

  function selectDocuments() {
    let n = 0;
    for (let i = 0; i < nDocs; i++) {
      const ok = (F.province < 0 || docs.province[i] === F.province) && (F.year < 0 || docs.year[i] === F.year) &&
        (F.issuer < 0 || docs.issuer[i] === F.issuer) && (F.doc < 0 || i === F.doc);
      docOk[i] = ok ? 1 : 0;
      n += docOk[i];
    }
    return n;
  }

  function buildFilters() {
    fillSelect(byId('f-province'), named(docs.province), 'Tất cả tỉnh/thành', F.province);
    const years = distinct(docs.year).sort((a, b) => b - a).map((y) => [y, y ? String(y) : 'không rõ năm']);
    fillSelect(byId('f-year'), years, 'Mọi năm ban hành', F.year);
    fillSelect(byId('f-issuer'), named(docs.issuer), 'Mọi cơ quan ban hành', F.issuer);
    byId('f-step').value = F.step;
    fillDocuments();
  }
  function fillDocuments() {
    // The document list offers the documents the other filters leave.
    const items = [];
    for (let i = 0; i < nDocs; i++) {
      if ((F.province < 0 || docs.province[i] === F.province) && (F.year < 0 || docs.year[i] === F.year) &&
          (F.issuer < 0 || docs.issuer[i] === F.issuer)) {
        items.push([i, `${docs.label[i]} · ${word(docs.province[i])} · ${cut(docs.title[i], 60)}`]);
      }
    }
    fillSelect(byId('f-doc'), items, `Mọi văn bản (${nf.format(items.length)})`, F.doc);
    F.doc = Number(byId('f-doc').value);
  }

  // -- helpers --------------------------------------------------------------------------------------
  const docLink = (d, anchor, text) =>
    `<a href="van-ban/${docs.id[d]}.html${anchor ? '#' + anchor : ''}" title="${esc(docs.file[d])}">${esc(text)}</a>`;
  function countBy(map, key, n) { map.set(key, (map.get(key) || 0) + n); }
  function topKeys(map, n) { return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map((e) => e[0]); }
  const vnd = (amount) => `${nf.format(amount)} đồng`;
  const billions = (amount) => `${nf.format(amount / 1e9)} tỷ đồng`;
  const day = (iso) => (iso.length >= 10 ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso);

  function draw(id, traces, extra, emptyText) {
    const div = byId(id);
    const points = traces.reduce((sum, t) => sum + (t.type === 'heatmap'
      ? t.z.flat().filter((v) => v).length
      : ((t.orientation === 'h' ? t.x : t.y) || []).filter((v) => v !== null && v !== 0).length), 0);
    div.dataset.points = String(points);
    const empty = points === 0;
    const annotations = empty ? [{text: emptyText || 'Không có dữ liệu cho bộ lọc này', showarrow: false,
      xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, font: {size: 14, color: '#5b6573'}}] : [];
    const look = layout(Object.assign({annotations}, extra));
    if (empty) Object.assign(look, {xaxis: {visible: false}, yaxis: {visible: false}, height: 200});
    Plotly.react(div, empty ? [] : traces, look, CONFIG);
  }

  function stackedBars(rows, nameOf, topN, xLabels) {
    // rows: [group, x, n] → one trace per top group (others summed), x sorted.
    const totals = new Map(), xs = new Set();
    for (const [g, x, n] of rows) { countBy(totals, g, n); xs.add(x); }
    const top = topKeys(totals, topN), topSet = new Set(top);
    const xOrder = [...xs].sort((a, b) => a - b);
    const col = new Map(xOrder.map((x, i) => [x, i]));
    const series = new Map(top.map((g) => [g, new Array(xOrder.length).fill(0)]));
    const rest = new Array(xOrder.length).fill(0);
    for (const [g, x, n] of rows) (topSet.has(g) ? series.get(g) : rest)[col.get(x)] += n;
    const x = xOrder.map(xLabels);
    const traces = top.map((g, i) => ({type: 'bar', name: cut(nameOf(g), 48), x, y: series.get(g),
      marker: {color: PALETTE[i % PALETTE.length]}, hovertemplate: `${esc(nameOf(g))}<br>%{x}: %{y} nhiệm vụ<extra></extra>`}));
    if (rest.some((v) => v)) traces.push({type: 'bar', name: 'Khác', x, y: rest, marker: {color: OTHER},
      hovertemplate: 'Khác<br>%{x}: %{y} nhiệm vụ<extra></extra>'});
    return traces;
  }

  function table(id, head, rows, total, note) {
    const shown = rows.slice(0, LIST_ROWS);
    const more = total > shown.length ? `<p class="more">Hiển thị ${nf.format(shown.length)} / ${nf.format(total)} dòng${note ? '; ' + note : ''}.</p>` : '';
    byId(id).innerHTML = shown.length
      ? `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>` +
        shown.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') + `</tbody></table>${more}`
      : '<p class="empty">Không có dòng nào cho bộ lọc này.</p>';
    byId(id).dataset.rows = String(shown.length);
  }

  // -- sections ---------------------------------------------------------------------------------------
  const monthLabel = (m) => `T${(m % 12) + 1}/${Math.floor(m / 12)}`;
  const quarterLabel = (q) => `${['I', 'II', 'III', 'IV'][q % 4]}/${Math.floor(q / 4)}`;

  function targets() {
    const T = D.targets, n = T.doc.length;
    const cells = new Map(), famRows = [], rows = [];
    let count = 0;
    for (let r = 0; r < n; r++) {
      const d = T.doc[r];
      if (!docOk[d]) continue;
      count++;
      countBy(cells, `${docs.province[d]}|${T.year[r]}`, 1);
      famRows.push([T.family[r], T.year[r], 1]);
      if (rows.length < LIST_ROWS) {
        const value = [D.comparator_words[T.cmp[r]], T.value[r] === null ? '—' : nf.format(T.value[r]), esc(word(T.unit[r]))]
          .filter((part) => part).join(' ');
        rows.push([esc(word(T.indicator[r])), value, T.year[r] || '—', docLink(d, '', docs.label[d]),
          docLink(d, `muc-tieu-${T.k[r]}`, 'câu nguồn ›')]);
      }
    }
    // By province and target year: a heat map of how many targets.
    const provinces = distinct([...cells.keys()].map((k) => Number(k.split('|')[0])))
      .sort((a, b) => collator.compare(word(a), word(b)));
    const years = distinct([...cells.keys()].map((k) => Number(k.split('|')[1]))).sort((a, b) => a - b);
    const z = provinces.map((p) => years.map((y) => cells.get(`${p}|${y}`) || 0));
    draw('chart-targets-province', [{type: 'heatmap', z, x: years.map((y) => (y ? String(y) : 'không rõ')),
      y: provinces.map((p) => word(p) || 'không rõ tỉnh'), colorscale: [[0, '#eef3fa'], [0.5, '#6f9bd1'], [1, '#1f3a5f']], xgap: 2, ygap: 2,
      hovertemplate: '%{y}, năm %{x}: %{z} chỉ tiêu<extra></extra>', colorbar: {title: {text: 'chỉ tiêu'}}}],
    {xaxis: {type: 'category', automargin: true, title: {text: 'Năm của chỉ tiêu'}}, yaxis: {automargin: true},
      height: Math.max(260, 60 + 26 * provinces.length)});
    // By unit family and year.
    const fam = stackedBars(famRows, (f) => D.families[f], 4, (y) => (y ? String(y) : 'không rõ'));
    for (const t of fam) {
      const f = D.families.indexOf(t.name);
      if (f >= 0) t.marker.color = FAMILY_COLOURS[f];
      t.hovertemplate = t.hovertemplate.replace('nhiệm vụ', 'chỉ tiêu');
    }
    draw('chart-targets-unit', fam, {barmode: 'stack',
      xaxis: {type: 'category', automargin: true, title: {text: 'Năm của chỉ tiêu'}},
      yaxis: {title: {text: 'Số chỉ tiêu'}}});
    table('list-targets', ['Chỉ tiêu', 'Giá trị', 'Năm', 'Văn bản', 'Nguồn'], rows, count,
      'mỗi văn bản có trang riêng với đủ các chỉ tiêu');
    byId('kpi-targets').textContent = nf.format(count);
    compare();
  }

  function compare() {
    const T = D.targets, series = [];
    for (const {name, rows} of D.compare) {
      const kept = rows.filter((r) => docOk[T.doc[r]]);
      if (distinct(kept.map((r) => docs.year[T.doc[r]])).length >= 2) series.push({name, rows: kept});
    }
    series.sort((a, b) => b.rows.length - a.rows.length);
    // One point per plan year: the plan's value, or the mean when several plans of that year set one.
    const traces = series.slice(0, 8).map(({name: indicator, rows}, i) => {
      const first = rows[0], d0 = T.doc[first], unit = word(T.unit[first]);
      const name = `${word(docs.province[d0])} · ${word(indicator)} (${unit})`;
      const byYear = new Map();
      for (const r of rows) {
        const y = docs.year[T.doc[r]];
        if (!byYear.has(y)) byYear.set(y, []);
        byYear.get(y).push(r);
      }
      const years = [...byYear.keys()].sort((a, b) => a - b);
      const mean = (rs) => rs.reduce((sum, r) => sum + T.value[r], 0) / rs.length;
      const says = (rs) => (rs.length === 1
        ? `${docs.label[T.doc[rs[0]]]}: ${nf.format(T.value[rs[0]])} ${unit}${T.year[rs[0]] ? ` vào năm ${T.year[rs[0]]}` : ''}`
        : `trung bình ${rs.length} kế hoạch: ${nf.format(mean(rs))} ${unit}`);
      return {type: 'scatter', mode: 'lines+markers', name: cut(name, 70), x: years,
        y: years.map((y) => mean(byYear.get(y))), marker: {size: 9, color: PALETTE[i % PALETTE.length]},
        line: {color: PALETTE[i % PALETTE.length]}, text: years.map((y) => says(byYear.get(y))),
        hovertemplate: `${esc(name)}<br>kế hoạch năm %{x}<br>%{text}<extra></extra>`};
    });
    draw('chart-targets-compare', traces, {showlegend: true, xaxis: {title: {text: 'Năm ban hành kế hoạch'}, dtick: 1, tickformat: 'd'},
      yaxis: {title: {text: 'Giá trị chỉ tiêu'}}, legend: {orientation: 'v', x: 0, y: 1.02, yanchor: 'bottom', font: {size: 11}},
      height: 300 + 18 * traces.length},
    'Không có chỉ tiêu nào lặp lại giữa các kế hoạch của cùng một tỉnh qua các năm');
    byId('compare-count').textContent = nf.format(series.length);
  }

  function deadlines() {
    const T = D.timeline, byAgency = [], byProvince = [];
    const bucket = F.step === 'm' ? (m) => m : (m) => Math.floor(m / 12) * 4 + Math.floor((m % 12) / 3);
    const label = F.step === 'm' ? monthLabel : quarterLabel;
    for (let r = 0; r < T.doc.length; r++) {
      const d = T.doc[r];
      if (!docOk[d]) continue;
      byAgency.push([T.lead[r], bucket(T.month[r]), T.n[r]]);
      byProvince.push([docs.province[d], bucket(T.month[r]), T.n[r]]);
    }
    const axis = {xaxis: {type: 'category', automargin: true, title: {text: F.step === 'm' ? 'Tháng đến hạn' : 'Quý đến hạn'}},
      yaxis: {title: {text: 'Số nhiệm vụ'}}, barmode: 'stack', height: 420};
    draw('chart-deadlines-agency', stackedBars(byAgency, (a) => word(a), 8, label), axis);
    draw('chart-deadlines-province', stackedBars(byProvince, (p) => word(p) || 'không rõ tỉnh', 10, label), axis);

    const due = D.due, dueRows = [];
    let dueCount = 0;
    for (let r = 0; r < due.doc.length; r++) {
      const d = due.doc[r];
      if (!docOk[d]) continue;
      dueCount++;
      dueRows.push([day(due.end[r]), docLink(d, `nhiem-vu-${due.k[r]}`, due.text[r]), esc(word(due.lead[r])),
        esc(word(due.when[r])), docLink(d, '', docs.label[d])]);
    }
    const capped = due.total > due.doc.length ? ` (trang chỉ mang ${nf.format(due.doc.length)} nhiệm vụ sớm nhất)` : '';
    table('list-due', ['Hạn', 'Nhiệm vụ', 'Chủ trì', 'Thời hạn ghi trong văn bản', 'Văn bản'], dueRows, dueCount, '');
    byId('kpi-due').textContent = nf.format(dueCount);
    byId('due-count').textContent = nf.format(dueCount) + capped;

    const C = D.recurring_counts, perAgency = new Map();
    for (let r = 0; r < C.doc.length; r++) {
      if (!docOk[C.doc[r]]) continue;
      const row = perAgency.get(C.lead[r]) || [0, 0];
      row[C.annual[r] ? 0 : 1] += C.n[r];
      perAgency.set(C.lead[r], row);
    }
    const agencyRows = [...perAgency.entries()].sort((a, b) => (b[1][0] + b[1][1]) - (a[1][0] + a[1][1]))
      .map(([a, [annual, continuous]]) => [esc(word(a)), nf.format(annual), nf.format(continuous)]);
    table('list-recurring-agencies', ['Cơ quan chủ trì', 'Hằng năm', 'Thường xuyên'], agencyRows, agencyRows.length, '');
    const R = D.recurring, recRows = [];
    let recCount = 0;
    for (let r = 0; r < R.doc.length; r++) {
      const d = R.doc[r];
      if (!docOk[d]) continue;
      recCount++;
      recRows.push([docLink(d, `nhiem-vu-${R.k[r]}`, R.text[r]), esc(word(R.lead[r])),
        R.rec[r] ? 'hằng năm' : 'thường xuyên', esc(word(R.when[r])), docLink(d, '', docs.label[d])]);
    }
    table('list-recurring', ['Nhiệm vụ', 'Chủ trì', 'Tính chất', 'Thời hạn ghi trong văn bản', 'Văn bản'], recRows, recCount, '');
  }

  function agencies() {
    const A = D.agencies, lead = new Map(), coop = new Map(), inDocs = new Map();
    for (let r = 0; r < A.doc.length; r++) {
      if (!docOk[A.doc[r]]) continue;
      countBy(A.role[r] ? coop : lead, A.agency[r], A.n[r]);
      if (!inDocs.has(A.agency[r])) inDocs.set(A.agency[r], new Set());
      inDocs.get(A.agency[r]).add(A.doc[r]);
    }
    const all = new Map();
    for (const [a, n] of lead) countBy(all, a, n);
    for (const [a, n] of coop) countBy(all, a, n);
    const top = topKeys(all, 15).reverse();
    const y = top.map((a) => cut(word(a), 55));
    const docsOf = top.map((a) => inDocs.get(a).size);
    draw('chart-agencies', [
      {type: 'bar', orientation: 'h', name: 'Chủ trì', y, x: top.map((a) => lead.get(a) || 0), customdata: docsOf,
        marker: {color: '#1f3a5f'}, hovertemplate: '%{y}<br>chủ trì %{x} nhiệm vụ (trong %{customdata} văn bản)<extra></extra>'},
      {type: 'bar', orientation: 'h', name: 'Phối hợp', y, x: top.map((a) => coop.get(a) || 0), customdata: docsOf,
        marker: {color: '#7fa7d9'}, hovertemplate: '%{y}<br>phối hợp %{x} nhiệm vụ (trong %{customdata} văn bản)<extra></extra>'},
    ], {barmode: 'stack',
      xaxis: {title: {text: 'Số nhiệm vụ'}}, yaxis: {automargin: true, type: 'category'},
      margin: {l: 16, r: 16, t: 16, b: 40}, height: 160 + 24 * top.length});
    byId('kpi-agencies').textContent = nf.format(all.size);
  }

  function budgets() {
    const B = D.budgets, totals = new Map(), parts = new Map(), bySource = new Map();
    for (let r = 0; r < B.doc.length; r++) {
      const d = B.doc[r];
      if (!docOk[d]) continue;
      if (B.total[r]) countBy(totals, d, B.amount[r]);
      else {
        if (!parts.has(d)) parts.set(d, new Map());
        countBy(parts.get(d), B.source[r], B.amount[r]);
        countBy(bySource, B.source[r], B.amount[r]);
      }
    }
    const planTotal = new Map();
    for (const d of new Set([...totals.keys(), ...parts.keys()])) {
      planTotal.set(d, totals.get(d) ?? [...parts.get(d).values()].reduce((s, v) => s + v, 0));
    }
    const plans = topKeys(planTotal, 15);
    const x = plans.map((d) => `${cut(docs.label[d], 22)} (${word(docs.province[d])})`);
    const sources = topKeys(bySource, 6);
    const sourceName = (s) => (s >= 0 ? word(s) : 'không rõ nguồn');
    const traces = sources.map((s, i) => ({type: 'bar', name: cut(sourceName(s), 40), x,
      y: plans.map((d) => (parts.get(d)?.get(s) || 0) / 1e9),
      text: plans.map((d) => vnd(parts.get(d)?.get(s) || 0)), marker: {color: PALETTE[(i + 2) % PALETTE.length]},
      hovertemplate: `${esc(sourceName(s))}<br>%{x}<br>%{text}<extra></extra>`, textposition: 'none'}));
    const restOf = (d) => [...(parts.get(d)?.entries() || [])].filter(([s]) => !sources.includes(s))
      .reduce((sum, [, v]) => sum + v, 0);
    if (plans.some((d) => restOf(d))) {
      traces.push({type: 'bar', name: 'Nguồn khác', x, y: plans.map((d) => restOf(d) / 1e9), marker: {color: OTHER},
        text: plans.map((d) => vnd(restOf(d))), hovertemplate: 'Nguồn khác<br>%{x}<br>%{text}<extra></extra>', textposition: 'none'});
    }
    traces.push({type: 'scatter', mode: 'markers', name: 'Tổng kinh phí của kế hoạch', x,
      y: plans.map((d) => planTotal.get(d) / 1e9), text: plans.map((d) => vnd(planTotal.get(d))),
      marker: {symbol: 'diamond', size: 12, color: '#1d2430'}, hovertemplate: 'Tổng<br>%{x}<br>%{text}<extra></extra>'});
    draw('chart-budgets-plan', traces, {barmode: 'stack', yaxis: {title: {text: 'tỷ đồng'}},
      xaxis: {type: 'category', tickangle: -30, automargin: true}, height: 420});
    const sourceKeys = topKeys(bySource, 12);
    draw('chart-budgets-source', [{type: 'bar', x: sourceKeys.map((s) => cut(sourceName(s), 36)),
      y: sourceKeys.map((s) => bySource.get(s) / 1e9), text: sourceKeys.map((s) => vnd(bySource.get(s))),
      textposition: 'none', marker: {color: '#2ca02c'}, hovertemplate: '%{x}<br>%{text}<extra></extra>'}],
    {yaxis: {title: {text: 'tỷ đồng'}}, xaxis: {type: 'category', automargin: true}, height: 340},
    'Không có khoản kinh phí thành phần nào ghi nguồn');
    const sum = [...planTotal.values()].reduce((s, v) => s + v, 0);
    byId('kpi-budget').textContent = billions(sum);
    byId('kpi-budget').title = vnd(sum);
    const rows = [...planTotal.entries()].sort((a, b) => b[1] - a[1]).map(([d, v]) =>
      [docLink(d, 'kinh-phi', docs.label[d]), esc(word(docs.province[d])), vnd(v),
        [...(parts.get(d)?.entries() || [])].map(([s, a]) => `${esc(sourceName(s))}: ${vnd(a)}`).join('<br>') || '—']);
    table('list-budgets', ['Kế hoạch', 'Tỉnh/thành', 'Tổng kinh phí', 'Thành phần theo nguồn'], rows, rows.length, '');
  }

  function quality() {
    const labels = [...D.origins, 'Đã khôi phục dấu tiếng Việt', 'Có cảnh báo cần xem lại'];
    const counts = new Array(labels.length).fill(0), rows = [];
    let listed = 0;
    for (let d = 0; d < nDocs; d++) {
      if (!docOk[d]) continue;
      counts[docs.origin[d]]++;
      if (docs.restored[d]) counts[4]++;
      if (docs.warnings[d]) counts[5]++;
      if (docs.restored[d] || docs.warnings[d] || docs.origin[d] === 1 || docs.origin[d] === 3) {
        listed++;
        rows.push([docLink(d, '', docs.label[d]), esc(docs.file[d]), esc(labels[docs.origin[d]]),
          docs.restored[d] ? 'có' : 'không', docs.warnings[d] ? nf.format(docs.warnings[d]) : '0']);
      }
    }
    draw('chart-quality', [{type: 'bar', x: labels, y: counts, text: counts.map((c) => nf.format(c)),
      textposition: 'outside', marker: {color: ['#2ca02c', '#ff7f0e', '#17becf', '#bcbd22', '#9467bd', '#d62728']},
      hovertemplate: '%{x}: %{y} văn bản<extra></extra>'}],
    {yaxis: {title: {text: 'Số văn bản'}}, xaxis: {type: 'category', automargin: true}, height: 340});
    table('list-quality', ['Văn bản', 'Tệp', 'Nguồn chữ', 'Khôi phục dấu', 'Cảnh báo'], rows, listed, '');
  }

  function render() {
    const began = performance.now();
    const n = selectDocuments();
    byId('kpi-docs').textContent = nf.format(n);
    targets();
    agencies();
    let tasks = 0;
    for (let d = 0; d < nDocs; d++) if (docOk[d]) tasks += docs.tasks[d];
    byId('kpi-tasks').textContent = nf.format(tasks);
    deadlines();
    budgets();
    quality();
    document.body.dataset.renderMs = String(Math.round(performance.now() - began));
    document.body.dataset.documents = String(n);
  }

  function onFilter(key, value) {
    F[key] = key === 'step' ? value : Number(value);
    if (key !== 'doc' && key !== 'step') { F.doc = -1; fillDocuments(); }
    writeHash();
    render();
  }

  readHash();
  buildFilters();
  for (const [id, key] of [['f-province', 'province'], ['f-year', 'year'], ['f-issuer', 'issuer'], ['f-doc', 'doc'], ['f-step', 'step']]) {
    byId(id).addEventListener('change', (e) => onFilter(key, e.target.value));
  }
  byId('f-reset').addEventListener('click', () => {
    Object.assign(F, {province: -1, year: -1, issuer: -1, doc: -1});
    buildFilters(); writeHash(); render();
  });
  render();
  // Milliseconds from navigation start until every chart is drawn (the bench reads it).
  document.body.dataset.readyMs = String(Math.round(performance.now()));
})();
