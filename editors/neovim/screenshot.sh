#!/usr/bin/env bash
# Renders docs/editors-hover.png: Neovim in an xterm under Xvfb, examples/single_channel.camp open,
# inlay hints shown and the hover of a price call open. Needs xvfb, xterm, imagemagick, neovim.
# usage: editors/neovim/screenshot.sh CAMP OUT.png
set -euo pipefail
camp=$(realpath "$1"); out=$(realpath -m "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
cp -r "$root/examples" "$work/"
cat > "$work/init.lua" <<LUA
vim.o.termguicolors = false
vim.cmd('syntax on')
vim.cmd('highlight NormalFloat ctermbg=236 ctermfg=253')
vim.cmd('highlight FloatBorder ctermbg=236 ctermfg=244')
vim.o.number = true
vim.o.laststatus = 0
vim.o.cmdheight = 1
dofile('$root/editors/neovim/camp.lua')
vim.defer_fn(function()
  vim.fn.search('mailstream.send')
  vim.cmd('normal! w')
  vim.fn.winrestview({ topline = vim.fn.line('.') - 6 })
  vim.lsp.buf.hover()
end, 4000)
LUA
export TERM=xterm-256color CAMP="$camp" HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state"
Xvfb :77 -screen 0 1400x760x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
DISPLAY=:77 xterm -tn xterm-256color -geometry 150x40+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#1e1e1e' -fg '#d4d4d4' \
  -e nvim -n -u "$work/init.lua" "$work/examples/single_channel.camp" &
term=$!
sleep 8
DISPLAY=:77 import -window root -crop 1400x760+0+0 "$out"
kill $term 2>/dev/null || true
echo "wrote $out"
