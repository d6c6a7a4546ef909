-- Neovim setup for .camp files with `camp lsp` (Neovim 0.7 and later). Load it from init.lua:
--   dofile('/path/to/camp/editors/neovim/camp.lua')
-- Neovim 0.10+ draws inlay hints itself; on older versions the few lines at the end request
-- them and show them as virtual text at the end of each line.
local camp = vim.env.CAMP or 'camp'
-- syntax/camp.vim beside this file: keywords, numbers, strings and comments.
vim.opt.runtimepath:append(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h'))
vim.lsp.handlers['textDocument/hover'] = vim.lsp.with(vim.lsp.handlers.hover, { border = 'rounded' })

vim.cmd([[autocmd BufRead,BufNewFile *.camp setfiletype camp]])

local function on_attach(client, buf)
  vim.api.nvim_buf_set_option(buf, 'commentstring', '// %s')
  vim.api.nvim_buf_set_keymap(buf, 'n', 'K', '<cmd>lua vim.lsp.buf.hover()<CR>', { noremap = true })
  vim.api.nvim_buf_set_keymap(buf, 'n', 'gd', '<cmd>lua vim.lsp.buf.definition()<CR>', { noremap = true })
  vim.api.nvim_buf_set_keymap(buf, 'n', 'gr', '<cmd>lua vim.lsp.buf.references()<CR>', { noremap = true })
  vim.api.nvim_buf_set_keymap(buf, 'n', '<leader>rn', '<cmd>lua vim.lsp.buf.rename()<CR>', { noremap = true })
  vim.api.nvim_buf_set_keymap(buf, 'n', '<leader>ca', '<cmd>lua vim.lsp.buf.code_action()<CR>', { noremap = true })
  if vim.lsp.inlay_hint then
    vim.lsp.inlay_hint.enable(true, { bufnr = buf })
    return
  end
  -- Older Neovim: inlay hints as end-of-line virtual text, refreshed after each change.
  local ns = vim.api.nvim_create_namespace('camp_inlay_hints')
  local function refresh()
    local params = { textDocument = vim.lsp.util.make_text_document_params(buf),
                     range = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(buf), character = 0 } } }
    client.request('textDocument/inlayHint', params, function(err, hints)
      if err or not hints or not vim.api.nvim_buf_is_valid(buf) then return end
      vim.api.nvim_buf_clear_namespace(buf, ns, 0, -1)
      for _, h in ipairs(hints) do
        pcall(vim.api.nvim_buf_set_extmark, buf, ns, h.position.line, 0,
              { virt_text = { { h.label, 'Comment' } }, virt_text_pos = 'eol' })
      end
    end, buf)
  end
  refresh()
  vim.api.nvim_buf_attach(buf, false, { on_lines = function() vim.defer_fn(refresh, 300) end })
end

vim.cmd([[autocmd FileType camp lua CampStartLsp()]])
function CampStartLsp()
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'camp',
    cmd = { camp, 'lsp' },
    root_dir = vim.fn.expand('%:p:h'),
    on_attach = on_attach,
  })
  if id then vim.lsp.buf_attach_client(buf, id) end
end
