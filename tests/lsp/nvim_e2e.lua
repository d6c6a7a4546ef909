-- Drives `camp lsp` from Neovim's built-in LSP client (0.7+), headless: opens an example, waits for
-- its (empty) diagnostics, asks for a hover, introduces a typo and reads the diagnostic back.
-- Environment: CAMP (the camp executable), CAMP_FILE (a copy of an example), CAMP_OUT (report file).
local camp, file, out = os.getenv('CAMP'), os.getenv('CAMP_FILE'), os.getenv('CAMP_OUT')
local report = {}
local function say(line) table.insert(report, line) end
local function finish(code)
  local f = assert(io.open(out, 'w'))
  f:write(table.concat(report, '\n') .. '\n')
  f:close()
  vim.cmd(code == 0 and 'qall!' or 'cquit!')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local published = 0
local client_id = vim.lsp.start_client({
  name = 'camp',
  cmd = { camp, 'lsp', '--debounce', '20' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
  flags = { debounce_text_changes = 20 },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      if result and result.uri == vim.uri_from_bufnr(buf) then published = published + 1 end
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
})
if not client_id then say('could not start camp lsp'); return finish(1) end
vim.lsp.buf_attach_client(buf, client_id)

if not vim.wait(30000, function() return published > 0 end, 20) then say('no diagnostics after opening'); return finish(1) end
-- Lint warnings may follow in a second publish at any moment: count errors only.
say('opened: ' .. #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) .. ' errors')

-- Hover on `hourly` in `param hourly = 85 USD/h …`
local line_nr
for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if l:find('^param hourly') then line_nr = i - 1 end
end
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line_nr, character = 7 } }, 10000)
local text = ''
for _, r in pairs(hover or {}) do
  if r.result and r.result.contents then text = r.result.contents.value end
end
say('hover: ' .. text:gsub('\n', ' | '))

-- The typo: `5 h * hourly` in the reporting stage becomes `5 h * hourlx`.
local typo_line
for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if l:find('Campaign analyst') then typo_line = i - 1 end
end
local l = vim.api.nvim_buf_get_lines(buf, typo_line, typo_line + 1, false)[1]
local col = l:find('hourly', 1, true) + 4 -- the `y`, 0-based column
vim.api.nvim_buf_set_text(buf, typo_line, col, typo_line, col + 1, { 'x' })
local before = published
local got = vim.wait(30000, function()
  return published > before and #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) > 0
end, 20)
if not got then say('no diagnostic after the typo'); return finish(1) end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  say(string.format('diagnostic: line %d col %d severity %d code %s: %s', d.lnum + 1, d.col + 1, d.severity,
    tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)), d.message:gsub('\n', ' | ')))
end
vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.client_is_stopped(client_id) end, 20)
say('stopped: ' .. tostring(vim.lsp.client_is_stopped(client_id)))
finish(0)
