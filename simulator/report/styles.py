"""The report's inline style sheet: page layout, chat bubbles, markers, coverage and legend."""

from __future__ import annotations

CSS = """
:root{--bg:#f6f7f9;--fg:#1f2328;--muted:#6b7280;--line:#d0d7de;--axis:#94a3b8;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--skip:#6e7781;--skip-bg:#eaeef2;
--warn:#9a6700;--warn-bg:#fff8c5;--warn-line:#d4a72c}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
code,pre,time,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
a{color:#0969da}
header.summary{background:#fff;border-bottom:1px solid var(--line);padding:16px 24px}
header.summary h1{font-size:20px;margin:0 0 8px}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 8px;padding:0;list-style:none}
.count{border-radius:12px;padding:2px 10px;background:var(--skip-bg)}
.count.passed,.badge.passed,.badge.xfailed{background:var(--pass-bg);color:var(--pass)}
.count.failed,.count.error,.badge.failed,.badge.error,.badge.xpassed{background:var(--fail-bg);color:var(--fail)}
.count.warnings{background:var(--warn-bg);color:var(--warn)}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;text-transform:uppercase;background:var(--skip-bg);color:var(--skip)}
table.index{border-collapse:collapse;width:100%;margin-top:8px}
table.index td,table.index th{border-top:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
table.index th{font-weight:600;color:var(--muted)}
.toggle{margin:12px 0 0 24px}
main{padding:0 24px 40px}
section.scenario{background:#fff;border:1px solid var(--line);border-left:6px solid var(--skip);border-radius:6px;margin:16px 0;padding:12px 16px}
section.scenario.passed,section.scenario.xfailed{border-left-color:var(--pass)}
section.scenario.failed,section.scenario.error,section.scenario.xpassed{border-left-color:var(--fail)}
section.scenario h2{font-size:17px;margin:0 0 4px}
.meta{color:var(--muted);margin:0 0 6px;overflow-wrap:anywhere}
.tag{display:inline-block;background:#ddf4ff;color:#0550ae;border-radius:10px;padding:0 8px;margin-right:4px;font-size:12px}
.failure{background:var(--fail-bg);border:1px solid #ffcecb;border-radius:6px;padding:8px 10px;margin:8px 0}
.failure .failure-message{color:var(--fail);font-weight:600}
.skip-reason{color:var(--muted)}
details summary{cursor:pointer;color:var(--muted)}
ol.steps{list-style:none;padding:0;margin:8px 0}
li.step{display:flex;gap:8px;align-items:baseline;padding:2px 0;flex-wrap:wrap}
li.step .status{flex:0 0 5.5em;font-size:11px;font-weight:600;text-transform:uppercase}
li.step.passed .status{color:var(--pass)}
li.step.failed{background:var(--fail-bg)}
li.step.failed .status{color:var(--fail)}
li.step.not-run{color:var(--muted)}
li.step .kw{font-weight:600}
li.step .where{color:var(--muted);font-size:12px}
li.step .step-arg,li.step .step-error{flex:1 1 100%;min-width:0;padding-left:6.2em}
li.step .step-error{color:var(--fail)}
table.datatable{border-collapse:collapse}
table.datatable td{border:1px solid var(--line);padding:1px 6px}
.chat{border:1px solid var(--line);border-radius:6px;margin:12px 0;background:#fcfcfd}
.chat h3{font-size:14px;margin:0;padding:6px 10px;border-bottom:1px solid var(--line);background:#f6f8fa}
.legend{display:flex;flex-wrap:wrap;gap:6px;padding:6px 10px;margin:0;list-style:none}
.chip{border-radius:10px;padding:0 8px;font-size:12px;border:1px solid var(--pc-line,var(--line));background:var(--pc-bg,#fff);color:var(--pc-fg,var(--fg))}
ol.timeline{list-style:none;margin:0;padding:4px 0 10px}
ol.timeline>li{display:grid;grid-template-columns:9.5em 1fr;align-items:start;min-height:22px}
ol.timeline>li>time{grid-column:1;text-align:right;padding:3px 12px 0 0;color:var(--muted);border-right:2px solid var(--axis);align-self:stretch;position:relative}
ol.timeline>li>time::after{content:"";position:absolute;right:-5px;top:8px;width:8px;height:8px;border-radius:50%;background:var(--axis)}
ol.timeline>li>.body{grid-column:2;padding:2px 12px;display:flex}
.bubble{max-width:72%;border-radius:12px;padding:5px 10px;margin:2px 0;border:1px solid var(--pc-line,var(--line));background:var(--pc-bg,#fff);color:var(--pc-fg,var(--fg))}
.bubble .who{display:block;font-size:11px;font-weight:600;opacity:.85}
.bubble .text{white-space:pre-wrap;word-break:break-word}
.bubble .note{display:block;font-size:11px;opacity:.8;font-style:italic}
.bubble.consumer{margin-left:auto;background:#334155;color:#fff;border-color:#334155;border-bottom-right-radius:3px}
.bubble.bot,.bubble.agent{border-bottom-left-radius:3px}
.bubble.agent{border-width:2px;border-style:double}
.bubble.system{margin:2px auto;background:#f1f5f9;border:1px dashed var(--axis);color:#334155;border-radius:6px;font-style:italic}
.bubble.late{outline:3px solid var(--warn-line);outline-offset:1px}
.rich{margin-top:4px}
.choices{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px}
.choices li{font-size:12px;padding:2px 9px;border:1px solid #64748b;background:#fff;color:#1e293b}
.choices.quick-replies li{border-radius:12px}
.choices.buttons li{border-radius:4px;font-weight:600}
.choices li.link{text-decoration:underline}
.choices .sends{font-weight:400;opacity:.7}
.carousel{display:flex;gap:6px;overflow-x:auto;padding-bottom:3px}
.card{border:1px solid var(--line);border-radius:8px;padding:5px 8px;background:#f8fafc;min-width:150px}
.card .card-title{font-weight:600;display:block}
.card .card-subtitle,.card .card-text{display:block;font-size:12px}
.card .image{display:block;font-size:11px;word-break:break-all}
.sms{white-space:pre-wrap;font-family:inherit;margin:4px 0 0;border-left:3px solid #94a3b8;padding-left:6px}
.bubble.late .note{color:var(--warn);font-style:normal;font-weight:600;opacity:1}
.marker{flex:1;display:flex;align-items:center;gap:8px;color:#334155;font-size:12.5px}
.marker::before,.marker::after{content:"";flex:1;border-top:1px dashed var(--axis)}
.marker .label{max-width:80%;text-align:center}
.marker.transfer{color:#0550ae;font-weight:600}
.marker.transfer::before,.marker.transfer::after{border-top:2px solid #54aeff}
.marker.queue{color:#8250df;font-weight:600}
.marker.queue::before,.marker.queue::after{border-top:2px dotted #c297ff}
.marker.conversation{color:var(--muted)}
.event{font-size:12.5px;color:var(--muted);padding:1px 0}
.event .kind{font-size:10.5px;text-transform:uppercase;letter-spacing:.03em;margin-right:6px}
.alert{flex:1;background:var(--warn-bg);border:1px solid var(--warn-line);border-radius:6px;padding:3px 8px;color:var(--warn)}
.alert.error,.alert.fault{background:var(--fail-bg);border-color:#ff8182;color:var(--fail)}
.alert .kind{font-weight:700}
li.row-gap>.body{color:var(--muted);font-size:11.5px;font-style:italic}
li.row-gap>time{border-right-style:dotted}
li.row-gap>time::after{display:none}
#show-internal:not(:checked)~main .internal{display:none}
.empty{color:var(--muted);font-style:italic}
.p0{--pc-bg:#dbeafe;--pc-fg:#1e3a8a;--pc-line:#93c5fd}
.p1{--pc-bg:#dcfce7;--pc-fg:#14532d;--pc-line:#86efac}
.p2{--pc-bg:#fef3c7;--pc-fg:#78350f;--pc-line:#fcd34d}
.p3{--pc-bg:#f3e8ff;--pc-fg:#581c87;--pc-line:#d8b4fe}
.p4{--pc-bg:#ffe4e6;--pc-fg:#881337;--pc-line:#fda4af}
.p5{--pc-bg:#cffafe;--pc-fg:#164e63;--pc-line:#67e8f9}
.p6{--pc-bg:#ecfccb;--pc-fg:#365314;--pc-line:#bef264}
.p7{--pc-bg:#fae8ff;--pc-fg:#701a75;--pc-line:#f0abfc}
"""


EXTRA_CSS = """
.marker.transfer.failed{color:var(--fail)}
.marker.transfer.failed::before,.marker.transfer.failed::after{border-top:2px dashed #ff8182}
.event.fault.injected{color:#8250df}
.event.fault.injected .kind{font-weight:700}
a.tag.rule{text-decoration:none}
section.coverage,section.rules-legend{background:#fff;border:1px solid var(--line);border-radius:6px;margin:16px 0;padding:12px 16px}
section.coverage h2,section.rules-legend h2{font-size:17px;margin:0 0 8px}
table.coverage{border-collapse:collapse;width:100%;margin:4px 0 12px}
table.coverage td,table.coverage th{border-top:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
.cov-item{display:inline-block;border-radius:4px;padding:0 6px;margin:1px 3px 1px 0;font-size:12px}
.cov-item.covered{background:var(--pass-bg);color:var(--pass)}
.cov-item.uncovered{background:var(--fail-bg);color:var(--fail);font-weight:600}
.cov-figure.low{color:var(--fail);font-weight:600}
dl.rules{display:grid;grid-template-columns:4em 1fr;gap:2px 8px;margin:0}
dl.rules dt{font-weight:700}
dl.rules .untouched{color:var(--muted)}
"""
