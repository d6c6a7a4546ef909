" Vim syntax for .camp cost models (keywords, numbers, strings, comments). Editors with an LSP
" client get finer colours from `camp lsp`'s semantic tokens.
if exists('b:current_syntax') | finish | endif
syn keyword campDecl model currency import unit category param let ratecard fee price pipeline stage scenario assert forecast
syn keyword campKeyword graduated volume up to above after included minimum input output revenue monthly run per growth seasonal in
syn keyword campKeyword maximum package at plus discount commit overage contract from billed budget correlate
syn keyword campControl if then else and or not
syn keyword campCategory labor technology data content media
syn match campNumber "\<\d[0-9_]*\(\.[0-9_]\+\)\=\([eE][+-]\=\d\+\)\=%\="
syn match campDate "\<\d\{4}-\d\d\(-\d\d\)\=\>"
syn region campString start=+"+ skip=+\\.+ end=+"+ oneline
syn match campComment "//.*$"
syn match campDoc "///.*$"
syn region campComment start="/\*" end="\*/"
hi def link campDecl Statement
hi def link campKeyword Keyword
hi def link campControl Conditional
hi def link campCategory Type
hi def link campNumber Number
hi def link campDate Number
hi def link campString String
hi def link campComment Comment
hi def link campDoc SpecialComment
let b:current_syntax = 'camp'
