"""Writes camp.tmLanguage.json (the TextMate grammar of .camp) from the keyword lists below.

Run after changing a list: python3 syntaxes/make_grammar.py. The keyword lists follow
grammar/Camp.g4, plus the contextual words of rate-card billing (issue 9).
"""
import json
import os

ident = r"[A-Za-z_][A-Za-z0-9_]*"
decl_kw = "model|currency|import|unit|category|param|let|ratecard|fee|price|pipeline|stage|scenario|assert|forecast"
other_kw = "graduated|volume|up|to|above|after|included|minimum|input|output|revenue|monthly|run|per|growth|seasonal|in"
control_kw = "if|then|else"
logic_kw = "and|or|not"
# Contextual words of rate-card billing: keywords unless used as a name (`budget = …`, `p.budget`).
ctx_kw = "maximum|package|at|plus|discount|commit|overage|contract|from|billed|budget|correlate"
all_kw = "|".join([decl_kw, other_kw, control_kw, logic_kw, ctx_kw])
number = r"\d[\d_]*(?:\.[\d_]+)?(?:[eE][+-]?\d+)?%?"
unit_term = ident + r"(?:\^-?\d+)?"
unit_factor = r"(?:" + unit_term + r"|\(\s*" + number + r"\s+" + unit_term + r"(?:\s*\*?\s*" + unit_term + r")*\s*\))"

grammar = {
    "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    "name": "Camp",
    "scopeName": "source.camp",
    "fileTypes": ["camp"],
    "patterns": [{"include": "#" + k} for k in
                 ["comments", "strings", "dates", "quantities", "declarations", "cost-lines", "keywords",
                  "functions", "operators", "names"]],
    "repository": {
        "comments": {"patterns": [
            {"name": "comment.line.documentation.camp", "match": r"///.*$"},
            {"name": "comment.line.double-slash.camp", "match": r"//.*$"},
            {"name": "comment.block.camp", "begin": r"/\*", "end": r"\*/",
             "beginCaptures": {"0": {"name": "punctuation.definition.comment.camp"}},
             "endCaptures": {"0": {"name": "punctuation.definition.comment.camp"}}}]},
        "strings": {"patterns": [{"name": "string.quoted.double.camp", "begin": "\"", "end": "\"|$",
                                  "patterns": [{"name": "constant.character.escape.camp", "match": r"\\."}]}]},
        "dates": {"patterns": [{"name": "constant.numeric.date.camp", "match": r"\b\d{4}-\d{2}(?:-\d{2})?\b"}]},
        # A number and the unit written right after it: `85 USD/h`, `0.50 USD/(1000 email)`, `2 segment`.
        "quantities": {"patterns": [{
            "name": "meta.quantity.camp",
            "match": r"(?<![\w.])(" + number + r")(?:[ \t]+(?!(?:" + all_kw + r")\b)(" + unit_term +
                     r"(?:/" + unit_factor + r")*))?",
            "captures": {"1": {"name": "constant.numeric.camp"}, "2": {"name": "entity.name.type.unit.camp"}}}]},
        "declarations": {"patterns": [
            {"match": r"\b(param|let|fee|unit|category|scenario|forecast)[ \t]+(" + ident + r")",
             "captures": {"1": {"name": "storage.type.camp"}, "2": {"name": "entity.name.variable.camp"}}},
            {"match": r"\b(price)[ \t]+(" + ident + r")",
             "captures": {"1": {"name": "storage.type.camp"}, "2": {"name": "entity.name.function.camp"}}},
            {"match": r"\b(ratecard|pipeline|stage)[ \t]+(" + ident + r")",
             "captures": {"1": {"name": "storage.type.camp"}, "2": {"name": "entity.name.type.camp"}}}]},
        # `labor "Strategy team" = …`: the category that opens a cost line.
        "cost-lines": {"patterns": [{
            "match": r"^[ \t]*(?!(?:" + all_kw + r")\b)(" + ident + r")(?=[ \t]+\"|[ \t]*=(?!=))",
            "captures": {"1": {"name": "support.type.category.camp"}}}]},
        "keywords": {"patterns": [
            {"name": "keyword.control.camp", "match": r"\b(" + control_kw + r")\b"},
            {"name": "keyword.operator.logical.camp", "match": r"\b(" + logic_kw + r")\b"},
            {"name": "storage.type.camp", "match": r"(?<!\.)\b(" + decl_kw + r")\b"},
            {"name": "keyword.other.camp", "match": r"(?<!\.)\b(" + other_kw + r")\b"},
            {"name": "keyword.other.billing.camp", "match": r"(?<!\.)\b(" + ctx_kw + r")\b(?![ \t]*=(?!=))(?!\.)"}]},
        "functions": {"patterns": [
            {"name": "support.function.builtin.camp",
             "match": r"\b(min|max|ceil|floor|round|sqrt|exp|ln|pow|abs|sin|cos|uniform|triangular|pert|normal|lognormal|beta|discrete)(?=\s*\()"},
            {"match": r"\b(" + ident + r")\.(" + ident + r")(?=\s*\()",
             "captures": {"1": {"name": "entity.name.namespace.camp"}, "2": {"name": "entity.name.function.camp"}}}]},
        "operators": {"patterns": [
            {"name": "keyword.operator.comparison.camp", "match": r"<=|>=|==|!=|<|>"},
            {"name": "keyword.operator.range.camp", "match": r"\.\."},
            {"name": "keyword.operator.arithmetic.camp", "match": r"[-+*/^]"},
            {"name": "keyword.operator.assignment.camp", "match": r"=|~"}]},
        "names": {"patterns": [{"name": "variable.other.camp", "match": r"\b" + ident + r"\b"}]},
    },
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "camp.tmLanguage.json")
with open(out, "w") as f:
    json.dump(grammar, f, indent=2)
    f.write("\n")
