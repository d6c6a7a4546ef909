"""Scripted JSON-RPC sessions with `camp lsp`, one check per capability.

Every figure is the hand arithmetic written at the top of examples/single_channel.camp (and
repeated next to each check), never the program's own output.
usage: test_protocol.py CAMP EXAMPLES_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, position_of, uri_of  # noqa: E402

camp, examples, work = sys.argv[1:4]
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}" + (f"\n  got: {detail}" if detail else ""))


def hover_text(c, uri, text, needle, offset=0, occurrence=1):
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position_of(text, needle, offset, occurrence)})
    return r["contents"]["value"] if r else ""


shutil.rmtree(work, ignore_errors=True)
shutil.copytree(examples, os.path.join(work, "examples"))
ex = os.path.join(work, "examples")
single = os.path.join(ex, "single_channel.camp")

c = Client(camp)
init = c.initialize(ex)
caps = init["capabilities"]
for cap in ["hoverProvider", "definitionProvider", "referencesProvider", "renameProvider", "documentSymbolProvider",
            "completionProvider", "documentFormattingProvider", "semanticTokensProvider", "inlayHintProvider",
            "codeActionProvider", "codeLensProvider"]:
    check(cap in caps, f"initialize advertises {cap}")
check(caps["textDocumentSync"]["change"] == 2, "incremental sync")

uri, text = c.open(single)

# ---- publishDiagnostics: no compiler diagnostics, then the lint warnings ---------------------
diags = c.diagnostics(uri, version=1)
check(diags == [], "single_channel.camp compiles without diagnostics (first publish)", diags)
# Lint: two cost lines write a money amount inline, `= 180 USD` and `= 450 USD`.
diags = c.diagnostics(uri, version=1, predicate=lambda ds: len(ds) > 0)
lint_lines = sorted((d["range"]["start"]["line"], d["code"], d["severity"]) for d in diags)
want_lines = sorted((position_of(text, needle)["line"], "inline-money", 2)
                    for needle in ['content "Stock photography" = 180 USD', 'technology "BI workspace share" = 450 USD'])
check(lint_lines == want_lines, "lint warnings follow in a second publish", diags)

# ---- hover ------------------------------------------------------------------------------------
h = hover_text(c, uri, text, "param hourly", 7)
check("85 USD/h" in h and "unit `USD/h`" in h, "hover hourly: base case 85 USD/h", h)
check("70 USD/h … 110 USD/h" in h, "hover hourly: its range", h)
check("Blended, fully loaded hour" in h, "hover hourly: its /// doc", h)
h = hover_text(c, uri, text, "param click_rate", 7)
check("triangular(0.5%, 0.8%, 1.2%)" in h, "hover click_rate: its distribution", h)
check("0.8%" in h, "hover click_rate: base case 0.8%", h)
# emails = 1,400,000 customer × 1 email/customer = 1,400,000 email
h = hover_text(c, uri, text, "let emails", 5)
check("1,400,000 email" in h and "One newsletter per opted-in customer" in h, "hover let emails", h)
# hourly used in a labor line points at the same param
h = hover_text(c, uri, text, "8 h * hourly", 9)
check("85 USD/h" in h, "hover on a use of hourly", h)
# execute media: send(1.4M) graduated: 500,000 × 1.00/1000 + 900,000 × 0.50/1000 = 950.00; tier 2 of 3
h = hover_text(c, uri, text, "mailstream.send", 12)
check("quantity 1,400,000 email" in h, "price call hover: quantity", h)
check("tier 2 of 3" in h and "up to 2,000,000 email" in h, "price call hover: tier reached", h)
check("= 950.00 USD" in h, "price call hover: the bill 950.00 USD", h)
# segments data: audience_sync(1.4M) volume, above 1,000,000: 1,400,000 × 0.0002 = 280.00
h = hover_text(c, uri, text, "mailstream.audience_sync", 12)
check("whole quantity at tier 2 of 2" in h and "= 280.00 USD" in h, "volume price hover: tier 2 of 2, 280.00 USD", h)
# create_content: 16 h × 85 + 180 = 1,540.00; output 4 asset: 1,540 / 4 = 385.00 USD per asset
h = hover_text(c, uri, text, "stage create_content", 7)
check("1,540.00 USD" in h and "385.00 USD per asset" in h, "stage hover: cost and unit cost", h)
# execute: 170 + 950 + 150 = 1,270.00 for 1,400,000 email: 1,270 / 1,400,000 = 0.0009071 USD per email
h = hover_text(c, uri, text, "stage execute", 7)
check("1,270.00 USD" in h and "0.0009071 USD per email" in h, "stage hover: small unit cost keeps its digits", h)
# pipeline: cost 6,240.00, revenue 10,080.00, profit 3,840.00, ROI 8/13 = 61.5%
h = hover_text(c, uri, text, "pipeline newsletter", 10)
check(all(s in h for s in ["6,240.00 USD", "10,080.00 USD", "3,840.00 USD", "61.5%"]), "pipeline hover", h)
# a cost line: review technology preview(60): 60 × 2.50 = 150.00
h = hover_text(c, uri, text, "Inbox and device previews", 3)
check("150.00 USD" in h, "cost line hover", h)

# multichannel.camp's header: muse.genai(25,000) = 0.04 × (25,000 − 10,000 included) = 600.00;
# seat(4) = 4 × 45 = 180 < minimum 250, so 250.00
multi = os.path.join(ex, "multichannel.camp")
mc_uri, mc_text = c.open(multi)
c.diagnostics(mc_uri, version=1)
h = hover_text(c, mc_uri, mc_text, "muse.genai(25_000 prompt)", 7)
check("quantity 25,000 prompt" in h and "allowance: 10,000 prompt included; 15,000 prompt billed" in h and "= 600.00 USD" in h,
      "price call hover: the allowance", h)
h = hover_text(c, mc_uri, mc_text, "lumen.seat(4 seat)", 7)
check("quantity 4 seat" in h and "the minimum applies" in h and "= 250.00 USD" in h, "price call hover: the minimum", h)
c.notify("textDocument/didClose", {"textDocument": {"uri": mc_uri}})

# results in expressions: newsletter.cost = 6,240.00; labor 48 h × 85 = 4,080.00
h = hover_text(c, uri, text, "newsletter.cost / audience", 12)
check("`newsletter.cost` = **6,240.00 USD**" in h, "hover on a pipeline result", h)
h = hover_text(c, uri, text, "newsletter.labor / newsletter.cost", 12)
check("`newsletter.labor` = **4,080.00 USD**" in h, "hover on a pipeline's category total", h)

# built-in names: a time unit, the currency, a category
h = hover_text(c, uri, text, "mailstream.platform * 1 month", 24)
check("built-in time unit" in h and "730 h" in h, "hover on a built-in time unit: 1 month = 730 h", h)
h = hover_text(c, uri, text, "    labor \"Send operations\"", 5)
check("built-in cost category" in h, "hover on a built-in category", h)
h = hover_text(c, uri, text, "\ncurrency USD", 10)
check("the model's currency" in h, "hover on the currency", h)

# ---- definition ---------------------------------------------------------------------------------
r = c.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": position_of(text, "mailstream.send", 3)})
esp = os.path.join(ex, "rates", "newsletter_esp.camp")
esp_text = open(esp, encoding="utf-8").read()
check(r and r["uri"] == uri_of(esp) and r["range"]["start"] == position_of(esp_text, "mailstream \"Mailstream"),
      "definition across an import", r)
r = c.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": position_of(text, "1_400_000 customer", 11)})
check(r and r["uri"].endswith("/std/marketing.camp"), "definition into std/marketing", r)
if r:
    std_text = open(r["uri"][len("file://"):], encoding="utf-8").read()
    check(r["range"]["start"] == position_of(std_text, "unit customer", 5), "definition: the line `unit customer`", r)
r = c.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": position_of(text, "input segments", 7)})
check(r and r["range"]["start"] == position_of(text, "stage segments", 6), "definition of a stage input", r)

# ---- references: hourly is declared once and used by the 7 labor lines -------------------------
r = c.request("textDocument/references", {"textDocument": {"uri": uri}, "position": position_of(text, "param hourly", 7),
                                          "context": {"includeDeclaration": True}})
check(len(r) == 8, "references of hourly: declaration + 7 labor lines", len(r))
r = c.request("textDocument/references", {"textDocument": {"uri": uri}, "position": position_of(text, "param hourly", 7),
                                          "context": {"includeDeclaration": False}})
check(len(r) == 7, "references of hourly without the declaration", len(r))

# ---- rename --------------------------------------------------------------------------------------
r = c.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": position_of(text, "param hourly", 7),
                                      "newName": "rate_per_hour"})
edits = r["changes"].get(uri, [])
check(len(edits) == 8 and all(e["newText"] == "rate_per_hour" for e in edits), "rename hourly: 8 edits", r)
r = c.request_full("textDocument/rename", {"textDocument": {"uri": uri}, "position": position_of(text, "param hourly", 7),
                                           "newName": "stage"})
check("error" in r and "keyword" in r["error"]["message"], "rename refuses a keyword", r)
r = c.request_full("textDocument/rename", {"textDocument": {"uri": uri}, "position": position_of(text, "param hourly", 7),
                                           "newName": "audience"})
check("error" in r and "taken" in r["error"]["message"], "rename refuses a clash", r)
r = c.request_full("textDocument/rename", {"textDocument": {"uri": uri}, "position": position_of(text, "stage review", 7),
                                           "newName": "execute"})
check("error" in r and "taken" in r["error"]["message"], "rename refuses a stage clash", r)
r = c.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": position_of(text, "mailstream.send", 12),
                                      "newName": "send_email"})
check(len(r["changes"].get(uri, [])) == 1 and len(r["changes"].get(uri_of(esp), [])) == 1,
      "rename a price: its use here and its declaration in the imported card", r)

# ---- documentSymbol ------------------------------------------------------------------------------
r = c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
names = [s["name"] for s in r]
check("hourly" in names and "emails" in names and "newsletter" in names, "document symbols: params, lets, pipeline", names)
pipe = next(s for s in r if s["name"] == "newsletter")
stages = [s["name"] for s in pipe["children"] if s.get("children") is not None]
check(stages == ["strategy", "segments", "journeys", "create_content", "review", "execute", "reporting"], "7 stages in order", stages)
execute = next(s for s in pipe["children"] if s["name"] == "execute")
check([l["name"] for l in execute["children"]] == ["Send operations", "Email sends", "ESP platform share"], "execute's cost lines",
      execute["children"])

# ---- completion ------------------------------------------------------------------------------------
edited = text.replace("    technology \"BI workspace share\" = 450 USD", "    technology \"BI workspace share\" = mailstream.")
c.change(uri, 2, edited)
r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position_of(edited, "= mailstream.", 13)})
labels = sorted(i["label"] for i in r["items"])
check(labels == ["audience_sync", "extra_seat", "platform", "preview", "send"], "completion after `mailstream.`", labels)
r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position_of(edited, "newsletter.cost / audience", 11)})
labels = {i["label"] for i in r["items"]}
check({"strategy", "execute", "clicks", "orders", "cost", "roi", "labor"} <= labels, "completion after `newsletter.`", sorted(labels))
c.change(uri, 3, text)
c.diagnostics(uri, version=3)
r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position_of(text, "    labor \"Send operations\"")})
labels = {i["label"] for i in r["items"]}
check({"hourly", "emails", "clicks", "mailstream", "customer", "USD", "h", "labor", "stage", "max"} <= labels,
      "completion in a stage: names, units, categories, keywords, functions", sorted(labels)[:40])

# ---- formatting: the same text `camp fmt` writes ----------------------------------------------------
messy = os.path.join(ex, "messy.camp")
messy_text = 'model "m"\ncurrency USD\nparam  a=1400000 USD\nlet b   = a*2\n'
with open(messy, "w") as f:
    f.write(messy_text)
muri, _ = c.open(messy)
r = c.request("textDocument/formatting", {"textDocument": {"uri": muri}, "options": {"tabSize": 2, "insertSpaces": True}})
subprocess.run([camp, "fmt", messy], check=True, capture_output=True)
want = open(messy, encoding="utf-8").read()
check(len(r) == 1 and r[0]["newText"] == want, "formatting gives camp fmt's text", r)
check("param a = 1_400_000 USD" in want and "let b = a * 2" in want, "camp fmt's text is the canonical layout", want)

# ---- semanticTokens ---------------------------------------------------------------------------------
legend = caps["semanticTokensProvider"]["legend"]
r = c.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
data = r["data"]
toks, line, ch = {}, 0, 0
lines = text.split("\n")
for i in range(0, len(data), 5):
    dl, dc, ln, ty, mods = data[i:i + 5]
    line += dl
    ch = ch + dc if dl == 0 else dc
    word = lines[line][ch:ch + ln]
    toks[(line, ch)] = (word, legend["tokenTypes"][ty], [m for b, m in enumerate(legend["tokenModifiers"]) if mods & (1 << b)])
def tok_at(needle, off=0):
    p = position_of(text, needle, off)
    return toks.get((p["line"], p["character"]))
check(tok_at("param hourly") == ("param", "keyword", []), "semantic token: keyword", tok_at("param hourly"))
check(tok_at("param hourly", 6) == ("hourly", "parameter", ["declaration", "readonly"]), "semantic token: param declaration",
      tok_at("param hourly", 6))
check(tok_at("param hourly = 85 USD/h", 15) == ("85", "number", []), "semantic token: number", tok_at("param hourly = 85 USD/h", 15))
check(tok_at("param hourly = 85 USD/h", 18) == ("USD", "type", ["defaultLibrary"]), "semantic token: currency unit",
      tok_at("param hourly = 85 USD/h", 18))
check(tok_at("1_400_000 customer", 10) == ("customer", "type", []), "semantic token: declared unit", tok_at("1_400_000 customer", 10))
check(tok_at("// Single-channel")[1] == "comment", "semantic token: comment", tok_at("// Single-channel"))
check((tok_at("\"Develop strategy\"") or ("", ""))[1] == "string", "semantic token: string", tok_at("\"Develop strategy\""))
check(tok_at("mailstream.send", 11)[1] == "function", "semantic token: price", tok_at("mailstream.send", 11))
check(tok_at("/// Blended")[1:] == ("comment", ["documentation"]), "semantic token: doc comment", tok_at("/// Blended"))

# ---- inlayHint: each cost line, stage total and let at the base case --------------------------------
r = c.request("textDocument/inlayHint", {"textDocument": {"uri": uri},
                                         "range": {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}})
by_line = {}
for hnt in r:
    by_line.setdefault(hnt["position"]["line"], []).append(hnt["label"])
def hints(needle):
    return by_line.get(position_of(text, needle)["line"], [])
check(hints("labor \"Campaign manager") == ["= 680.00 USD"], "inlay: 8 h × 85 = 680.00", hints("labor \"Campaign manager"))
check(hints("stage segments") == ["= 790.00 USD"], "inlay: segments total 510 + 280 = 790.00", hints("stage segments"))
check(hints("media \"Email sends\"") == ["= 950.00 USD"], "inlay: graduated send 950.00", hints("media \"Email sends\""))
check(hints("technology \"ESP platform share\"") == ["= 150.00 USD"], "inlay: 1,200 / 8 = 150.00", hints("technology \"ESP platform share\""))
check(hints("let emails") == ["= 1,400,000 email"], "inlay: let emails", hints("let emails"))
check(hints("let clicks") == ["= 11,200 click"], "inlay: clicks 1,400,000 × 0.8% = 11,200", hints("let clicks"))
check(hints("let orders") == ["= 168 order"], "inlay: orders 11,200 × 1.5% = 168", hints("let orders"))
check(hints("let cost_per_order") == ["= 37.1429 USD/order"], "inlay: 6,240 / 168 = 37.142857… (4 decimals, as reports)", hints("let cost_per_order"))

# ---- codeLens: cost 6,240.00, revenue 10,080.00, ROI 3,840 / 6,240 = 61.5% ----------------------------
r = c.request("textDocument/codeLens", {"textDocument": {"uri": uri}})
check(len(r) == 1 and r[0]["command"]["title"] == "cost 6,240.00 USD · revenue 10,080.00 USD · ROI 61.5%", "code lens", r)
check(r and r[0]["range"]["start"] == position_of(text, "pipeline newsletter", 9), "code lens on the pipeline name", r)

# ---- diagnostics after a typo, and its did-you-mean fix ------------------------------------------------
typo = text.replace("labor \"Campaign analyst\" = 5 h * hourly", "labor \"Campaign analyst\" = 5 h * hourlx")
c.change(uri, 4, typo)
d = c.diagnostics(uri, version=4)
check(len(d) == 1 and d[0]["code"] == "UnknownName" and d[0]["severity"] == 1 and "did you mean `hourly`" in d[0]["message"],
      "typo: one UnknownName error with help", d)
check(d and d[0]["range"]["start"] == position_of(typo, "hourlx"), "typo: the error points at the name", d)
r = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d[0]["range"], "context": {"diagnostics": d}})
fix = r[0]["edit"]["changes"][uri][0] if r else None
check(fix and fix["newText"] == "hourly" and fix["range"] == d[0]["range"], "code action: change to `hourly`", r)
# a missing unit: `content "Stock photography" = 180`
nounit = text.replace('content "Stock photography" = 180 USD', 'content "Stock photography" = 180')
c.change(uri, 5, nounit)
d = c.diagnostics(uri, version=5)
check(len(d) == 1 and d[0]["code"] == "NotMoney", "missing unit: NotMoney", d)
r = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d[0]["range"], "context": {"diagnostics": d}})
fix = r[0]["edit"]["changes"][uri][0] if r else None
at = position_of(nounit, '= 180\n', 5)
check(fix and fix["newText"] == " USD" and fix["range"]["start"] == at and r[0]["title"] == "Add the unit `USD`",
      "code action: add the unit USD after 180", r)
c.change(uri, 6, text)
check(c.diagnostics(uri, version=6) == [], "fixed text: diagnostics cleared")

# ---- related notes, imports and lint warnings -----------------------------------------------------------
bad_card = os.path.join(ex, "rates", "broken.camp")
with open(bad_card, "w") as f:
    f.write("currency USD\nratecard broken {\n  fee x = 5 USD/month +\n}\n")
model = os.path.join(ex, "uses_broken.camp")
model_text = ('model "m"\ncurrency USD\nimport "./rates/broken.camp"\n'
              'let mix = 1 USD + 2 h\nparam unused_rate = 3 USD/h\n')
with open(model, "w") as f:
    f.write(model_text)
m_uri, _ = c.open(model)
d = c.diagnostics(uri_of(bad_card))
check(len(d) == 1 and d[0]["severity"] == 1, "a syntax error in an imported file is published for that file", d)
fixed_card = "currency USD\nratecard broken {\n  fee x = 5 USD/month\n}\n"
with open(bad_card, "w") as f:
    f.write(fixed_card)
c.notify("textDocument/didSave", {"textDocument": {"uri": m_uri}})
d = c.diagnostics(m_uri, predicate=lambda ds: any(x["code"] == "UnitMismatch" for x in ds))
mism = [x for x in d if x["code"] == "UnitMismatch"][0]
rel = mism.get("relatedInformation", [])
check(len(rel) == 2 and rel[0]["message"] == "this is in USD" and rel[1]["message"] == "this is in h",
      "unit mismatch: both sides as related information", mism)
check(c.diagnostics(uri_of(bad_card)) == [], "the fixed import's diagnostics are cleared")
model_text2 = 'model "m"\ncurrency USD\nparam unused_rate = 3 USD/h\nlet z = 1 USD\n'
c.change(m_uri, 2, model_text2)
d = c.diagnostics(m_uri, version=2, predicate=lambda ds: any(x["code"] == "unused-param" for x in ds))
# `param unused_rate = 3 USD/h` is read by nothing (unused-param) and is a rate without a range (uncertain-param).
check(sorted(x["code"] for x in d) == ["uncertain-param", "unused-param"] and all(x["severity"] == 2 for x in d),
      "lint findings published as warnings", d)

# ---- positions count UTF-16 code units (😀 is two, é and — one each) -------------------------------
u_path = os.path.join(ex, "utf16.camp")
u_text = ('model "Ünïcode — 😀"\ncurrency USD\nparam rate = 2 USD/h\npipeline p {\n  stage s {\n'
          '    labor "😀 team — é" = 3 h * rate\n  }\n}\n')
with open(u_path, "w", encoding="utf-8") as f:
    f.write(u_text)
u_uri, _ = c.open(u_path)
c.diagnostics(u_uri, version=1)
r = c.request("textDocument/hover", {"textDocument": {"uri": u_uri}, "position": position_of(u_text, "* rate", 3)})
check(r and "2 USD/h" in r["contents"]["value"] and r["range"]["start"] == position_of(u_text, "* rate", 2),
      "hover after an emoji on the line: UTF-16 positions", r)
r = c.request("textDocument/inlayHint", {"textDocument": {"uri": u_uri},
                                         "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}})
line5 = u_text.split("\n")[5]
labor_hint = [h for h in r if h["position"]["line"] == 5]
# 3 h × 2 USD/h = 6.00 USD, placed after the last UTF-16 unit of the line
check(len(labor_hint) == 1 and labor_hint[0]["label"] == "= 6.00 USD" and
      labor_hint[0]["position"]["character"] == len(line5.encode("utf-16-le")) // 2, "inlay hint at the end of a non-ASCII line", r)

# ---- protocol manners ------------------------------------------------------------------------------------
r = c.request_full("textDocument/noSuchThing", {})
check(r.get("error", {}).get("code") == -32601, "unknown request: MethodNotFound", r)
c.send({"jsonrpc": "2.0", "id": 77, "method": 5})
c.send({"jsonrpc": "2.0", "method": {"exit": True}})
c.send_raw(b"Content-Length: 9\r\n\r\nnot json!")
c.send_raw(b"Content-Length: 2\r\n\r\n[]")
replies = []
while len(replies) < 3:
    m = c._next(__import__("time").monotonic() + 30)
    if "method" not in m:
        replies.append(m)
check(replies[0].get("id") == 77 and replies[0]["error"]["code"] == -32600, "a method that is not a string: InvalidRequest", replies[0])
check(replies[1].get("id") is None and replies[1]["error"]["code"] == -32700, "a body that is not JSON: ParseError", replies[1])
check(replies[2].get("id") is None and replies[2]["error"]["code"] == -32600, "a body that is not an object: InvalidRequest", replies[2])
c.notify("$/noSuchNotification", {"x": 1})
c.notify("$/cancelRequest", {"id": 999})
r = c.request_full("textDocument/hover", {"textDocument": {"uri": uri}, "position": "nowhere"})
check("error" in r or r.get("result") is None, "bad params: an error or null, not a crash", r)
r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position_of(text, "param hourly", 7)})
check(r is not None, "still answering after bad messages")
code = c.shutdown()
check(code == 0, "shutdown then exit: exit code 0", code)

c2 = Client(camp)
c2.initialize(ex)
c2.notify("exit")
check(c2.proc.wait(timeout=10) == 1, "exit without shutdown: exit code 1")

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
